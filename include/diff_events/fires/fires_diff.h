// Compares two fire histograms key by key (op, lr) and builds the immutable FiresResult:
// missing / under-firing / matched / extra keys, per-canary-thread totals, LR families, the
// baseline comparison and the headline. Rules are in docs/fires.md.
#pragma once

#include <string>

#include "diff_events/fires/fire_histogram.h"
#include "diff_events/fires/fires_baseline.h"
#include "diff_events/fires/fires_profile.h"
#include "diff_events/fires/fires_result.h"
#include "diff_events/fires/symbol_map.h"

namespace de {

struct FiresDiffContext {
  explicit FiresDiffContext(const FiresProfile& p) : profile(p) {}

  const FiresProfile& profile;         // thresholds, notes, families
  const SymbolMap* symbols = nullptr;  // labels LRs without a note
  std::string symbols_path;
  const BaselineKeys* baseline = nullptr;
};

// Under-firing: both sides fire, ours/canary < ratio and canary >= the minimum.
bool IsUnderFiring(uint64_t canary_fires, uint64_t ours_fires, const FiresThresholds& t);

FiresResult DiffFires(const FireHistogram& canary, const FireHistogram& ours,
                      const FiresDiffContext& context);
// The same, freeing the histograms' keys one by one as their rows are built: memory peaks with
// one copy of the keys, not two. Both histograms are empty afterwards.
FiresResult DiffFires(FireHistogram&& canary, FireHistogram&& ours,
                      const FiresDiffContext& context);

}  // namespace de
