#include "trace_plan.h"

#include <fmt/format.h>

#include <algorithm>

#include "diff_events/report/diff_reports.h"
#include "trace_writer.h"

namespace de {
namespace {

// `window` events centred on position `p`.
PositionSpan Around(uint64_t p, uint64_t window) {
  uint64_t before = window / 2;
  uint64_t begin = p > before ? p - before : 0;
  return {begin, p + (window - before)};
}

PositionSpan LastEvents(uint64_t total, uint64_t window) {
  return {total > window ? total - window : 0, total};
}

std::string EventText(const std::optional<EventRef>& event) {
  return event ? event->summary : "<end of stream>";
}

std::string SummariesJson(const std::vector<EventRef>& events) {
  std::string out = "[";
  for (const EventRef& e : events) out += (out.size() > 1 ? "," : "") + JsonQuoted(e.summary);
  return out + "]";
}

std::string RangeText(uint64_t start, uint64_t count,
                      const std::optional<std::pair<uint64_t, uint64_t>>& idx) {
  if (count == 0) return fmt::format("none at #{}", start);
  std::string text = fmt::format("#{}..{}", start, start + count - 1);
  if (idx) text += fmt::format(" (idx {}..{})", idx->first, idx->second);
  return text;
}

std::string DivergenceArgs(const PairResult& pair, const std::string& label) {
  const Divergence& d = *pair.divergence;
  JsonArgs args;
  args.Str("pair", label).Str("kind", DivergenceKindName(d.kind)).Num("position", d.position);
  args.Str("summary", d.summary);
  if (!d.field.empty()) args.Str("field", d.field);
  args.Str("canary", EventText(d.canary)).Str("ours", EventText(d.ours));
  return args.Object();
}

std::string HunkArgs(const PairResult& pair, const Hunk& h, const std::string& label) {
  JsonArgs args;
  args.Str("pair", label).Str("class", HunkClassName(h.cls));
  args.Str("header", HunkHeader(h, pair.resync_window));
  args.Str("canary", RangeText(h.canary_start, h.canary_count, h.canary_idx));
  args.Str("ours", RangeText(h.ours_start, h.ours_count, h.ours_idx));
  args.Bool("resynced", h.resynced);
  args.Raw("canary_events", SummariesJson(h.canary_events));
  args.Raw("ours_events", SummariesJson(h.ours_events));
  return args.Object();
}

// Where the pair's known differences lie on one side, and the points that get a window.
struct SideFacts {
  std::vector<PositionSpan> differing;
  std::vector<uint64_t> points;
};

SideFacts FactsOf(const PairResult& pair, bool canary) {
  SideFacts facts;
  uint64_t total = canary ? pair.canary_total : pair.ours_total;
  uint64_t known_until = 0;
  if (pair.divergence) {
    facts.points.push_back(pair.divergence->position);
    known_until = pair.divergence->position;
  }
  for (const Hunk& h : pair.hunks) {
    uint64_t start = canary ? h.canary_start : h.ours_start;
    uint64_t end = start + (canary ? h.canary_count : h.ours_count);
    facts.points.push_back(start);
    facts.points.push_back(end);
    facts.differing.push_back({start, end});
    known_until = end;
  }
  // Past the last listed hunk nothing was looked at (--max-hunks) or nothing resynchronized.
  if (pair.divergence && (pair.hunks_truncated || pair.hunks.empty()))
    facts.differing.push_back({known_until, total});
  return facts;
}

ThreadTrack PairTrack(const PairResult& pair, bool canary, int sort_index, uint64_t window) {
  ThreadTrack t;
  t.tid = canary ? pair.canary_tid : pair.ours_tid;
  t.label = fmt::format("canary tid {} ↔ ours {}", pair.canary_tid, pair.ours_tid);
  t.sort_index = sort_index;
  t.events = canary ? pair.canary_total : pair.ours_total;
  t.end_text = EndText(canary ? pair.canary_life : pair.ours_life);
  t.paired = true;
  SideFacts facts = FactsOf(pair, canary);
  t.differing = facts.differing;
  std::vector<PositionSpan> spans;
  if (window == 0) {
    spans.push_back({0, t.events});
  } else {
    for (uint64_t p : facts.points) spans.push_back(Around(p, window));
    spans.push_back(LastEvents(t.events, window));
  }
  t.windows = MergeSpans(spans, t.events);
  if (pair.divergence)
    t.marks.push_back({pair.divergence->position, "divergence", DivergenceArgs(pair, t.label)});
  for (const Hunk& h : pair.hunks) {
    t.marks.push_back({canary ? h.canary_start : h.ours_start,
                       std::string("hunk: ") + HunkClassName(h.cls), HunkArgs(pair, h, t.label)});
  }
  std::stable_sort(t.marks.begin(), t.marks.end(),
                   [](const TraceMark& a, const TraceMark& b) { return a.position < b.position; });
  return t;
}

ThreadTrack UnpairedTrack(const UnpairedThread& u, int sort_index, uint64_t window) {
  ThreadTrack t;
  t.tid = u.tid;
  t.label = fmt::format("{} tid {} (unpaired)", u.canary_side ? "canary" : "ours", u.tid);
  t.sort_index = sort_index;
  t.events = u.events;
  t.end_text = EndText(u.life);
  t.differing = {{0, u.events}};
  std::vector<PositionSpan> spans = {{0, window == 0 ? u.events : window}};
  if (window != 0) spans.push_back(LastEvents(u.events, window));
  t.windows = MergeSpans(spans, u.events);
  t.marks.push_back({0, "unpaired", JsonArgs().Str("thread", UnpairedText(u)).Object()});
  return t;
}

}  // namespace

std::vector<PositionSpan> MergeSpans(std::vector<PositionSpan> spans, uint64_t total) {
  for (PositionSpan& s : spans) s.end = std::min(s.end, total);
  spans.erase(std::remove_if(spans.begin(), spans.end(),
                             [](const PositionSpan& s) { return s.begin >= s.end; }),
              spans.end());
  std::sort(spans.begin(), spans.end(),
            [](const PositionSpan& a, const PositionSpan& b) { return a.begin < b.begin; });
  std::vector<PositionSpan> merged;
  for (const PositionSpan& s : spans) {
    if (!merged.empty() && s.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, s.end);
    } else {
      merged.push_back(s);
    }
  }
  return merged;
}

TracePlan PlanTrace(const DiffResult& result, uint64_t window) {
  TracePlan plan;
  int sort_index = 0;
  for (const PairResult& pair : result.pairs) {
    plan.canary.push_back(PairTrack(pair, true, sort_index, window));
    plan.ours.push_back(PairTrack(pair, false, sort_index, window));
    ++sort_index;
  }
  for (const UnpairedThread& u : result.unpaired) {
    (u.canary_side ? plan.canary : plan.ours).push_back(UnpairedTrack(u, sort_index++, window));
  }
  return plan;
}

}  // namespace de
