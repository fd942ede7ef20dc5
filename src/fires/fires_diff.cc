#include "diff_events/fires/fires_diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace de {
namespace {

using KeyName = std::pair<std::string, uint64_t>;  // (op, lr): comparable across sides

SideOfKey ToSide(const KeyCounts& counts) {
  SideOfKey side;
  side.fires = counts.fires;
  for (const auto& [tid, fires] : counts.tids) side.tids.push_back(tid);
  side.handles = counts.handles;
  side.handles_truncated = counts.handles_truncated;
  return side;
}

std::map<KeyName, KeyRow> MergeKeys(const FireHistogram& canary, const FireHistogram& ours) {
  std::map<KeyName, KeyRow> rows;
  for (const auto& [key, counts] : canary.keys()) {
    KeyRow& row = rows[{canary.ops().Name(KeyOp(key)), KeyLr(key)}];
    row.canary = ToSide(counts);
    if (counts.first_host_ns != UINT64_MAX) row.canary_first_host_ns = counts.first_host_ns;
  }
  for (const auto& [key, counts] : ours.keys())
    rows[{ours.ops().Name(KeyOp(key)), KeyLr(key)}].ours = ToSide(counts);
  for (auto& [name, row] : rows) {
    row.op = name.first;
    row.lr = name.second;
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

void ListKeysByClass(const std::map<KeyName, KeyRow>& rows, FiresResult& result) {
  for (const auto& [name, row] : rows) {
    FiresTotals& t = result.totals;
    t.canary_fires += row.canary.fires;
    t.ours_fires += row.ours.fires;
    t.canary_keys += row.canary.fires > 0;
    t.ours_keys += row.ours.fires > 0;
    switch (row.key_class) {
      case KeyClass::kMissing:
        t.missing_canary_fires += row.canary.fires;
        result.missing.push_back(row);
        break;
      case KeyClass::kExtra:
        t.extra_ours_fires += row.ours.fires;
        result.extra.push_back(row);
        break;
      case KeyClass::kUnderFiring:
        t.under_canary_fires += row.canary.fires;
        result.under_firing.push_back(row);
        [[fallthrough]];
      case KeyClass::kMatched:
        ++t.shared_keys;
        result.matched.push_back(row);
        break;
    }
  }
  SortByFires(result.missing, true);
  SortByFires(result.matched, true);
  SortByFires(result.extra, false);
  SortByRatio(result.under_firing);
}

std::vector<CanaryThreadRow> CanaryThreads(const FireHistogram& canary,
                                           const std::map<KeyName, KeyRow>& rows) {
  std::map<uint64_t, CanaryThreadRow> threads;
  std::map<uint64_t, std::set<uint64_t>> lrs;
  for (const auto& [key, counts] : canary.keys()) {
    const KeyRow& row = rows.at({canary.ops().Name(KeyOp(key)), KeyLr(key)});
    for (const auto& [tid, fires] : counts.tids) {
      CanaryThreadRow& thread = threads[tid];
      thread.tid = tid;
      thread.fires += fires;
      (row.ours.fires > 0 ? thread.matched_fires : thread.missing_fires) += fires;
      lrs[tid].insert(row.lr);
    }
  }
  std::vector<CanaryThreadRow> out;
  for (auto& [tid, thread] : threads) {
    thread.distinct_lrs = lrs[tid].size();
    out.push_back(thread);
  }
  return out;
}

const char* Where(uint64_t canary_fires, uint64_t ours_fires) {
  if (canary_fires && ours_fires) return "both";
  if (canary_fires) return "canary only";
  if (ours_fires) return "ours only";
  return "neither";
}

FamilyReport ReportFamily(const LrFamily& family, const std::map<KeyName, KeyRow>& rows,
                          const FiresDiffContext& context) {
  FamilyReport report{family.name, family.description, {}, 0};
  for (uint64_t lr : family.lrs) {
    bool fired = false;
    for (const auto& [name, row] : rows) {
      if (row.lr != lr) continue;
      fired = true;
      report.rows.push_back({lr, row.op, row.canary.fires, row.ours.fires,
                             Where(row.canary.fires, row.ours.fires), row.note});
      report.missing_keys += row.key_class == KeyClass::kMissing;
    }
    if (!fired) {
      KeyRow probe;
      probe.lr = lr;
      Annotate(probe, context);
      report.rows.push_back({lr, "", 0, 0, Where(0, 0), probe.note});
    }
  }
  return report;
}

KeyRef Ref(const KeyRow& row) { return {row.op, row.lr, row.canary.fires, row.ours.fires}; }

BaselineComparison CompareBaseline(const BaselineKeys& baseline,
                                   const std::map<KeyName, KeyRow>& rows) {
  BaselineComparison cmp;
  cmp.path = baseline.path;
  std::set<KeyName> before;
  for (const KeyRef& ref : baseline.missing) {
    before.insert({ref.op, ref.lr});
    auto now = rows.find({ref.op, ref.lr});
    if (now == rows.end() || now->second.canary.fires == 0) {
      cmp.unobserved.push_back(ref);
    } else if (now->second.ours.fires > 0) {
      cmp.fixed.push_back(Ref(now->second));
    } else {
      cmp.still_missing.push_back(Ref(now->second));
    }
  }
  for (const auto& [name, row] : rows)
    if (row.key_class == KeyClass::kMissing && !before.count(name))
      cmp.newly_missing.push_back(Ref(row));
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

  std::map<KeyName, KeyRow> rows = MergeKeys(canary, ours);
  for (auto& [name, row] : rows) {
    row.key_class = Classify(row, context.profile.thresholds);
    Annotate(row, context);
  }
  ListKeysByClass(rows, result);
  result.canary_threads = CanaryThreads(canary, rows);
  for (const LrFamily& family : context.profile.families)
    result.families.push_back(ReportFamily(family, rows, context));
  for (const KeyRow& row : result.missing)
    (row.families.empty() ? result.missing_outside_families : result.missing_in_families)++;
  if (context.baseline) result.baseline = CompareBaseline(*context.baseline, rows);
  Decide(result);
  return result;
}

}  // namespace de
