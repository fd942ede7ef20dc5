#include "diff_events/fires/fires_diff.h"

#include <fmt/format.h>
#include <tsl/robin_map.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <deque>
#include <map>
#include <utility>

namespace de {
namespace {

// Both sides' op names ranked in name order: a key packed as (rank, lr) then sorts like
// (op name, lr) and compares across sides as one integer, so merging a million keys needs no
// string per lookup and no tree node per key.
struct OpRanks {
  std::vector<std::string> names;  // by rank
  std::vector<OpId> canary, ours;  // a side's op id → rank

  OpId Find(const std::string& name) const {
    auto it = std::lower_bound(names.begin(), names.end(), name);
    return it != names.end() && *it == name ? static_cast<OpId>(it - names.begin()) : kNoOp;
  }
};

OpRanks RankOps(const OpTable& canary, const OpTable& ours) {
  OpRanks ranks;
  for (const OpTable* side : {&canary, &ours})
    for (size_t id = 0; id < side->size(); ++id) ranks.names.push_back(side->Name(OpId(id)));
  std::sort(ranks.names.begin(), ranks.names.end());
  ranks.names.erase(std::unique(ranks.names.begin(), ranks.names.end()), ranks.names.end());
  for (size_t id = 0; id < canary.size(); ++id)
    ranks.canary.push_back(ranks.Find(canary.Name(OpId(id))));
  for (size_t id = 0; id < ours.size(); ++id) ranks.ours.push_back(ranks.Find(ours.Name(OpId(id))));
  return ranks;
}

SideOfKey ToSide(const KeyCounts& counts) {
  SideOfKey side;
  side.fires = counts.fires;
  side.tids.reserve(counts.tids.size());
  for (const TidFires& t : counts.tids) side.tids.push_back(t.tid);
  side.handles = counts.handles;
  side.handles_truncated = counts.handles_truncated;
  return side;
}

// Gives the heap freed so far back to the system: glibc keeps freed blocks for reuse, and the
// ours histogram was built on the scan's other thread, in an arena this thread won't reuse.
void ReturnFreedMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

// A side's keys as the merge takes them: (op rank, lr) in place of (op id, lr), sorted.
std::deque<KeyEntry> RankedKeys(std::deque<KeyEntry> keys, const std::vector<OpId>& ranks) {
  for (KeyEntry& entry : keys) entry.key = PackKey(ranks[KeyOp(entry.key)], KeyLr(entry.key));
  std::sort(keys.begin(), keys.end(),
            [](const KeyEntry& a, const KeyEntry& b) { return a.key < b.key; });
  return keys;
}

// Calls visit(key, canary counts or null, ours counts or null) for every key of either side,
// in (op, lr) order. With `consume`, each key is freed once visited: the rows built from them
// take the place of the histograms instead of adding to them.
template <typename Visit>
void WalkKeys(std::deque<KeyEntry>& c, std::deque<KeyEntry>& o, bool consume, Visit visit) {
  constexpr size_t kReturnEvery = size_t{1} << 16;  // keys between giving freed memory back
  size_t i = 0, j = 0, walked = 0;  // with `consume`, always 0: the fronts are taken off
  while (i < c.size() || j < o.size()) {
    uint64_t key = j == o.size() || (i < c.size() && c[i].key <= o[j].key) ? c[i].key : o[j].key;
    const KeyCounts* canary = i < c.size() && c[i].key == key ? &c[i].counts : nullptr;
    const KeyCounts* ours = j < o.size() && o[j].key == key ? &o[j].counts : nullptr;
    visit(key, canary, ours);
    if (!consume) {
      i += canary != nullptr;
      j += ours != nullptr;
      continue;
    }
    if (canary) c.pop_front();
    if (ours) o.pop_front();
    if (++walked % kReturnEvery == 0) ReturnFreedMemory();
  }
}

uint64_t FiresOf(const KeyCounts* counts) { return counts ? counts->fires : 0; }

KeyClass Classify(uint64_t canary_fires, uint64_t ours_fires, const FiresThresholds& t) {
  if (ours_fires == 0) return KeyClass::kMissing;
  if (canary_fires == 0) return KeyClass::kExtra;
  return IsUnderFiring(canary_fires, ours_fires, t) ? KeyClass::kUnderFiring : KeyClass::kMatched;
}

std::string NoteOf(uint64_t lr, const FiresDiffContext& context) {
  auto note = context.profile.lr_notes.find(lr);
  if (note != context.profile.lr_notes.end()) return note->second;
  return context.symbols ? context.symbols->Label(lr).value_or("") : "";
}

void Annotate(KeyRow& row, const FiresDiffContext& context) {
  row.note = NoteOf(row.lr, context);
  for (const LrFamily& family : context.profile.families)
    if (std::binary_search(family.lrs.begin(), family.lrs.end(), row.lr))
      row.families.push_back(family.name);
  std::sort(row.families.begin(), row.families.end());
}

// One merged key as the family and baseline lookups need it, once the rows are in their class
// lists: 24 bytes, in (op, lr) order.
struct MergedKey {
  uint64_t key = 0;  // (op rank, lr)
  uint64_t canary_fires = 0;
  uint64_t ours_fires = 0;
};

// Per canary thread: fires on matched and on missing keys, and how many distinct LRs.
class CanaryThreadTally {
 public:
  void Add(const KeyCounts& counts, uint64_t lr, bool ours_fires) {
    for (const TidFires& t : counts.tids) {
      CanaryThreadRow& thread = threads_[t.tid];
      thread.tid = t.tid;
      thread.fires += t.fires;
      (ours_fires ? thread.matched_fires : thread.missing_fires) += t.fires;
      tid_lrs_.emplace_back(t.tid, lr);
    }
  }
  std::vector<CanaryThreadRow> Rows() {
    std::sort(tid_lrs_.begin(), tid_lrs_.end());
    tid_lrs_.erase(std::unique(tid_lrs_.begin(), tid_lrs_.end()), tid_lrs_.end());
    for (const auto& [tid, lr] : tid_lrs_) ++threads_[tid].distinct_lrs;
    tid_lrs_ = {};
    std::vector<CanaryThreadRow> out;
    out.reserve(threads_.size());
    for (const auto& [tid, thread] : threads_) out.push_back(thread);
    std::sort(out.begin(), out.end(),
              [](const CanaryThreadRow& a, const CanaryThreadRow& b) { return a.tid < b.tid; });
    return out;
  }

