// The outcome of a fires diff: one immutable, fully sorted value that every renderer (markdown,
// CSV, JSON) reads. Building it is fires_diff.h's job; nothing here computes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diff_events/fires/fire_histogram.h"
#include "diff_events/fires/fires_profile.h"
#include "diff_events/small_list.h"

namespace de {

enum class KeyClass { kMissing, kUnderFiring, kMatched, kExtra };
const char* KeyClassName(KeyClass c);  // "missing", "under-firing", "matched", "extra"

// Small lists: most keys have one tid and one handle, held inline (see small_list.h).
struct SideOfKey {
  uint64_t fires = 0;
  SmallList<uint64_t> tids;     // sorted
  SmallList<uint64_t> handles;  // sorted, at most kMaxHandlesPerKey
  bool handles_truncated = false;
};

struct KeyRow {
  std::string op;
  uint64_t lr = 0;
  KeyClass key_class = KeyClass::kMatched;
  SideOfKey canary;
  SideOfKey ours;
  std::optional<uint64_t> canary_first_host_ns;
  std::string note;                   // profile LR note, else symbol label, else empty
  std::vector<std::string> families;  // names of the families holding this lr, sorted
  double ratio() const;               // ours / canary (0 when canary has none)
};

struct CanaryThreadRow {
  uint64_t tid = 0;
  uint64_t fires = 0;
  uint64_t matched_fires = 0;  // on keys that also fire in ours (under-firing included)
  uint64_t missing_fires = 0;  // on keys that never fire in ours
  uint64_t distinct_lrs = 0;
  bool has_analog() const { return matched_fires > 0; }
};

struct FamilyLrRow {
  uint64_t lr = 0;
  std::string op;  // empty: this lr fires on neither side
  uint64_t canary_fires = 0;
  uint64_t ours_fires = 0;
  std::string where;  // "both", "canary only", "ours only", "neither"
  std::string note;
};

struct FamilyReport {
  std::string name;
  std::string description;
  std::vector<FamilyLrRow> rows;  // by lr, then op
  uint64_t missing_keys = 0;
};

struct KeyRef {
  std::string op;
  uint64_t lr = 0;
  uint64_t canary_fires = 0;
  uint64_t ours_fires = 0;
  bool operator<(const KeyRef& o) const { return op != o.op ? op < o.op : lr < o.lr; }
};

struct BaselineComparison {
  std::string path;
  std::vector<KeyRef> newly_missing;  // missing now, not missing in the baseline
  std::vector<KeyRef> fixed;          // missing in the baseline, firing in ours now
  std::vector<KeyRef> still_missing;  // missing in both
  std::vector<KeyRef> unobserved;     // missing in the baseline, no longer fired by canary
};

struct FiresTotals {
  uint64_t canary_fires = 0;
  uint64_t ours_fires = 0;
  uint64_t canary_keys = 0;
  uint64_t ours_keys = 0;
  uint64_t shared_keys = 0;
  uint64_t missing_canary_fires = 0;  // canary volume on missing keys
  uint64_t under_canary_fires = 0;
  uint64_t extra_ours_fires = 0;
  double missing_share() const;  // missing_canary_fires / canary_fires (0 if none)
};

enum class Headline { kSameFires, kDivergent, kInconclusive };
const char* HeadlineName(Headline h);  // "same-fires", "divergent", "inconclusive"

struct FiresResult {
  std::string profile_name;
  FiresThresholds thresholds;
  std::string symbols_path;  // empty: none
  std::vector<InputTally> canary_inputs;
  std::vector<InputTally> ours_inputs;
  FiresTotals totals;
  Headline headline = Headline::kInconclusive;
  std::vector<std::string> reasons;  // why the headline, one sentence each

  std::vector<KeyRow> missing;       // canary fires desc, then op, lr
  std::vector<KeyRow> under_firing;  // ratio asc, then canary fires desc, op, lr
  std::vector<KeyRow> matched;       // every key on both sides (under-firing too), by canary desc
  std::vector<KeyRow> extra;         // ours fires desc, then op, lr
  std::vector<CanaryThreadRow> canary_threads;  // by tid
  std::vector<FamilyReport> families;           // profile order
  uint64_t missing_in_families = 0;
  uint64_t missing_outside_families = 0;
  std::optional<BaselineComparison> baseline;

  bool Has(KeyClass c) const;
};

}  // namespace de
