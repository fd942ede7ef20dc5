// report.json: everything in the result, machine-readable (schemas/fires-report.schema.json).
// Addresses and handles are hex strings (RFC 8259 §6: integers are only safe to 2^53).
#include <nlohmann/json.hpp>
#include <string_view>

#include "diff_events/fires/hex.h"
#include "diff_events/report/fires_reports.h"

namespace de {
namespace {

using Json = nlohmann::ordered_json;

Json HexList(const SmallList<uint64_t>& values) {
  Json out = Json::array();
  for (uint64_t v : values) out.push_back(Hex32(v));
  return out;
}

Json Side(const SideOfKey& side) {
  return {{"fires", side.fires},
          {"tids", std::vector<uint64_t>(side.tids.begin(), side.tids.end())},
          {"handles", HexList(side.handles)},
          {"handles_truncated", side.handles_truncated}};
}

Json Key(const KeyRow& row) {
  Json key = {{"op", row.op},
              {"lr", Hex32(row.lr)},
              {"class", KeyClassName(row.key_class)},
              {"canary_fires", row.canary.fires},
              {"ours_fires", row.ours.fires},
              {"ratio", row.canary.fires ? Json(row.ratio()) : Json(nullptr)},
              {"canary", Side(row.canary)},
              {"ours", Side(row.ours)},
              {"canary_first_host_ns", nullptr},
              {"note", row.note},
              {"families", row.families}};
  if (row.canary_first_host_ns) key["canary_first_host_ns"] = *row.canary_first_host_ns;
  return key;
}

Json Skipped(uint64_t count, const std::vector<SkippedLine>& first) {
  Json lines = Json::array();
  for (const SkippedLine& s : first) lines.push_back({{"line", s.line}, {"why", s.why}});
  return {{"count", count}, {"first", lines}};
}

Json Inputs(const std::vector<InputTally>& tallies) {
  Json out = Json::array();
  for (const InputTally& t : tallies) {
    Json pcs = Json::array();
    for (const auto& [pc, records] : t.off_table_pcs)
      pcs.push_back({{"pc", Hex32(pc)}, {"records", records}});
    out.push_back({{"file", t.name},
                   {"lines", t.lines},
                   {"bytes", t.bytes},
                   {"fires", t.fires},
                   {"blank_lines", t.blank},
                   {"not_fire_site", t.not_fire_site},
                   {"off_table_pcs", pcs},
                   {"invalid_json", Skipped(t.invalid_json, t.first_invalid)},
                   {"unusable", Skipped(t.unusable, t.first_unusable)}});
  }
  return out;
}

Json Totals(const FiresTotals& t) {
  return {
      {"canary_fires", t.canary_fires},        {"ours_fires", t.ours_fires},
      {"canary_keys", t.canary_keys},          {"ours_keys", t.ours_keys},
      {"shared_keys", t.shared_keys},          {"missing_canary_fires", t.missing_canary_fires},
      {"missing_share", t.missing_share()},    {"under_firing_canary_fires", t.under_canary_fires},
      {"extra_ours_fires", t.extra_ours_fires}};
}

Json Threads(const std::vector<CanaryThreadRow>& threads) {
  Json out = Json::array();
  for (const CanaryThreadRow& t : threads) {
    out.push_back({{"tid", t.tid},
                   {"fires", t.fires},
                   {"matched_fires", t.matched_fires},
                   {"missing_fires", t.missing_fires},
                   {"distinct_lrs", t.distinct_lrs},
                   {"has_analog", t.has_analog()}});
  }
  return out;
}

Json Families(const std::vector<FamilyReport>& families) {
  Json out = Json::array();
  for (const FamilyReport& f : families) {
    Json rows = Json::array();
    for (const FamilyLrRow& r : f.rows) {
      rows.push_back({{"lr", Hex32(r.lr)},
                      {"op", r.op},
                      {"canary_fires", r.canary_fires},
                      {"ours_fires", r.ours_fires},
                      {"where", r.where},
                      {"note", r.note}});
    }
    out.push_back({{"name", f.name},
                   {"description", f.description},
                   {"missing_keys", f.missing_keys},
                   {"lrs", rows}});
  }
  return out;
}

Json Refs(const std::vector<KeyRef>& refs) {
  Json out = Json::array();
  for (const KeyRef& r : refs) {
    out.push_back({{"op", r.op},
                   {"lr", Hex32(r.lr)},
                   {"canary_fires", r.canary_fires},
                   {"ours_fires", r.ours_fires}});
  }
  return out;
}

Json Baseline(const std::optional<BaselineComparison>& baseline) {
  if (!baseline) return nullptr;
  return {{"file", baseline->path},
          {"newly_missing", Refs(baseline->newly_missing)},
          {"fixed", Refs(baseline->fixed)},
          {"still_missing", Refs(baseline->still_missing)},
          {"unobserved", Refs(baseline->unobserved)}};
}

// report.json is written member by member into the sink. The key lists are its bulk, and a
// million keys as one document tree would take gigabytes (and as text, ~600 MB): each key is a
// small tree of its own, dumped, indented and written out, so memory is one key. The bytes are
// those of dumping the whole document at once.
class JsonText {
 public:
  explicit JsonText(TextSink& out) : out_(out) {}

