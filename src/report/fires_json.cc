// report.json: everything in the result, machine-readable (schemas/fires-report.schema.json).
// Addresses and handles are hex strings (RFC 8259 §6: integers are only safe to 2^53).
#include <nlohmann/json.hpp>

#include "diff_events/fires/hex.h"
#include "diff_events/report/fires_reports.h"

namespace de {
namespace {

using Json = nlohmann::ordered_json;

Json HexList(const std::vector<uint64_t>& values) {
  Json out = Json::array();
  for (uint64_t v : values) out.push_back(Hex32(v));
  return out;
}

Json Side(const SideOfKey& side) {
  return {{"fires", side.fires},
          {"tids", side.tids},
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

Json Keys(const std::vector<KeyRow>& rows) {
  Json out = Json::array();
  for (const KeyRow& row : rows) out.push_back(Key(row));
  return out;
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

}  // namespace

std::string RenderFiresJson(const FiresResult& r) {
  Json doc = {{"tool", "diff_events fires"},
              {"schema_version", 1},
              {"profile", r.profile_name},
              {"symbols", r.symbols_path.empty() ? Json(nullptr) : Json(r.symbols_path)},
              {"thresholds",
               {{"under_ratio", r.thresholds.under_ratio},
                {"under_min_canary_fires", r.thresholds.under_min_canary_fires}}},
              {"headline", HeadlineName(r.headline)},
              {"reasons", r.reasons},
              {"inputs", {{"canary", Inputs(r.canary_inputs)}, {"ours", Inputs(r.ours_inputs)}}},
              {"totals", Totals(r.totals)},
              {"keys",
               {{"missing", Keys(r.missing)},
                {"under_firing", Keys(r.under_firing)},
                {"matched", Keys(r.matched)},
                {"extra", Keys(r.extra)}}},
              {"canary_threads", Threads(r.canary_threads)},
              {"families", Families(r.families)},
              {"missing_in_families", r.missing_in_families},
              {"missing_outside_families", r.missing_outside_families},
              {"baseline", Baseline(r.baseline)}};
  // Replace, not throw, on invalid UTF-8 in file names or notes.
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace de
