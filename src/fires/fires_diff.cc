#include "diff_events/fires/fires_diff.h"

#include <fmt/format.h>
#include <tsl/robin_map.h>

#include <algorithm>
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
  for (const auto& [tid, fires] : counts.tids) side.tids.push_back(tid);
  side.handles = counts.handles;
  side.handles_truncated = counts.handles_truncated;
  return side;
}

using RankedKey = std::pair<uint64_t, const KeyCounts*>;

std::vector<RankedKey> RankedKeys(const FireHistogram& h, const std::vector<OpId>& ranks) {
  std::vector<RankedKey> out;
  out.reserve(h.keys().size());
  for (const auto& [key, counts] : h.keys())
    out.push_back({PackKey(ranks[KeyOp(key)], KeyLr(key)), &counts});
  std::sort(out.begin(), out.end(),
            [](const RankedKey& a, const RankedKey& b) { return a.first < b.first; });
  return out;
}

// Every key of either side, in (op, lr) order; `keys` gets the ranked key of each row.
std::vector<KeyRow> MergeKeys(const FireHistogram& canary, const FireHistogram& ours,
                              const OpRanks& ranks, std::vector<uint64_t>& keys) {
  std::vector<RankedKey> c = RankedKeys(canary, ranks.canary);
  std::vector<RankedKey> o = RankedKeys(ours, ranks.ours);
  std::vector<KeyRow> rows;
  rows.reserve(c.size() + o.size());
  size_t i = 0, j = 0;
  while (i < c.size() || j < o.size()) {
    uint64_t key =
        j == o.size() || (i < c.size() && c[i].first <= o[j].first) ? c[i].first : o[j].first;
    KeyRow& row = rows.emplace_back();
    row.op = ranks.names[KeyOp(key)];
    row.lr = KeyLr(key);
    if (i < c.size() && c[i].first == key) {
      const KeyCounts& counts = *c[i++].second;
      row.canary = ToSide(counts);
      if (counts.first_host_ns != UINT64_MAX) row.canary_first_host_ns = counts.first_host_ns;
    }
    if (j < o.size() && o[j].first == key) row.ours = ToSide(*o[j++].second);
    keys.push_back(key);
  }
  return rows;
}

KeyClass Classify(const KeyRow& row, const FiresThresholds& t) {
  if (row.ours.fires == 0) return KeyClass::kMissing;
  if (row.canary.fires == 0) return KeyClass::kExtra;
  return IsUnderFiring(row.canary.fires, row.ours.fires, t) ? KeyClass::kUnderFiring
                                                            : KeyClass::kMatched;
}

void Annotate(KeyRow& row, const FiresDiffContext& context) {
  auto note = context.profile.lr_notes.find(row.lr);
  if (note != context.profile.lr_notes.end()) {
    row.note = note->second;
  } else if (context.symbols) {
    row.note = context.symbols->Label(row.lr).value_or("");
  }
  for (const LrFamily& family : context.profile.families)
    if (std::binary_search(family.lrs.begin(), family.lrs.end(), row.lr))
      row.families.push_back(family.name);
  std::sort(row.families.begin(), row.families.end());
}

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

