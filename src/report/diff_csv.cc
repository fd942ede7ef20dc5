// CSV report: one row per thread pair, then one per unpaired thread (RFC 4180).
#include "diff_events/report/csv.h"
#include "diff_events/report/diff_reports.h"

namespace de {

static std::string Opt(const std::optional<uint64_t>& v) { return v ? std::to_string(*v) : ""; }

std::string RenderDiffCsv(const DiffResult& result) {
  std::string out;
  AppendCsvRow(out, {"canary_tid", "ours_tid", "paired_by", "matched", "canary_total", "ours_total",
                     "first_divergence_at", "divergence_kind", "what_differs", "pairing_score",
                     "pairing_runner_up", "pairing_window", "pairing_ambiguous"});
  for (const PairResult& p : result.pairs) {
    std::string kind = p.divergence ? DivergenceKindName(p.divergence->kind) : "";
    if (p.truncation_allowed) kind = "truncated";
    AppendCsvRow(
        out, {std::to_string(p.canary_tid), std::to_string(p.ours_tid), PairingMethodName(p.method),
              std::to_string(p.matched), std::to_string(p.canary_total),
              std::to_string(p.ours_total), FirstDivergenceAt(p), kind, PairStatusText(p),
              p.pairing ? std::to_string(p.pairing->score) : "",
              p.pairing ? Opt(p.pairing->runner_up) : "",
              p.pairing ? std::to_string(p.pairing->window) : "",
              p.pairing ? (p.pairing->ambiguous ? "true" : "false") : ""});
  }
  for (const UnpairedThread& u : result.unpaired) {
    AppendCsvRow(out, {u.canary_side ? std::to_string(u.tid) : "",
                       u.canary_side ? "" : std::to_string(u.tid), "unpaired", "0",
                       u.canary_side ? std::to_string(u.events) : "0",
                       u.canary_side ? "0" : std::to_string(u.events), Opt(u.first_idx), "unpaired",
                       UnpairedText(u), "", "", "", ""});
  }
  return out;
}

}  // namespace de
