#include "diff_events/align/diff_result.h"

namespace de {

size_t DiffResult::DivergentPairs() const {
  size_t n = 0;
  for (const PairResult& p : pairs) {
    if (p.Diverged()) ++n;
  }
  return n;
}

size_t DiffResult::AmbiguousPairs() const {
  size_t n = 0;
  for (const PairResult& p : pairs) {
    if (p.pairing && p.pairing->ambiguous) ++n;
  }
  return n;
}

size_t DiffResult::ReorderAcceptedPairs() const {
  size_t n = 0;
  for (const PairResult& p : pairs) n += p.reorder_accepted;
  return n;
}

HunkClassCounts CountHunkClasses(const std::vector<Hunk>& hunks) {
  HunkClassCounts counts;
  for (const Hunk& h : hunks) ++counts[h.cls];
  return counts;
}

HunkClassCounts DiffResult::HunkClasses() const {
  HunkClassCounts counts;
  for (const PairResult& p : pairs) counts.Add(CountHunkClasses(p.hunks));
  return counts;
}

bool DiffResult::Identical() const { return DivergentPairs() == 0 && unpaired.empty(); }

const char* PairingMethodName(PairingMethod method) {
  switch (method) {
    case PairingMethod::kTidMap:
      return "tid-map";
    case PairingMethod::kLineage:
      return "lineage";
    case PairingMethod::kContent:
      return "content";
    case PairingMethod::kFirstCall:
      return "first-call";
  }
  return "?";
}

const char* HunkClassName(HunkClass cls) {
  switch (cls) {
    case HunkClass::kReplaced:
      return "replaced";
    case HunkClass::kInserted:
      return "inserted";
    case HunkClass::kDeleted:
      return "deleted";
    case HunkClass::kEnds:
      return "ends";
    case HunkClass::kReordered:
      return "reordered";
    case HunkClass::kLoopCount:
      return "loop-count";
  }
  return "?";
}

const char* EndStateName(EndState state) {
  switch (state) {
    case EndState::kExited:
      return "exited";
    case EndState::kBlocked:
      return "blocked";
    case EndState::kCut:
      return "cut";
  }
  return "?";
}

const char* DivergenceKindName(DivergenceKind kind) {
  switch (kind) {
    case DivergenceKind::kEventsDiffer:
      return "events-differ";
    case DivergenceKind::kOursEnds:
      return "ours-ends";
    case DivergenceKind::kCanaryEnds:
      return "canary-ends";
  }
  return "?";
}

}  // namespace de