  void Open(const char* key, char bracket) {
    Key(key);
    out_.Write(bracket);
    first_ = true;
    ++depth_;
  }
  void Close(char bracket) {
    --depth_;
    if (!first_) NewLine();
    out_.Write(bracket);
    first_ = false;
  }
  void Member(const char* key, const Json& value) {
    Key(key);
    Dumped(value);
  }
  void Element(const Json& value) {
    Next();
    Dumped(value);
  }
  void Finish() { out_.Write('\n'); }

 private:
  void NewLine() {
    out_.Write('\n');
    out_.Write(std::string(2 * depth_, ' '));
  }
  void Next() {
    if (!first_) out_.Write(',');
    if (depth_ > 0) NewLine();
    first_ = false;
  }
  void Key(const char* key) {
    Next();
    if (!key) return;
    out_.Write('"');
    out_.Write(key);
    out_.Write("\": ");
  }
  // Replace, not throw, on invalid UTF-8 in file names or notes.
  void Dumped(const Json& value) {
    std::string text = value.dump(2, ' ', false, Json::error_handler_t::replace);
    std::string pad = "\n" + std::string(2 * depth_, ' ');
    size_t from = 0;
    for (size_t nl; (nl = text.find('\n', from)) != std::string::npos; from = nl + 1) {
      out_.Write(std::string_view(text).substr(from, nl - from));
      out_.Write(pad);
    }
    out_.Write(std::string_view(text).substr(from));
  }

  TextSink& out_;
  size_t depth_ = 0;
  bool first_ = true;
};

void KeyList(JsonText& out, const char* name, const std::vector<KeyRow>& rows) {
  out.Open(name, '[');
  for (const KeyRow& row : rows) out.Element(Key(row));
  out.Close(']');
}

}  // namespace

void WriteFiresJson(const FiresResult& r, TextSink& sink) {
  JsonText out(sink);
  out.Open(nullptr, '{');
  out.Member("tool", "diff_events fires");
  out.Member("schema_version", 1);
  out.Member("profile", r.profile_name);
  out.Member("symbols", r.symbols_path.empty() ? Json(nullptr) : Json(r.symbols_path));
  out.Member("thresholds", {{"under_ratio", r.thresholds.under_ratio},
                            {"under_min_canary_fires", r.thresholds.under_min_canary_fires}});
  out.Member("headline", HeadlineName(r.headline));
  out.Member("reasons", r.reasons);
  out.Member("inputs", {{"canary", Inputs(r.canary_inputs)}, {"ours", Inputs(r.ours_inputs)}});
  out.Member("totals", Totals(r.totals));
  out.Open("keys", '{');
  KeyList(out, "missing", r.missing);
  KeyList(out, "under_firing", r.under_firing);
  KeyList(out, "matched", r.matched);
  KeyList(out, "extra", r.extra);
  out.Close('}');
  out.Member("canary_threads", Threads(r.canary_threads));
  out.Member("families", Families(r.families));
  out.Member("missing_in_families", r.missing_in_families);
  out.Member("missing_outside_families", r.missing_outside_families);
  out.Member("baseline", Baseline(r.baseline));
  out.Close('}');
  out.Finish();
}

}  // namespace de
