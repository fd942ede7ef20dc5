#include "event_plan.h"

#include <algorithm>

#include "rng.h"

namespace bench {
namespace {

// Thread entry points; several threads share one (a worker pool), so their first calls match
// and only lineage tells them apart.
constexpr uint32_t kEntries[] = {0x82174a10, 0x821748f0, 0x824d21f0, 0x8219c3a0,
                                 0x82210c58, 0x8233e4a0, 0x823f0b14, 0x8251a7c8};
constexpr int kMainChildren = 8;
constexpr uint64_t kMinEventBudget = 200;

int PickParent(int child, Rng& rng) {
  if (child <= kMainChildren) return 0;
  return static_cast<int>(rng.Between(1, static_cast<uint32_t>(child - 1)));
}

void AssignBudgets(std::vector<ThreadPlan>& plan, double megabytes, Rng& rng) {
  std::vector<double> weights(plan.size());
  double total = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    weights[i] = i == 0 ? 1.0 : 0.25 + rng.Below(1750) / 1000.0;  // skewed: 0.25 .. 2.0
    total += weights[i];
  }
  double events = megabytes * 1e6 / kAverageEventBytes;
  for (size_t i = 0; i < plan.size(); ++i)
    plan[i].event_budget =
        std::max(kMinEventBudget, static_cast<uint64_t>(events * weights[i] / total));
}

void PlaceDivergences(std::vector<ThreadPlan>& plan, int count, Rng& rng) {
  std::vector<int> candidates;
  for (size_t i = 1; i < plan.size(); ++i) candidates.push_back(static_cast<int>(i));
  for (int k = 0; k < count && !candidates.empty(); ++k) {
    size_t pick = rng.Below(static_cast<uint32_t>(candidates.size()));
    ThreadPlan& t = plan[static_cast<size_t>(candidates[pick])];
    candidates.erase(candidates.begin() + static_cast<long>(pick));
    uint64_t first = ChildCreationOp(t.children.size()) + 10;
    uint64_t ops = t.event_budget / 3;  // ~3 events per op
    t.diverge_at_op = static_cast<int64_t>(
        first + rng.Below(static_cast<uint32_t>(std::max<uint64_t>(ops / 2, first) - first + 1)));
  }
}

}  // namespace

std::vector<ThreadPlan> BuildPlan(const PlanOptions& options) {
  Rng rng(options.seed * 0x5851F42D4C957F2DULL + 7);
  std::vector<ThreadPlan> plan(static_cast<size_t>(options.threads));
  plan[0].entry = 0x82000400;
  for (int i = 1; i < options.threads; ++i) {
    ThreadPlan& t = plan[static_cast<size_t>(i)];
    t.parent = PickParent(i, rng);
    t.entry = kEntries[rng.Below(sizeof(kEntries) / sizeof(kEntries[0]))];
    t.suspended = rng.Percent(15);
    plan[static_cast<size_t>(t.parent)].children.push_back(i);
  }
  AssignBudgets(plan, options.megabytes, rng);
  PlaceDivergences(plan, options.divergences, rng);
  return plan;
}

}  // namespace bench
