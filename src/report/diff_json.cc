// JSON report: the whole result, stable key names (schemas/diff-report.schema.json).
#include <nlohmann/json.hpp>

#include "diff_events/report/diff_reports.h"

namespace de {
namespace {

using Json = nlohmann::ordered_json;

Json Opt(const std::optional<uint64_t>& v) { return v ? Json(*v) : Json(nullptr); }

Json EventJson(const std::optional<EventRef>& e) {
  if (!e) return nullptr;
  Json j;
  j["idx"] = e->idx;
  j["line"] = e->line;
  if (e->alloc_ordinal >= 0) j["alloc_ordinal"] = e->alloc_ordinal;
  j["raw"] = e->raw;
  return j;
}

Json DivergenceJson(const Divergence& d) {
  Json j;
  j["kind"] = DivergenceKindName(d.kind);
  j["position"] = d.position;
  j["field"] = d.field.empty() ? Json(nullptr) : Json(d.field);
  j["summary"] = d.summary;
  j["canary"] = EventJson(d.canary);
  j["ours"] = EventJson(d.ours);
  j["canary_next"] = EventJson(d.canary_next);
  j["ours_next"] = EventJson(d.ours_next);
  j["context"] = Json::array();
  for (const MatchedPair& m : d.context) {
    j["context"].push_back(Json{{"canary", EventJson(m.canary)}, {"ours", EventJson(m.ours)}});
  }
  return j;
}

Json PairJson(const PairResult& p) {
  Json j;
  j["canary_tid"] = p.canary_tid;
  j["ours_tid"] = p.ours_tid;
  j["paired_by"] = PairingMethodName(p.method);
  j["first_call"] = p.first_call.empty() ? Json(nullptr) : Json(p.first_call);
  j["status"] = !p.divergence ? "identical" : p.truncation_allowed ? "truncated" : "diverged";
  j["matched"] = p.matched;
  j["canary_total"] = p.canary_total;
  j["ours_total"] = p.ours_total;
  j["canary_last_idx"] = Opt(p.canary_last_idx);
  j["ours_last_idx"] = Opt(p.ours_last_idx);
  j["first_divergence_at"] = Opt(FirstDivergenceIdx(p));
  j["what_differs"] = PairStatusText(p);
  j["divergence"] = p.divergence ? DivergenceJson(*p.divergence) : Json(nullptr);
  return j;
}

Json UnpairedJson(const UnpairedThread& u) {
  Json j;
  j["side"] = u.canary_side ? "canary" : "ours";
  j["tid"] = u.tid;
  j["events"] = u.events;
  j["first_call"] = u.first_call.empty() ? Json(nullptr) : Json(u.first_call);
  j["first_idx"] = Opt(u.first_idx);
  j["last_idx"] = Opt(u.last_idx);
  j["first_event"] = EventJson(u.first_event);
  return j;
}

}  // namespace

std::string RenderDiffJson(const DiffResult& r) {
  Json j;
  j["format"] = "diff_events.diff-report";
  j["format_version"] = 1;
  j["inputs"] = {
      {"canary",
       {{"path", r.canary_path}, {"engine", r.canary_engine}, {"events", r.canary_events}}},
      {"ours", {{"path", r.ours_path}, {"engine", r.ours_engine}, {"events", r.ours_events}}}};
  j["options"] = {{"context", r.context_events}, {"allow_truncation", r.allow_truncation}};
  j["rules"] = r.rules;
  j["identical"] = r.Identical();
  j["divergent_pairs"] = r.DivergentPairs();
  j["unpaired_threads"] = r.unpaired.size();
  j["pairs"] = Json::array();
  for (const PairResult& p : r.pairs) j["pairs"].push_back(PairJson(p));
  j["unpaired"] = Json::array();
  for (const UnpairedThread& u : r.unpaired) j["unpaired"].push_back(UnpairedJson(u));
  // Replacing invalid UTF-8 (U+FFFD) rather than throwing: a report can always be written.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace de