// The rows move into their class lists: a key is held once (under-firing keys twice, being
// matched keys too).
void ListKeysByClass(std::vector<KeyRow> rows, FiresResult& result) {
  for (KeyRow& row : rows) {
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
  SortByFires(result.missing, true);
  SortByFires(result.matched, true);
  SortByFires(result.extra, false);
  SortByRatio(result.under_firing);
}

size_t RowOf(const std::vector<uint64_t>& keys, uint64_t key) {
  return static_cast<size_t>(std::lower_bound(keys.begin(), keys.end(), key) - keys.begin());
}

std::vector<CanaryThreadRow> CanaryThreads(const FireHistogram& canary, const OpRanks& ranks,
                                           const std::vector<KeyRow>& rows,
                                           const std::vector<uint64_t>& keys) {
  tsl::robin_map<uint64_t, CanaryThreadRow> threads;
  std::vector<std::pair<uint64_t, uint64_t>> tid_lrs;  // (tid, lr), for the distinct LRs
  for (const auto& [key, counts] : canary.keys()) {
    const KeyRow& row = rows[RowOf(keys, PackKey(ranks.canary[KeyOp(key)], KeyLr(key)))];
    for (const auto& [tid, fires] : counts.tids) {
      CanaryThreadRow& thread = threads[tid];
      thread.tid = tid;
      thread.fires += fires;
      (row.ours.fires > 0 ? thread.matched_fires : thread.missing_fires) += fires;
      tid_lrs.emplace_back(tid, row.lr);
    }
  }
  std::sort(tid_lrs.begin(), tid_lrs.end());
  tid_lrs.erase(std::unique(tid_lrs.begin(), tid_lrs.end()), tid_lrs.end());
  for (const auto& [tid, lr] : tid_lrs) ++threads[tid].distinct_lrs;
  std::vector<CanaryThreadRow> out;
  out.reserve(threads.size());
  for (const auto& [tid, thread] : threads) out.push_back(thread);
  std::sort(out.begin(), out.end(),
            [](const CanaryThreadRow& a, const CanaryThreadRow& b) { return a.tid < b.tid; });
  return out;
}

const char* Where(uint64_t canary_fires, uint64_t ours_fires) {
  if (canary_fires && ours_fires) return "both";
  if (canary_fires) return "canary only";
  if (ours_fires) return "ours only";
  return "neither";
}

// The rows of every LR some family names, by lr (each in (op, lr) order): one pass over the
// keys, whatever the number of families.
std::map<uint64_t, std::vector<const KeyRow*>> FamilyRows(const std::vector<KeyRow>& rows,
                                                          const FiresProfile& profile) {
  std::vector<uint64_t> lrs;
  for (const LrFamily& family : profile.families)
    lrs.insert(lrs.end(), family.lrs.begin(), family.lrs.end());
  std::sort(lrs.begin(), lrs.end());
  std::map<uint64_t, std::vector<const KeyRow*>> out;
  if (lrs.empty()) return out;
  for (const KeyRow& row : rows)
    if (std::binary_search(lrs.begin(), lrs.end(), row.lr)) out[row.lr].push_back(&row);
  return out;
}

FamilyReport ReportFamily(const LrFamily& family,
                          const std::map<uint64_t, std::vector<const KeyRow*>>& family_rows,
                          const FiresDiffContext& context) {
  FamilyReport report{family.name, family.description, {}, 0};
  for (uint64_t lr : family.lrs) {
    auto found = family_rows.find(lr);
    if (found == family_rows.end()) {
      KeyRow probe;
      probe.lr = lr;
      Annotate(probe, context);
      report.rows.push_back({lr, "", 0, 0, Where(0, 0), probe.note});
      continue;
    }
    for (const KeyRow* row : found->second) {
      report.rows.push_back({lr, row->op, row->canary.fires, row->ours.fires,
                             Where(row->canary.fires, row->ours.fires), row->note});
      report.missing_keys += row->key_class == KeyClass::kMissing;
    }
  }
  return report;
}

KeyRef Ref(const KeyRow& row) { return {row.op, row.lr, row.canary.fires, row.ours.fires}; }

BaselineComparison CompareBaseline(const BaselineKeys& baseline, const OpRanks& ranks,
                                   const std::vector<KeyRow>& rows,
                                   const std::vector<uint64_t>& keys) {
  BaselineComparison cmp;
  cmp.path = baseline.path;
  std::vector<uint64_t> before;  // the baseline's missing keys that name an op seen now
  for (const KeyRef& ref : baseline.missing) {
    OpId rank = ranks.Find(ref.op);
    size_t at = rank == kNoOp ? rows.size() : RowOf(keys, PackKey(rank, ref.lr & kMaxLr));
    bool found =
        at < rows.size() && keys[at] == PackKey(rank, ref.lr & kMaxLr) && rows[at].lr == ref.lr;
    if (found) before.push_back(keys[at]);
    if (!found || rows[at].canary.fires == 0) {
      cmp.unobserved.push_back(ref);
    } else if (rows[at].ours.fires > 0) {
      cmp.fixed.push_back(Ref(rows[at]));
    } else {
      cmp.still_missing.push_back(Ref(rows[at]));
    }
  }
  std::sort(before.begin(), before.end());
  for (size_t i = 0; i < rows.size(); ++i)
    if (rows[i].key_class == KeyClass::kMissing &&
        !std::binary_search(before.begin(), before.end(), keys[i]))
      cmp.newly_missing.push_back(Ref(rows[i]));
  return cmp;  // every list is in (op, lr) order: baseline and rows both are
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

}  // namespace

bool IsUnderFiring(uint64_t canary_fires, uint64_t ours_fires, const FiresThresholds& t) {
  if (canary_fires == 0 || ours_fires == 0 || canary_fires < t.under_min_canary_fires) return false;
  // A correctly rounded quotient compared with the parsed threshold: 5/10 is not < 0.5, and
  // 3/10 is not < 0.3 (multiplying 0.3 * 10 would round up and say it is).
  return static_cast<double>(ours_fires) / static_cast<double>(canary_fires) < t.under_ratio;
}

FiresResult DiffFires(const FireHistogram& canary, const FireHistogram& ours,
                      const FiresDiffContext& context) {
  FiresResult result;
  result.profile_name = context.profile.name;
  result.thresholds = context.profile.thresholds;
  result.symbols_path = context.symbols ? context.symbols_path : "";
  result.canary_inputs = canary.inputs();
  result.ours_inputs = ours.inputs();

  OpRanks ranks = RankOps(canary.ops(), ours.ops());
  std::vector<uint64_t> keys;
  std::vector<KeyRow> rows = MergeKeys(canary, ours, ranks, keys);
  for (KeyRow& row : rows) {
    row.key_class = Classify(row, context.profile.thresholds);
    Annotate(row, context);
  }
  result.canary_threads = CanaryThreads(canary, ranks, rows, keys);
  auto family_rows = FamilyRows(rows, context.profile);
  for (const LrFamily& family : context.profile.families)
    result.families.push_back(ReportFamily(family, family_rows, context));
  if (context.baseline) result.baseline = CompareBaseline(*context.baseline, ranks, rows, keys);
  family_rows.clear();
  keys = {};
  ListKeysByClass(std::move(rows), result);
  for (const KeyRow& row : result.missing)
    (row.families.empty() ? result.missing_outside_families : result.missing_in_families)++;
  Decide(result);
  return result;
}

}  // namespace de
