// The guest program both engines run in a generated event-log pair: which threads exist, who
// creates whom and when, how many events each produces, and where ours takes another branch.
// Everything here is shared by the two engines; only scheduling and engine-local values differ
// (and, for the shapes where ours wedges, where ours' log stops).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bench {

// The input shapes of bench/run (docs/performance.md describes each).
enum class Shape {
  kClassic,  // the original pair: random fair schedulers in both engines, child_tid logged
  kRerun,    // a re-run pair: each engine schedules its own way, worker pools, no child_tid,
             // tids handed out in creation order by each engine
  kAb,       // two big threads: canary logs all of A then all of B, ours B then A
  kLong,     // canary: one thread with most of the events; ours: 1 event of it, the rest equal
  kSeed,     // the users' seed: a big canary, a small ours that wedges early (waits never end)
  kMany,     // N one-event threads per side that nobody creates (default 100 000)
  kChain,    // a creation chain N threads deep (default 20 000): thread i creates thread i+1
  kPool,     // a pool of threads whose first 100 events are equal across the pool, then differ
};

bool ParseShape(const std::string& name, Shape& shape);

struct PlanOptions {
  uint64_t seed = 1;
  double megabytes = 100;  // target size of each file (canary's, when the sides differ)
  int threads = 0;         // 0: the shape's default (kMany 100 000, kChain 20 000, others 24)
  int divergences = 0;
  uint64_t diverge_every = 0;  // > 0: a diverging thread diverges again every this many ops
  bool skew = false;  // ours' scheduler favours some threads: the files drift apart linearly
  Shape shape = Shape::kClassic;
  bool child_tid = true;           // thread.create carries child_tid
  uint64_t wedge_events = 121000;  // kSeed: ours wedges after about this many events
  int pool_size = 8;               // kPool, kRerun: threads in the pool
  uint64_t pool_prefix = 100;      // kPool: events the pool's threads have in common
};

struct ThreadPlan {
  int parent = -1;         // -1: a thread that no thread.create announces (the main thread)
  uint32_t entry = 0;      // the first op depends on the entry only
  bool suspended = false;  // created suspended, resumed by the parent's next op
  uint64_t event_budget = 0;
  std::vector<int> children;          // child k is created at the parent's op ChildCreationOp(k)
  int64_t diverge_at_op = -1;         // ours makes another call at this op (-1: never)
  uint64_t diverge_every = 0;         // > 0: and again every this many ops after it
  uint64_t cut_at = UINT64_MAX;       // both logs stop this thread before its event cut_at
  uint64_t ours_cut_at = UINT64_MAX;  // ours' log stops this thread before its event ours_cut_at
  int behavior_group = -1;    // >= 0: the thread's first `group_events` events come from the
  uint64_t group_events = 0;  // group's stream, shared by every thread of the group
  bool unique_first = false;  // the first op is a KeTlsSetValue with a 32-bit thread-own value
};

// Ops 0..3 of the main thread create the process-wide objects; children come after.
constexpr uint64_t ChildCreationOp(size_t k) { return 4 + 3 * k; }

// Average bytes per event line, measured on generated output; sizes the event budgets.
constexpr double kAverageEventBytes = 221.0;

std::vector<ThreadPlan> BuildPlan(const PlanOptions& options);

}  // namespace bench
