// Conclusions drawn across both engines once the diff is done: for every thread that ends
// blocked, who signals what it waits on in each engine (wait analysis), and which diverging
// pairs are root causes and which only wait on another pair that diverged first.
#pragma once

#include "diff_events/align/diff_result.h"
#include "diff_events/behavior/side_behavior.h"

namespace de {

struct SideView {
  const SideBehavior& behavior;
  const EventNames& names;
};

// Fills PairResult::waits and UnpairedThread::waits for every blocked side.
void AnalyzeWaits(DiffResult& result, SideView canary, SideView ours);

// Fills PairResult::cause for every diverging pair: a consequence when a side ends blocked on a
// handle that, in the other engine, a thread signals whose own pair diverged before that
// signal; otherwise a root. Needs AnalyzeWaits first.
void ClassifyCauses(DiffResult& result);

}  // namespace de