 private:
  tsl::robin_map<uint64_t, CanaryThreadRow> threads_;
  std::vector<std::pair<uint64_t, uint64_t>> tid_lrs_;  // (tid, lr), for the distinct LRs
};

bool ByOpLr(const KeyRow& a, const KeyRow& b) { return a.op != b.op ? a.op < b.op : a.lr < b.lr; }

void SortByFires(std::vector<KeyRow>& rows, bool canary_side) {
  std::sort(rows.begin(), rows.end(), [&](const KeyRow& a, const KeyRow& b) {
    uint64_t fa = canary_side ? a.canary.fires : a.ours.fires;
    uint64_t fb = canary_side ? b.canary.fires : b.ours.fires;
    return fa != fb ? fa > fb : ByOpLr(a, b);
  });
}

void SortByRatio(std::vector<KeyRow>& rows) {
  std::sort(rows.begin(), rows.end(), [](const KeyRow& a, const KeyRow& b) {
    if (a.ratio() != b.ratio()) return a.ratio() < b.ratio();
    return a.canary.fires != b.canary.fires ? a.canary.fires > b.canary.fires : ByOpLr(a, b);
  });
}

// Each row goes straight to its class list, reserved to its exact size: a key is held once
// (under-firing keys twice, being matched keys too), never in a list of all rows as well.
void ReserveClassLists(std::deque<KeyEntry>& c, std::deque<KeyEntry>& o, const FiresThresholds& t,
                       FiresResult& result) {
  size_t counts[4] = {0, 0, 0, 0};
  WalkKeys(c, o, /*consume=*/false, [&](uint64_t, const KeyCounts* canary, const KeyCounts* ours) {
    ++counts[static_cast<int>(Classify(FiresOf(canary), FiresOf(ours), t))];
  });
  result.missing.reserve(counts[static_cast<int>(KeyClass::kMissing)]);
  result.under_firing.reserve(counts[static_cast<int>(KeyClass::kUnderFiring)]);
  result.matched.reserve(counts[static_cast<int>(KeyClass::kMatched)] +
                         counts[static_cast<int>(KeyClass::kUnderFiring)]);
  result.extra.reserve(counts[static_cast<int>(KeyClass::kExtra)]);
}

void AddToClassList(KeyRow row, FiresResult& result) {
  FiresTotals& t = result.totals;
  t.canary_fires += row.canary.fires;
  t.ours_fires += row.ours.fires;
  t.canary_keys += row.canary.fires > 0;
  t.ours_keys += row.ours.fires > 0;
  switch (row.key_class) {
    case KeyClass::kMissing:
      t.missing_canary_fires += row.canary.fires;
      result.missing.push_back(std::move(row));
      break;
    case KeyClass::kExtra:
      t.extra_ours_fires += row.ours.fires;
      result.extra.push_back(std::move(row));
      break;
    case KeyClass::kUnderFiring:
      t.under_canary_fires += row.canary.fires;
      result.under_firing.push_back(row);
      [[fallthrough]];
    case KeyClass::kMatched:
      ++t.shared_keys;
      result.matched.push_back(std::move(row));
      break;
  }
}

KeyRow MakeRow(uint64_t key, const KeyCounts* canary, const KeyCounts* ours, const OpRanks& ranks,
               const FiresDiffContext& context) {
  KeyRow row;
  row.op = ranks.names[KeyOp(key)];
  row.lr = KeyLr(key);
  if (canary) {
    row.canary = ToSide(*canary);
    if (canary->first_host_ns != UINT64_MAX) row.canary_first_host_ns = canary->first_host_ns;
  }
  if (ours) row.ours = ToSide(*ours);
  row.key_class = Classify(row.canary.fires, row.ours.fires, context.profile.thresholds);
  Annotate(row, context);
  return row;
}

// Builds every row into its class list, the canary threads and, when the families or the
// baseline need them, the merged keys.
void MergeKeys(std::deque<KeyEntry> c, std::deque<KeyEntry> o, const OpRanks& ranks,
               const FiresDiffContext& context, bool keep_merged, FiresResult& result,
               std::vector<MergedKey>& merged) {
  ReserveClassLists(c, o, context.profile.thresholds, result);
  if (keep_merged) merged.reserve(std::max(c.size(), o.size()));
  CanaryThreadTally threads;
  WalkKeys(c, o, /*consume=*/true,
           [&](uint64_t key, const KeyCounts* canary, const KeyCounts* ours) {
             if (canary) threads.Add(*canary, KeyLr(key), ours != nullptr);
             if (keep_merged) merged.push_back({key, FiresOf(canary), FiresOf(ours)});
             AddToClassList(MakeRow(key, canary, ours, ranks, context), result);
           });
  ReturnFreedMemory();
  result.canary_threads = threads.Rows();
}

void SortClassLists(FiresResult& result) {
  SortByFires(result.missing, true);
  SortByFires(result.matched, true);
  SortByFires(result.extra, false);
  SortByRatio(result.under_firing);
}

size_t RowOf(const std::vector<MergedKey>& merged, uint64_t key) {
  auto at = std::lower_bound(merged.begin(), merged.end(), key,
                             [](const MergedKey& m, uint64_t wanted) { return m.key < wanted; });
  return static_cast<size_t>(at - merged.begin());
}

const char* Where(uint64_t canary_fires, uint64_t ours_fires) {
  if (canary_fires && ours_fires) return "both";
  if (canary_fires) return "canary only";
  if (ours_fires) return "ours only";
  return "neither";
}

// The keys of every LR some family names, by lr (each in (op, lr) order): one pass over the
// keys, whatever the number of families.
std::map<uint64_t, std::vector<const MergedKey*>> FamilyKeys(const std::vector<MergedKey>& merged,
                                                             const FiresProfile& profile) {
  std::vector<uint64_t> lrs;
  for (const LrFamily& family : profile.families)
    lrs.insert(lrs.end(), family.lrs.begin(), family.lrs.end());
  std::sort(lrs.begin(), lrs.end());
  std::map<uint64_t, std::vector<const MergedKey*>> out;
  if (lrs.empty()) return out;
  for (const MergedKey& m : merged)
    if (std::binary_search(lrs.begin(), lrs.end(), KeyLr(m.key))) out[KeyLr(m.key)].push_back(&m);
  return out;
}

FamilyReport ReportFamily(const LrFamily& family,
                          const std::map<uint64_t, std::vector<const MergedKey*>>& family_keys,
                          const OpRanks& ranks, const FiresDiffContext& context) {
  FamilyReport report{family.name, family.description, {}, 0};
  for (uint64_t lr : family.lrs) {
    auto found = family_keys.find(lr);
    if (found == family_keys.end()) {
      report.rows.push_back({lr, "", 0, 0, Where(0, 0), NoteOf(lr & kMaxLr, context)});
      continue;
    }
    for (const MergedKey* m : found->second) {
      report.rows.push_back({lr, ranks.names[KeyOp(m->key)], m->canary_fires, m->ours_fires,
                             Where(m->canary_fires, m->ours_fires), NoteOf(lr, context)});
      report.missing_keys += m->ours_fires == 0;
    }
  }
  return report;
}

KeyRef Ref(const MergedKey& m, const OpRanks& ranks) {
  return {ranks.names[KeyOp(m.key)], KeyLr(m.key), m.canary_fires, m.ours_fires};
}

BaselineComparison CompareBaseline(const BaselineKeys& baseline, const OpRanks& ranks,
                                   const std::vector<MergedKey>& merged) {
  BaselineComparison cmp;
  cmp.path = baseline.path;
  std::vector<uint64_t> before;  // the baseline's missing keys that name an op seen now
  for (const KeyRef& ref : baseline.missing) {
    OpId rank = ranks.Find(ref.op);
    uint64_t key = PackKey(rank, ref.lr & kMaxLr);
    size_t at = rank == kNoOp ? merged.size() : RowOf(merged, key);
    bool found = at < merged.size() && merged[at].key == key && KeyLr(key) == ref.lr;
    if (found) before.push_back(key);
    if (!found || merged[at].canary_fires == 0) {
      cmp.unobserved.push_back(ref);
    } else if (merged[at].ours_fires > 0) {
      cmp.fixed.push_back(Ref(merged[at], ranks));
    } else {
      cmp.still_missing.push_back(Ref(merged[at], ranks));
    }
  }
  std::sort(before.begin(), before.end());
  for (const MergedKey& m : merged)
    if (m.ours_fires == 0 && !std::binary_search(before.begin(), before.end(), m.key))
      cmp.newly_missing.push_back(Ref(m, ranks));
  return cmp;  // every list is in (op, lr) order: baseline and merged keys both are
}

std::string Percent(double share) { return fmt::format("{:.2f}%", share * 100); }

// Skipped lines don't change the headline, but a reader of it should know they exist.
void NoteSkippedLines(FiresResult& r) {
  uint64_t skipped = 0;
  for (const auto* inputs : {&r.canary_inputs, &r.ours_inputs})
    for (const InputTally& t : *inputs) skipped += t.invalid_json + t.unusable;
  if (skipped)
    r.reasons.push_back(
        fmt::format("{} input line(s) skipped as invalid JSON or unusable", skipped));
}

void Decide(FiresResult& r) {
  const FiresTotals& t = r.totals;
  if (t.canary_fires == 0 || t.ours_fires == 0) {
    r.headline = Headline::kInconclusive;
    if (t.canary_fires == 0) r.reasons.push_back("canary has no fires");
    if (t.ours_fires == 0) r.reasons.push_back("ours has no fires");
    NoteSkippedLines(r);
    return;
  }
  if (t.shared_keys == 0) {
    r.headline = Headline::kInconclusive;
    r.reasons.push_back(
        "no (op, lr) key fires on both sides: different guest builds, or a wrong LR probe?");
    NoteSkippedLines(r);
    return;
  }
  if (!r.missing.empty())
    r.reasons.push_back(
        fmt::format("{} key(s) fire in canary but never in ours ({} of canary fires)",
                    r.missing.size(), Percent(t.missing_share())));
  if (!r.under_firing.empty())
    r.reasons.push_back(fmt::format("{} key(s) under-fire in ours (ratio < {}, canary >= {})",
                                    r.under_firing.size(), r.thresholds.under_ratio,
                                    r.thresholds.under_min_canary_fires));
  if (!r.extra.empty())
    r.reasons.push_back(fmt::format("{} key(s) fire in ours but never in canary", r.extra.size()));
  r.headline = r.reasons.empty() ? Headline::kSameFires : Headline::kDivergent;
  if (r.reasons.empty()) r.reasons.push_back("every key fires on both sides and none under-fires");
  NoteSkippedLines(r);
}

// The diff of two sides' keys, each (op id, lr) of its own op table; `canary` / `ours` give the
// side inputs and op tables.
FiresResult Diff(const FireHistogram& canary, const FireHistogram& ours,
                 std::deque<KeyEntry> canary_keys, std::deque<KeyEntry> ours_keys,
                 const FiresDiffContext& context) {
  FiresResult result;
  result.profile_name = context.profile.name;
  result.thresholds = context.profile.thresholds;
  result.symbols_path = context.symbols ? context.symbols_path : "";
  result.canary_inputs = canary.inputs();
  result.ours_inputs = ours.inputs();

  OpRanks ranks = RankOps(canary.ops(), ours.ops());
  bool keep_merged = !context.profile.families.empty() || context.baseline;
  std::vector<MergedKey> merged;
  MergeKeys(RankedKeys(std::move(canary_keys), ranks.canary),
            RankedKeys(std::move(ours_keys), ranks.ours), ranks, context, keep_merged, result,
            merged);
  SortClassLists(result);
  auto family_keys = FamilyKeys(merged, context.profile);
  for (const LrFamily& family : context.profile.families)
    result.families.push_back(ReportFamily(family, family_keys, ranks, context));
  if (context.baseline) result.baseline = CompareBaseline(*context.baseline, ranks, merged);
  for (const KeyRow& row : result.missing)
    (row.families.empty() ? result.missing_outside_families : result.missing_in_families)++;
  Decide(result);
  return result;
}

}  // namespace

bool IsUnderFiring(uint64_t canary_fires, uint64_t ours_fires, const FiresThresholds& t) {
  if (canary_fires == 0 || ours_fires == 0 || canary_fires < t.under_min_canary_fires) return false;
  // A correctly rounded quotient compared with the parsed threshold: 5/10 is not < 0.5, and
  // 3/10 is not < 0.3 (multiplying 0.3 * 10 would round up and say it is).
  return static_cast<double>(ours_fires) / static_cast<double>(canary_fires) < t.under_ratio;
}

FiresResult DiffFires(const FireHistogram& canary, const FireHistogram& ours,
                      const FiresDiffContext& context) {
  return Diff(canary, ours, canary.keys(), ours.keys(), context);
}

FiresResult DiffFires(FireHistogram&& canary, FireHistogram&& ours,
                      const FiresDiffContext& context) {
  // The lookup index is for the scan only: freed before the rows are built, not after.
  canary.DropIndex();
  ours.DropIndex();
  return Diff(canary, ours, canary.TakeKeys(), ours.TakeKeys(), context);
}

}  // namespace de
