#include "event_plan.h"

#include <algorithm>

#include "rng.h"

namespace bench {
namespace {

// Thread entry points; several threads share one (a worker pool), so their first calls match
// and only lineage or content tells them apart.
constexpr uint32_t kEntries[] = {0x82174a10, 0x821748f0, 0x824d21f0, 0x8219c3a0,
                                 0x82210c58, 0x8233e4a0, 0x823f0b14, 0x8251a7c8};
constexpr uint32_t kMainEntry = 0x82000400;
constexpr uint32_t kPoolEntry = 0x82311e40;
constexpr int kMainChildren = 8;
constexpr uint64_t kMinEventBudget = 200;

uint32_t RandomEntry(Rng& rng) {
  return kEntries[rng.Below(sizeof(kEntries) / sizeof(kEntries[0]))];
}

double TotalEvents(const PlanOptions& o) { return o.megabytes * 1e6 / kAverageEventBytes; }

void AddChild(std::vector<ThreadPlan>& plan, int child, int parent, uint32_t entry,
              bool suspended) {
  ThreadPlan& t = plan[static_cast<size_t>(child)];
  t.parent = parent;
  t.entry = entry;
  t.suspended = suspended;
  plan[static_cast<size_t>(parent)].children.push_back(child);
}

int PickParent(int child, Rng& rng) {
  if (child <= kMainChildren) return 0;
  return static_cast<int>(rng.Between(1, static_cast<uint32_t>(child - 1)));
}

// A tree under the main thread: its first children are the main thread's, later ones hang under
// any earlier thread. Threads [first_free, size) get random entries; 15 % start suspended.
void BuildTree(std::vector<ThreadPlan>& plan, int first_free, Rng& rng) {
  for (int i = first_free; i < static_cast<int>(plan.size()); ++i) {
    int parent = PickParent(i, rng);  // the draws in this order: same plan as before shapes
    uint32_t entry = RandomEntry(rng);
    AddChild(plan, i, parent, entry, rng.Percent(15));
  }
}

void AssignSkewedBudgets(std::vector<ThreadPlan>& plan, double events, Rng& rng) {
  std::vector<double> weights(plan.size());
  double total = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    weights[i] = i == 0 ? 1.0 : 0.25 + rng.Below(1750) / 1000.0;  // skewed: 0.25 .. 2.0
    total += weights[i];
  }
  for (size_t i = 0; i < plan.size(); ++i)
    plan[i].event_budget =
        std::max(kMinEventBudget, static_cast<uint64_t>(events * weights[i] / total));
}

void PlaceDivergences(std::vector<ThreadPlan>& plan, int count, uint64_t every, Rng& rng) {
  std::vector<int> candidates;
  for (size_t i = 1; i < plan.size(); ++i) candidates.push_back(static_cast<int>(i));
  for (int k = 0; k < count && !candidates.empty(); ++k) {
    size_t pick = rng.Below(static_cast<uint32_t>(candidates.size()));
    ThreadPlan& t = plan[static_cast<size_t>(candidates[pick])];
    candidates.erase(candidates.begin() + static_cast<long>(pick));
    t.diverge_every = every;
    uint64_t first = ChildCreationOp(t.children.size()) + 10;
    uint64_t ops = t.event_budget / 3;  // ~3 events per op
    t.diverge_at_op = static_cast<int64_t>(
        first + rng.Below(static_cast<uint32_t>(std::max<uint64_t>(ops / 2, first) - first + 1)));
  }
}

int ThreadCount(const PlanOptions& o) {
  switch (o.shape) {
    case Shape::kAb:
      return 3;
    case Shape::kLong:
      return 8;
    case Shape::kPool:
      return o.pool_size + 1;
    case Shape::kMany:
      return o.threads > 0 ? o.threads : 100000;
    case Shape::kChain:
      return o.threads > 0 ? o.threads : 20000;
    default:
      return o.threads > 0 ? o.threads : 24;
  }
}

// A tree of threads with skewed budgets; kRerun and kSeed start it with a worker pool created by
// the main thread: equal entry, equal first call.
void PlanTree(const PlanOptions& o, std::vector<ThreadPlan>& plan, Rng& rng) {
  int pool =
      o.shape == Shape::kClassic ? 0 : std::min(o.pool_size, static_cast<int>(plan.size()) - 1);
  for (int i = 1; i <= pool; ++i) AddChild(plan, i, 0, kPoolEntry, false);
  BuildTree(plan, pool + 1, rng);
  AssignSkewedBudgets(plan, TotalEvents(o), rng);
}

void PlanAb(const PlanOptions& o, std::vector<ThreadPlan>& plan) {
  AddChild(plan, 1, 0, kEntries[0], false);
  AddChild(plan, 2, 0, kEntries[2], false);
  plan[0].event_budget = kMinEventBudget;
  for (int i = 1; i <= 2; ++i)
    plan[static_cast<size_t>(i)].event_budget =
        std::max(kMinEventBudget, static_cast<uint64_t>(TotalEvents(o) / 2));
}

// Thread 1 holds 80 % of canary's events; ours logs only its first event.
void PlanLong(const PlanOptions& o, std::vector<ThreadPlan>& plan, Rng& rng) {
  double events = TotalEvents(o);
  for (int i = 1; i < static_cast<int>(plan.size()); ++i)
    AddChild(plan, i, 0, RandomEntry(rng), false);
  for (size_t i = 0; i < plan.size(); ++i)
    plan[i].event_budget = std::max(kMinEventBudget, static_cast<uint64_t>(events * 0.2 / 7));
  plan[1].event_budget = std::max(kMinEventBudget, static_cast<uint64_t>(events * 0.8));
  plan[1].ours_cut_at = 1;
}

void PlanMany(std::vector<ThreadPlan>& plan, Rng& rng) {
  for (ThreadPlan& t : plan) {
    t.entry = RandomEntry(rng);
    t.event_budget = kMinEventBudget;
    t.cut_at = 1;
    t.unique_first = true;
  }
}

void PlanChain(const PlanOptions& o, std::vector<ThreadPlan>& plan, Rng& rng) {
  for (int i = 1; i < static_cast<int>(plan.size()); ++i)
    AddChild(plan, i, i - 1, RandomEntry(rng), false);
  uint64_t each = std::max<uint64_t>(16, static_cast<uint64_t>(TotalEvents(o) / plan.size()));
  for (ThreadPlan& t : plan) t.event_budget = each;
}

void PlanPool(const PlanOptions& o, std::vector<ThreadPlan>& plan) {
  uint64_t each = std::max(kMinEventBudget, static_cast<uint64_t>(TotalEvents(o) / plan.size()));
  plan[0].event_budget = kMinEventBudget;
  for (int i = 1; i < static_cast<int>(plan.size()); ++i) {
    AddChild(plan, i, 0, kPoolEntry, false);
    ThreadPlan& t = plan[static_cast<size_t>(i)];
    t.event_budget = each;
    t.behavior_group = 0;
    t.group_events = o.pool_prefix;
  }
}

}  // namespace

