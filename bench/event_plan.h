// The guest program both engines run in a generated event-log pair: which threads exist, who
// creates whom and when, how many events each produces, and where ours takes another branch.
// Everything here is shared by the two engines; only scheduling and engine-local values differ.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bench {

struct PlanOptions {
  uint64_t seed = 1;
  double megabytes = 100;  // target size of each file, 1 MB = 10^6 bytes
  int threads = 24;
  int divergences = 0;
  bool skew = false;  // ours' scheduler favours some threads: the files drift apart linearly
};

struct ThreadPlan {
  int parent = -1;  // -1: the main thread, which no thread.create announces
  uint32_t entry = 0;
  bool suspended = false;  // created suspended, resumed by the parent's next op
  uint64_t event_budget = 0;
  std::vector<int> children;   // child k is created at the parent's op ChildCreationOp(k)
  int64_t diverge_at_op = -1;  // ours makes another call at this op (-1: never)
};

// Ops 0..3 of the main thread create the process-wide objects; children come after.
constexpr uint64_t ChildCreationOp(size_t k) { return 4 + 3 * k; }

// Average bytes per event line, measured on generated output; sizes the event budgets.
constexpr double kAverageEventBytes = 221.0;

std::vector<ThreadPlan> BuildPlan(const PlanOptions& options);

}  // namespace bench
