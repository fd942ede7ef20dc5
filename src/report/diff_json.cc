// JSON report: the whole result, stable key names (schemas/diff-report.schema.json).
#include <nlohmann/json.hpp>

#include "diff_events/report/atomic_file.h"
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
  j["loop"] =
      d.loop_period == 0
          ? Json(nullptr)
          : Json{{"period", d.loop_period}, {"repeats", d.loop_repeats}, {"start", d.loop_start}};
  j["context"] = Json::array();
  for (const MatchedPair& m : d.context) {
    j["context"].push_back(Json{{"canary", EventJson(m.canary)}, {"ours", EventJson(m.ours)}});
  }
  return j;
}

Json OptNs(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }

Json LifeJson(const Lifetime& life) {
  Json end{{"state", EndStateName(life.end)}};
  if (life.wait) {
    end["wait"] = {{"handles", life.wait->handles},
                   {"object_types", life.wait->object_types},
                   {"timeout_ns", OptNs(life.wait->timeout_ns)},
                   {"idx", life.wait->idx}};
  }
  if (life.exit_idx) end["exit_idx"] = *life.exit_idx;
  return Json{{"events", life.events},
              {"kernel_calls", life.kernel_calls},
              {"first_host_ns", OptNs(life.first_host_ns)},
              {"last_host_ns", OptNs(life.last_host_ns)},
              {"duration_ns", life.duration_ns()},
              {"end", end}};
}

Json SignalersJson(const std::vector<Signaler>& signalers) {
  Json out = Json::array();
  for (const Signaler& s : signalers) {
    out.push_back(
        {{"tid", s.tid}, {"name", s.name}, {"count", s.count}, {"first_idx", s.first_idx}});
  }
  return out;
}

Json WaitsJson(const std::vector<WaitAnalysis>& waits) {
  Json out = Json::array();
  for (const WaitAnalysis& w : waits) {
    out.push_back(
        {{"blocked_side", w.canary_blocked ? "canary" : "ours"},
         {"tid", w.tid},
         {"handle", w.handle},
         {"object_type", w.object_type.empty() ? Json(nullptr) : Json(w.object_type)},
         {"wait_idx", w.wait_idx},
         {"signalers", {{"canary", SignalersJson(w.canary)}, {"ours", SignalersJson(w.ours)}}},
         {"text", WaitText(w)}});
  }
  return out;
}

Json CauseJson(const Boxed<Cause>& cause) {
  if (!cause) return nullptr;
  Json j{{"role", cause->role == CauseRole::kRoot ? "root" : "consequence"},
         {"explained_by", cause->explained_by},
         {"unexplained_wait", cause->unexplained_wait}};
  j["via"] =
      cause->via_handle
          ? Json{{"handle", *cause->via_handle},
                 {"object_type",
                  cause->via_object_type.empty() ? Json(nullptr) : Json(cause->via_object_type)}}
          : Json(nullptr);
  return j;
}

Json IdxRange(const std::optional<std::pair<uint64_t, uint64_t>>& r) {
  return r ? Json::array({r->first, r->second}) : Json(nullptr);
}

// A hunk's event: of a folded loop, shown once, with the loop's repeats and its place in the cycle.
Json HunkEventJson(const EventRef& e) {
  Json j = EventJson(e);
  if (e.loop_repeats > 1) {
    j["repeats"] = e.loop_repeats;
    j["cycle_pos"] = e.loop_pos;
  }
  if (e.representative) j["representative"] = true;
  return j;
}

Json ClassesJson(const HunkClassCounts& counts) {
  Json j = Json::object();
  for (size_t i = 0; i < kHunkClasses; ++i) {
    j[HunkClassName(static_cast<HunkClass>(i))] = counts.n[i];
  }
  return j;
}

Json HunkJson(const Hunk& h) {
  Json events{{"canary", Json::array()}, {"ours", Json::array()}};
  for (const EventRef& e : h.canary_events) events["canary"].push_back(HunkEventJson(e));
  for (const EventRef& e : h.ours_events) events["ours"].push_back(HunkEventJson(e));
  Json loop = h.loop ? Json{{"period", h.loop->period},
                            {"canary_repeats", h.loop->canary_repeats},
                            {"ours_repeats", h.loop->ours_repeats}}
                     : Json(nullptr);
  return Json{{"class", HunkClassName(h.cls)},
              {"loop", loop},
              {"canary_start", h.canary_start},
              {"canary_count", h.canary_count},
              {"ours_start", h.ours_start},
              {"ours_count", h.ours_count},
              {"canary_idx", IdxRange(h.canary_idx)},
              {"ours_idx", IdxRange(h.ours_idx)},
              {"resynced", h.resynced},
              {"events", events}};
}

