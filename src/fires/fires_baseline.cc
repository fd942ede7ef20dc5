#include "diff_events/fires/fires_baseline.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "diff_events/fires/hex.h"
#include "diff_events/fires/small_input.h"
#include "diff_events/input_error.h"

namespace de {

BaselineKeys ParseFiresBaseline(const std::string& json_text, const std::string& name) {
  using nlohmann::json;
  auto fail = [&](const std::string& what) -> InputError {
    return InputError(name, 0, "baseline: " + what);
  };
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) throw fail("not valid JSON");
  if (!doc.is_object() || doc.value("tool", "") != "diff_events fires")
    throw fail("not a report.json of diff_events fires");
  if (doc.value("schema_version", 0) != 1) throw fail("unsupported schema_version");
  const json* missing = nullptr;
  if (doc.contains("keys") && doc["keys"].is_object() && doc["keys"].contains("missing"))
    missing = &doc["keys"]["missing"];
  if (!missing || !missing->is_array()) throw fail("no keys.missing array");
  BaselineKeys baseline;
  baseline.path = name;
  for (const json& key : *missing) {
    KeyRef ref;
    if (!key.is_object() || !key.contains("op") || !key["op"].is_string() || !key.contains("lr") ||
        !key["lr"].is_string() || !ParseHex(key["lr"].get<std::string>(), ref.lr))
      throw fail("a keys.missing entry lacks op or a hex lr");
    ref.op = key["op"].get<std::string>();
    if (key.contains("canary_fires") && key["canary_fires"].is_number_unsigned())
      ref.canary_fires = key["canary_fires"].get<uint64_t>();
    baseline.missing.push_back(std::move(ref));
  }
  std::sort(baseline.missing.begin(), baseline.missing.end());
  return baseline;
}

BaselineKeys LoadFiresBaseline(const std::string& path) {
  SmallInput input = ReadSmallInput(path);
  return ParseFiresBaseline(input.text, input.name);
}

}  // namespace de