bool ParseShape(const std::string& name, Shape& shape) {
  static const std::pair<const char*, Shape> kNames[] = {
      {"classic", Shape::kClassic}, {"rerun", Shape::kRerun}, {"ab", Shape::kAb},
      {"long", Shape::kLong},       {"seed", Shape::kSeed},   {"many", Shape::kMany},
      {"chain", Shape::kChain},     {"pool", Shape::kPool}};
  for (const auto& [n, s] : kNames) {
    if (name == n) {
      shape = s;
      return true;
    }
  }
  return false;
}

std::vector<ThreadPlan> BuildPlan(const PlanOptions& o) {
  Rng rng(o.seed * 0x5851F42D4C957F2DULL + 7);
  std::vector<ThreadPlan> plan(static_cast<size_t>(ThreadCount(o)));
  plan[0].entry = kMainEntry;
  switch (o.shape) {
    case Shape::kAb:
      PlanAb(o, plan);
      break;
    case Shape::kLong:
      PlanLong(o, plan, rng);
      break;
    case Shape::kMany:
      PlanMany(plan, rng);
      break;
    case Shape::kChain:
      PlanChain(o, plan, rng);
      break;
    case Shape::kPool:
      PlanPool(o, plan);
      break;
    default:
      PlanTree(o, plan, rng);
  }
  PlaceDivergences(plan, o.divergences, o.diverge_every, rng);
  return plan;
}

}  // namespace bench