Json PairJson(const PairResult& p) {
  Json j;
  j["canary_tid"] = p.canary_tid;
  j["ours_tid"] = p.ours_tid;
  j["paired_by"] = PairingMethodName(p.method);
  if (p.pairing) {
    j["pairing"] = Json{{"score", p.pairing->score},
                        {"runner_up", Opt(p.pairing->runner_up)},
                        {"window", p.pairing->window},
                        {"ambiguous", p.pairing->ambiguous}};
  } else {
    j["pairing"] = nullptr;
  }
  j["first_call"] = p.first_call.empty() ? Json(nullptr) : Json(p.first_call);
  j["status"] = !p.divergence          ? "identical"
                : p.truncation_allowed ? "truncated"
                : p.reorder_accepted   ? "reordered"
                                       : "diverged";
  j["matched"] = p.matched;
  j["canary_total"] = p.canary_total;
  j["ours_total"] = p.ours_total;
  j["canary_last_idx"] = Opt(p.canary_last_idx);
  j["ours_last_idx"] = Opt(p.ours_last_idx);
  j["first_divergence_at"] = Opt(FirstDivergenceIdx(p));
  j["what_differs"] = PairStatusText(p);
  j["divergence"] = p.divergence ? DivergenceJson(*p.divergence) : Json(nullptr);
  j["hunks"] = Json::array();
  for (const Hunk& h : p.hunks) j["hunks"].push_back(HunkJson(h));
  j["hunks_truncated"] = p.hunks_truncated;
  j["hunk_classes"] = ClassesJson(CountHunkClasses(p.hunks));
  j["matched_after_resync"] = p.matched_after_resync;
  j["lifetime"] = {{"canary", LifeJson(p.canary_life)}, {"ours", LifeJson(p.ours_life)}};
  j["call_counts"] = Json::array();
  for (const CallCount& c : p.call_counts) {
    j["call_counts"].push_back(
        {{"name", c.name}, {"canary", c.canary}, {"ours", c.ours}, {"delta", c.delta()}});
  }
  j["wait_analysis"] = WaitsJson(p.waits);
  j["cause"] = CauseJson(p.cause);
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
  j["lifetime"] = LifeJson(u.life);
  j["wait_analysis"] = WaitsJson(u.waits);
  return j;
}

// A pretty-printed value placed at `depth` levels of two spaces: every line of it but the first
// moves right (a JSON string holds no raw newline, so every newline is the printer's).
void WriteIndented(const Json& j, size_t depth, TextSink& out) {
  std::string text = j.dump(2, ' ', false, Json::error_handler_t::replace);
  std::string pad(2 * depth, ' ');
  size_t from = 0;
  for (size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', from)) {
    out.Write(std::string_view(text).substr(from, nl + 1 - from));
    out.Write(pad);
    from = nl + 1;
  }
  out.Write(std::string_view(text).substr(from));
}

// `"key": [` then each item, as the printer would place it in the report's object.
template <typename Items, typename ToJson>
void WriteArrayMember(std::string_view key, const Items& items, ToJson to_json, bool last,
                      TextSink& out) {
  out.Write(",\n  \"");
  out.Write(key);
  out.Write("\": [");
  bool first = true;
  for (const auto& item : items) {
    out.Write(first ? "\n    " : ",\n    ");
    WriteIndented(to_json(item), 2, out);
    first = false;
  }
  out.Write(first ? "]" : "\n  ]");
  if (last) out.Write("\n}\n");
}

}  // namespace

// The report's head is one small document; the pairs and unpaired threads, which grow with the
// trace (100 000 threads: 150 MB of JSON), are printed one at a time, so the report is never
// held whole, as a document or as text. Byte for byte what printing the whole document gives.
void WriteDiffJson(const DiffResult& r, TextSink& out) {
  Json j;
  j["format"] = "diff_events.diff-report";
  j["format_version"] = 1;
  j["inputs"] = {
      {"canary",
       {{"path", r.canary_path}, {"engine", r.canary_engine}, {"events", r.canary_events}}},
      {"ours", {{"path", r.ours_path}, {"engine", r.ours_engine}, {"events", r.ours_events}}}};
  j["options"] = {{"context", r.context_events},
                  {"allow_truncation", r.allow_truncation},
                  {"max_hunks", r.max_hunks},
                  {"fold_period", r.fold_period},
                  {"reorder_gap", r.reorder_gap},
                  {"reorder_window", r.reorder_window},
                  {"ignore_reordered", r.ignore_reordered}};
  j["rules"] = r.rules;
  j["warnings"] = Json::array();
  for (const CaptureWarning& w : r.warnings) {
    j["warnings"].push_back(Json{{"kind", "capture-visibility"},
                                 {"name", w.name},
                                 {"side_seen", w.seen_in_canary ? "canary" : "ours"},
                                 {"count", w.count},
                                 {"masked", w.masked}});
  }
  j["masked"] = Json::array();
  for (const MaskedCall& m : r.masked) {
    j["masked"].push_back(
        Json{{"name", m.name}, {"canary_calls", m.canary_calls}, {"ours_calls", m.ours_calls}});
  }
  j["masked_events"] = {{"canary", r.canary_masked_events}, {"ours", r.ours_masked_events}};
  j["identical"] = r.Identical();
  j["divergent_pairs"] = r.DivergentPairs();
  j["hunk_classes"] = ClassesJson(r.HunkClasses());
  j["unpaired_threads"] = r.unpaired.size();
  // Replacing invalid UTF-8 (U+FFFD) rather than throwing: a report can always be written.
  std::string head = j.dump(2, ' ', false, Json::error_handler_t::replace);
  head.resize(head.size() - 2);  // "\n}": the members below close it
  out.Write(head);
  WriteArrayMember("pairs", r.pairs, PairJson, false, out);
  WriteArrayMember("unpaired", r.unpaired, UnpairedJson, true, out);
}

std::string RenderDiffJson(const DiffResult& r) {
  StringSink out;
  WriteDiffJson(r, out);
  return out.Take();
}

}  // namespace de
