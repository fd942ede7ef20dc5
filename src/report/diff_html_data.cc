// The HTML report's swimlane data. Lanes carry density bins (ActivityBins), never events, so
// the file stays small for any trace; markers carry the few events the report already holds
// (hunks, the first divergence and its context). Times are relative to each engine's first
// event, so they stay exact as JavaScript numbers.
#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "diff_html_parts.h"
#include "html_text.h"

namespace de {
namespace {

using Json = nlohmann::ordered_json;

// A raw line longer than this is cut in the page (the JSON report has it whole).
constexpr size_t kRawShown = 4000;

struct EngineClock {
  int64_t origin = std::numeric_limits<int64_t>::max();  // earliest first event of any thread
  void See(const Lifetime& life) {
    if (!life.activity.empty()) origin = std::min(origin, life.activity.origin_ns());
  }
};

Json LaneJson(const Lifetime& life, const EngineClock& clock, std::optional<uint64_t> last_idx) {
  const ActivityBins& a = life.activity;
  Json lane;
  lane["t0"] = a.empty() ? 0 : a.origin_ns() - clock.origin;
  lane["t1"] = a.empty() ? 0 : a.last_ns() - clock.origin;
  lane["w"] = a.bin_width_ns();
  lane["bins"] = a.counts();
  lane["n"] = a.total();
  lane["end"] = EndStateName(life.end);
  lane["endText"] = EndText(life);
  lane["lastIdx"] = last_idx ? Json(*last_idx) : Json(nullptr);
  return lane;
}

std::string Raw(const std::string& raw) {
  return raw.size() > kRawShown ? raw.substr(0, kRawShown) + "…" : raw;
}

Json Summary(const std::optional<EventRef>& e) { return e ? Json(e->summary) : Json(nullptr); }

Json Events(const std::vector<EventRef>& events) {
  Json out = Json::array();
  for (const EventRef& e : events) out.push_back(e.summary);
  return out;
}

Json DivergenceDetails(const Divergence& d, int context_events) {
  Json j;
  j["summary"] = d.summary;
  j["position"] = d.position;
  j["canary"] = Summary(d.canary);
  j["ours"] = Summary(d.ours);
  j["canaryNext"] = d.canary ? Summary(d.canary_next) : Json(nullptr);
  j["oursNext"] = d.ours ? Summary(d.ours_next) : Json(nullptr);
  j["rawCanary"] = d.canary ? Json(Raw(d.canary->raw)) : Json(nullptr);
  j["rawOurs"] = d.ours ? Json(Raw(d.ours->raw)) : Json(nullptr);
  j["contextOff"] = context_events == 0;
  j["context"] = Json::array();
  for (const MatchedPair& m : d.context) {
    j["context"].push_back(Json::array({m.canary.summary, m.ours.summary}));
  }
  return j;
}

Json HunkMark(const Hunk& h, uint64_t window) {
  Json m;
  m["title"] = HunkHeader(h, window);
  m["cls"] = HunkClassName(h.cls);
  m["cPos"] = h.canary_start;
  m["cCount"] = h.canary_count;
  m["oPos"] = h.ours_start;
  m["oCount"] = h.ours_count;
  m["canary"] = Events(h.canary_events);
  m["ours"] = Events(h.ours_events);
  m["cMore"] = h.canary_count - std::min<uint64_t>(h.canary_count, h.canary_events.size());
  m["oMore"] = h.ours_count - std::min<uint64_t>(h.ours_count, h.ours_events.size());
  m["rawCanary"] = h.canary_events.empty() ? Json(nullptr) : Json(Raw(h.canary_events[0].raw));
  m["rawOurs"] = h.ours_events.empty() ? Json(nullptr) : Json(Raw(h.ours_events[0].raw));
  return m;
}

// One marker per hunk; the first divergence is the first hunk's (or, with --max-hunks 1, a
// marker of its own at the divergent event).
Json Marks(const PairResult& p, int context_events) {
  Json marks = Json::array();
  for (const Hunk& h : p.hunks) marks.push_back(HunkMark(h, p.resync_window));
  if (!p.divergence) return marks;
  if (marks.empty()) {
    const Divergence& d = *p.divergence;
    Json m;
    m["title"] = "first divergence at event #" + std::to_string(d.position);
    m["cls"] = DivergenceKindName(d.kind);
    m["cPos"] = std::min(d.position, p.canary_total);
    m["cCount"] = d.canary ? 1 : 0;
    m["oPos"] = std::min(d.position, p.ours_total);
    m["oCount"] = d.ours ? 1 : 0;
    m["canary"] = d.canary ? Json::array({d.canary->summary}) : Json::array();
    m["ours"] = d.ours ? Json::array({d.ours->summary}) : Json::array();
    marks.push_back(m);
  }
  marks[0]["first"] = DivergenceDetails(*p.divergence, context_events);
  return marks;
}

Json CauseJson(const DiffResult& r, const Cause& cause) {
  Json roots = Json::array();
  for (uint64_t tid : cause.explained_by) {
    for (const PairResult& q : r.pairs) {
      if (q.canary_tid == tid) roots.push_back(PairId(q));
    }
  }
  return Json{{"role", cause.role == CauseRole::kRoot ? "root" : "consequence"},
              {"text", CauseText(cause)},
              {"roots", roots}};
}

Json SideJson(const std::string& path, const std::string& engine, uint64_t events) {
  return Json{{"path", path}, {"engine", engine}, {"events", events}};
}

}  // namespace

std::string PairId(const PairResult& p) {
  return std::to_string(p.canary_tid) + "-" + std::to_string(p.ours_tid);
}

std::string HtmlChartData(const DiffResult& r) {
  EngineClock canary, ours;
  for (const PairResult& p : r.pairs) {
    canary.See(p.canary_life);
    ours.See(p.ours_life);
  }
  for (const UnpairedThread& u : r.unpaired) (u.canary_side ? canary : ours).See(u.life);
  Json j;
  j["canary"] = SideJson(r.canary_path, r.canary_engine, r.canary_events);
  j["ours"] = SideJson(r.ours_path, r.ours_engine, r.ours_events);
  j["pairs"] = Json::array();
  for (const PairResult& p : r.pairs) {
    Json pair;
    pair["id"] = PairId(p);
    pair["c"] = p.canary_tid;
    pair["o"] = p.ours_tid;
    pair["status"] = PairStatusText(p);
    pair["diverged"] = p.Diverged();
    pair["matched"] = p.matched;
    pair["identical"] = !p.divergence.has_value();
    pair["cause"] = p.cause ? CauseJson(r, *p.cause) : Json(nullptr);
    pair["canary"] = LaneJson(p.canary_life, canary, p.canary_last_idx);
    pair["ours"] = LaneJson(p.ours_life, ours, p.ours_last_idx);
    pair["marks"] = Marks(p, r.context_events);
    j["pairs"].push_back(std::move(pair));
  }
  j["unpaired"] = Json::array();
  for (const UnpairedThread& u : r.unpaired) {
    const char* side = u.canary_side ? "canary" : "ours";
    j["unpaired"].push_back(
        {{"id", std::string(side) + "-" + std::to_string(u.tid)},
         {"side", side},
         {"tid", u.tid},
         {"text", UnpairedText(u)},
         {"lane", LaneJson(u.life, u.canary_side ? canary : ours, u.last_idx)}});
  }
  // Invalid UTF-8 becomes U+FFFD rather than an exception: a report can always be written.
  return ScriptSafeJson(j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

}  // namespace de
