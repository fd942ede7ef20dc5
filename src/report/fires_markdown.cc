// report.md: what a developer pastes into an investigation write-up. Sections in reading
// order: headline, totals, missing, under-firing, extra, canary threads, families, baseline,
// skipped lines.
#include <fmt/format.h>

#include "diff_events/fires/hex.h"
#include "diff_events/report/fires_format.h"
#include "diff_events/report/fires_reports.h"
#include "markdown_text.h"

namespace de {
namespace {

// A table cell: input text never breaks the row (see markdown_text.h).
std::string Cell(const std::string& text) { return MdText(text); }

std::string Percent(double share) { return fmt::format("{:.2f}%", share * 100); }

void Row(std::string& out, const std::vector<std::string>& cells) {
  out += '|';
  for (const std::string& c : cells) out += ' ' + Cell(c) + " |";
  out += '\n';
}

void Header(std::string& out, const std::vector<std::string>& cells) {
  Row(out, cells);
  out += '|';
  for (size_t i = 0; i < cells.size(); ++i) out += "---|";
  out += '\n';
}

// The last row of a table cut at --top: how many rows are left out and where they all are.
void CutRow(std::string& out, size_t shown, size_t total, size_t columns, const char* where) {
  if (shown == total) return;
  std::vector<std::string> cells(columns);
  cells[0] = fmt::format("… {} more {} in the CSV/JSON ({})", total - shown,
                         total - shown == 1 ? "row" : "rows", where);
  Row(out, cells);
}

void HeadlineSection(std::string& out, const FiresResult& r) {
  out += "# diff_events fires\n\n";
  out += fmt::format("**{}**\n\n", HeadlineName(r.headline));
  for (const std::string& reason : r.reasons) out += "- " + reason + "\n";
  out += fmt::format("\nProfile: {}. Under-firing: ours/canary < {} with canary >= {} fires.\n",
                     MdText(r.profile_name), r.thresholds.under_ratio,
                     r.thresholds.under_min_canary_fires);
  if (!r.symbols_path.empty()) out += "Symbols: " + MdText(r.symbols_path) + ".\n";
}

void Totals(std::string& out, const FiresResult& r) {
  const FiresTotals& t = r.totals;
  out += "\n## Totals\n\n";
  Header(out, {"", "canary", "ours"});
  Row(out, {"fires", std::to_string(t.canary_fires), std::to_string(t.ours_fires)});
  Row(out, {"distinct (op, lr) keys", std::to_string(t.canary_keys), std::to_string(t.ours_keys)});
  out += fmt::format(
      "\nKeys on both sides: {} ({} under-firing). Missing in ours: {} key(s), {} canary fires "
      "({} of canary volume). Extra in ours: {} key(s), {} fires.\n",
      t.shared_keys, r.under_firing.size(), r.missing.size(), t.missing_canary_fires,
      Percent(t.missing_share()), r.extra.size(), t.extra_ours_fires);
}

void Missing(std::string& out, const FiresResult& r, size_t top) {
  out += "\n## Missing in ours\n\n";
  if (r.missing.empty()) {
    out += "None: every key canary fires also fires in ours.\n";
    return;
  }
  Header(out, {"op", "lr", "canary fires", "tids", "handles", "label", "families"});
  size_t shown = std::min(top, r.missing.size());
  for (size_t i = 0; i < shown; ++i) {
    const KeyRow& k = r.missing[i];
    Row(out, {k.op, Hex32(k.lr), std::to_string(k.canary.fires), JoinDecimal(k.canary.tids, ", "),
              JoinHandles(k.canary, ", "), k.note, JoinNames(k.families, ", ")});
  }
  CutRow(out, shown, r.missing.size(), 7, "divergent-tuples.csv, report.json");
}

void UnderFiring(std::string& out, const FiresResult& r, size_t top) {
  out += "\n## Under-firing in ours\n\n";
  if (r.under_firing.empty()) {
    out += "None.\n";
    return;
  }
  Header(out, {"op", "lr", "canary fires", "ours fires", "ratio", "label", "families"});
  size_t shown = std::min(top, r.under_firing.size());
  for (size_t i = 0; i < shown; ++i) {
    const KeyRow& k = r.under_firing[i];
    Row(out, {k.op, Hex32(k.lr), std::to_string(k.canary.fires), std::to_string(k.ours.fires),
              RatioPercent(k) + "%", k.note, JoinNames(k.families, ", ")});
  }
  CutRow(out, shown, r.under_firing.size(), 7, "matched-tuples.csv, report.json");
}

void Extra(std::string& out, const FiresResult& r, size_t top) {
  out += "\n## Extra in ours\n\n";
  if (r.extra.empty()) {
    out += "None.\n";
    return;
  }
  Header(out, {"op", "lr", "ours fires", "tids", "handles", "label", "families"});
  size_t shown = std::min(top, r.extra.size());
  for (size_t i = 0; i < shown; ++i) {
    const KeyRow& k = r.extra[i];
    Row(out, {k.op, Hex32(k.lr), std::to_string(k.ours.fires), JoinDecimal(k.ours.tids, ", "),
              JoinHandles(k.ours, ", "), k.note, JoinNames(k.families, ", ")});
  }
  CutRow(out, shown, r.extra.size(), 7, "extra-tuples.csv, report.json");
}

void CanaryThreads(std::string& out, const FiresResult& r, size_t top) {
  out += "\n## Canary threads\n\n";
  if (r.canary_threads.empty()) {
    out += "Canary has no fires.\n";
    return;
  }
  Header(out,
         {"tid", "fires", "on matched keys", "on missing keys", "distinct LRs", "analog in ours"});
  std::vector<uint64_t> orphans;
  size_t orphans_total = 0;
  for (size_t i = 0; i < r.canary_threads.size(); ++i) {
    const CanaryThreadRow& t = r.canary_threads[i];
    if (i < top) {
      Row(out, {std::to_string(t.tid), std::to_string(t.fires), std::to_string(t.matched_fires),
                std::to_string(t.missing_fires), std::to_string(t.distinct_lrs),
                t.has_analog() ? "yes" : "**no**"});
    }
    if (t.has_analog()) continue;
    if (++orphans_total <= top) orphans.push_back(t.tid);
  }
  CutRow(out, std::min(top, r.canary_threads.size()), r.canary_threads.size(), 6, "report.json");
  if (orphans.empty()) {
    out += "\nEvery canary thread fires at least one key that ours fires too.\n";
  } else {
    std::string more = orphans_total > orphans.size()
                           ? fmt::format(" and {} more", orphans_total - orphans.size())
                           : "";
    out += fmt::format(
        "\nCanary threads with no analog in ours (every fire on a missing key: a thread family "
        "ours never runs): {}{}.\n",
        JoinDecimal(orphans, ", "), more);
  }
}

void Families(std::string& out, const FiresResult& r) {
  if (r.families.empty()) return;
  out += "\n## LR families\n\n";
  out += fmt::format("Missing keys inside a family: {}; outside every family: {}.\n",
                     r.missing_in_families, r.missing_outside_families);
  for (const FamilyReport& f : r.families) {
    out += "\n### " + f.name + "\n\n";
    if (!f.description.empty()) out += f.description + "\n\n";
    out += fmt::format("Missing keys: {}.\n\n", f.missing_keys);
    Header(out, {"lr", "op", "canary fires", "ours fires", "fires in", "label"});
    for (const FamilyLrRow& row : f.rows) {
      Row(out, {Hex32(row.lr), row.op.empty() ? "-" : row.op, std::to_string(row.canary_fires),
                std::to_string(row.ours_fires), row.where, row.note});
    }
  }
}

void RefTable(std::string& out, const char* title, const std::vector<KeyRef>& refs, size_t top) {
  out += fmt::format("\n### {} ({})\n\n", title, refs.size());
  if (refs.empty()) return;
  Header(out, {"op", "lr", "canary fires", "ours fires"});
  size_t shown = std::min(top, refs.size());
  for (size_t i = 0; i < shown; ++i) {
    const KeyRef& k = refs[i];
    Row(out, {k.op, Hex32(k.lr), std::to_string(k.canary_fires), std::to_string(k.ours_fires)});
  }
  CutRow(out, shown, refs.size(), 4, "report.json");
}

void Baseline(std::string& out, const FiresResult& r, size_t top) {
  if (!r.baseline) return;
  const BaselineComparison& b = *r.baseline;
  out += "\n## Against the baseline\n\nBaseline: " + b.path + ".\n";
  RefTable(out, "Newly missing", b.newly_missing, top);
  RefTable(out, "Fixed (missing before, firing in ours now)", b.fixed, top);
  out += fmt::format("\nStill missing: {}. Missing before and no longer fired by canary: {}.\n",
                     b.still_missing.size(), b.unobserved.size());
}

void InputRows(std::string& out, const char* side, const std::vector<InputTally>& inputs) {
  for (const InputTally& t : inputs) {
    Row(out, {side, t.name, std::to_string(t.lines), std::to_string(t.fires),
              std::to_string(t.invalid_json), std::to_string(t.unusable),
              std::to_string(t.not_fire_site)});
  }
}

// One bullet per kept example, "FILE:LINE: why", then what is left unnamed.
void SkippedBullets(std::string& out, const std::vector<InputTally>& inputs) {
  for (const InputTally& t : inputs) {
    for (const auto* kind : {&t.first_invalid, &t.first_unusable})
      for (const SkippedLine& s : *kind)
        out +=
            fmt::format("- {}: {}\n", MdCode(fmt::format("{}:{}", t.name, s.line)), MdText(s.why));
    uint64_t unnamed =
        t.invalid_json + t.unusable - t.first_invalid.size() - t.first_unusable.size();
    if (unnamed) out += fmt::format("- {}: {} more skipped line(s)\n", MdCode(t.name), unnamed);
    if (t.not_fire_site == 0) continue;
    std::string pcs;
    for (const auto& [pc, n] : t.off_table_pcs)
      pcs += fmt::format("{}{} ({})", pcs.empty() ? "" : ", ", Hex32(pc), n);
    out += fmt::format("- {}: {} record(s) with a pc outside the op table: {}\n", MdCode(t.name),
                       t.not_fire_site, pcs);
  }
}

void SkippedLines(std::string& out, const FiresResult& r) {
  out += "\n## Inputs and skipped lines\n\n";
  Header(out, {"side", "file", "lines", "fires", "invalid JSON", "unusable records",
               "pc not a fire site"});
  InputRows(out, "canary", r.canary_inputs);
  InputRows(out, "ours", r.ours_inputs);
  std::string bullets;
  SkippedBullets(bullets, r.canary_inputs);
  SkippedBullets(bullets, r.ours_inputs);
  if (!bullets.empty()) out += "\n" + bullets;
}

}  // namespace

std::string RenderFiresMarkdown(const FiresResult& result, const FiresRenderOptions& options) {
  std::string out;
  HeadlineSection(out, result);
  Totals(out, result);
  Missing(out, result, options.top);
  UnderFiring(out, result, options.top);
  Extra(out, result, options.top);
  CanaryThreads(out, result, options.top);
  Families(out, result);
  Baseline(out, result, options.top);
  SkippedLines(out, result);
  return out;
}

}  // namespace de
