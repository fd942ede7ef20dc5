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
  auto member = [](const json& j, const char* key) -> const json* {
    auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
  };
  const json* tool = doc.is_object() ? member(doc, "tool") : nullptr;
  if (!tool || !tool->is_string() || *tool != "diff_events fires")
    throw fail("not a report.json of diff_events fires");
  const json* version = member(doc, "schema_version");
  if (!version || !version->is_number_integer() || *version != 1)
    throw fail("field 'schema_version': unsupported (this build reads 1)");
  const json* keys = member(doc, "keys");
  const json* missing = keys && keys->is_object() ? member(*keys, "missing") : nullptr;
  if (!missing || !missing->is_array()) throw fail("field 'keys.missing' must be an array");
  BaselineKeys baseline;
  baseline.path = name;
  for (size_t i = 0; i < missing->size(); ++i) {
    const json& key = (*missing)[i];
    std::string where = "field 'keys.missing[" + std::to_string(i) + "]";
    KeyRef ref;
    const json* op = key.is_object() ? member(key, "op") : nullptr;
    const json* lr = key.is_object() ? member(key, "lr") : nullptr;
    if (!op || !op->is_string()) throw fail(where + ".op' must be a string");
    if (!lr || !lr->is_string() || !ParseHex(lr->get<std::string>(), ref.lr))
      throw fail(where + ".lr' must be a hex string");
    ref.op = op->get<std::string>();
    if (const json* fires = member(key, "canary_fires")) {
      if (!fires->is_number_unsigned())
        throw fail(where + ".canary_fires' must be a non-negative integer");
      ref.canary_fires = fires->get<uint64_t>();
    }
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
