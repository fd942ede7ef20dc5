// What the trace export will show of each thread, decided from the result alone before the
// inputs are read again: which event positions are exported (windows around each divergence and
// hunk, and at the thread's end), which stretches are known to differ, and the marks to place.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diff_events/align/diff_result.h"

namespace de {

struct PositionSpan {
  uint64_t begin = 0;  // event positions in the thread's stream, [begin, end)
  uint64_t end = 0;
  bool operator==(const PositionSpan& o) const { return begin == o.begin && end == o.end; }
};

// An instant on a track, at the event in `position` (at or past the end: after the last event).
struct TraceMark {
  uint64_t position = 0;
  std::string name;  // "divergence", "hunk: replaced", "unpaired"
  std::string args;  // a JSON object
};

// One thread of one engine, as the trace shows it.
struct ThreadTrack {
  uint64_t tid = 0;
  std::string label;  // "canary tid 17 ↔ ours 13", "canary tid 9 (unpaired)"
  int sort_index = 0;
  uint64_t events = 0;   // what the diff counted: the second read must agree
  std::string end_text;  // "exited", "blocked on Event c17726c2…", "cut"
  bool paired = false;
  std::vector<PositionSpan> windows;    // exported; sorted, disjoint, never adjacent
  std::vector<PositionSpan> differing;  // a gap that overlaps one is not "matched"
  std::vector<TraceMark> marks;         // by position
};

struct TracePlan {
  std::vector<ThreadTrack> canary;  // pairs by canary tid, then unpaired threads
  std::vector<ThreadTrack> ours;
};

// `window`: events exported around each point of interest; 0 exports every event.
TracePlan PlanTrace(const DiffResult& result, uint64_t window);

// Sorted, with overlapping or touching spans joined and everything clipped to [0, total).
std::vector<PositionSpan> MergeSpans(std::vector<PositionSpan> spans, uint64_t total);

}  // namespace de
