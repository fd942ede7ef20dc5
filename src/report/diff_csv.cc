// CSV report: one row per thread pair, then one per unpaired thread (RFC 4180).
#include "diff_events/report/csv.h"
#include "diff_events/report/diff_reports.h"

namespace de {

static std::string Opt(const std::optional<uint64_t>& v) { return v ? std::to_string(*v) : ""; }

std::string RenderDiffCsv(const DiffResult& result) {
  std::string out;
  AppendCsvRow(out, {"canary_tid", "ours_tid", "paired_by", "matched", "canary_total", "ours_total",
                     "first_divergence_at", "divergence_kind", "what_differs", "pairing_score",
                     "pairing_runner_up", "pairing_window", "pairing_ambiguous", "hunks_replaced",
                     "hunks_inserted", "hunks_deleted", "hunks_ends", "hunks_reordered",
                     "hunks_loop_count"});
  for (const PairResult& p : result.pairs) {
    std::string kind = p.divergence ? DivergenceKindName(p.divergence->kind) : "";
    if (p.truncation_allowed) kind = "truncated";
    if (p.reorder_accepted) kind = "reordered";
    HunkClassCounts classes = CountHunkClasses(p.hunks);
    std::vector<std::string> row{std::to_string(p.canary_tid),
                                 std::to_string(p.ours_tid),
                                 PairingMethodName(p.method),
                                 std::to_string(p.matched),
                                 std::to_string(p.canary_total),
                                 std::to_string(p.ours_total),
                                 FirstDivergenceAt(p),
                                 kind,
                                 PairStatusText(p),
                                 p.pairing ? std::to_string(p.pairing->score) : "",
                                 p.pairing ? Opt(p.pairing->runner_up) : "",
                                 p.pairing ? std::to_string(p.pairing->window) : "",
                                 p.pairing ? (p.pairing->ambiguous ? "true" : "false") : ""};
    for (uint64_t n : classes.n) row.push_back(std::to_string(n));
    AppendCsvRow(out, row);
  }
  for (const UnpairedThread& u : result.unpaired) {
    AppendCsvRow(out, {u.canary_side ? std::to_string(u.tid) : "",
                       u.canary_side ? "" : std::to_string(u.tid), "unpaired", "0",
                       u.canary_side ? std::to_string(u.events) : "0",
                       u.canary_side ? "0" : std::to_string(u.events), Opt(u.first_idx), "unpaired",
                       UnpairedText(u), "", "", "", "", "", "", "", "", "", ""});
  }
  return out;
}

std::string RenderLifetimesCsv(const DiffResult& result) {
  std::string out;
  AppendCsvRow(out, {"side", "tid", "partner_tid", "events", "kernel_calls", "first_host_ns",
                     "last_host_ns", "duration_ns", "end", "wait_handles", "wait_object_types",
                     "wait_timeout_ns", "wait_idx"});
  auto row = [&](const char* side, uint64_t tid, const std::string& partner, const Lifetime& l) {
    std::string handles, types;
    if (l.wait) {
      for (size_t i = 0; i < l.wait->handles.size(); ++i) {
        handles += (i ? " " : "") + l.wait->handles[i];
        types += (i ? " " : "") + l.wait->object_types[i];
      }
    }
    auto ns = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : ""; };
    AppendCsvRow(out,
                 {side, std::to_string(tid), partner, std::to_string(l.events),
                  std::to_string(l.kernel_calls), ns(l.first_host_ns), ns(l.last_host_ns),
                  std::to_string(l.duration_ns()), EndStateName(l.end), handles, types,
                  l.wait ? ns(l.wait->timeout_ns) : "", l.wait ? std::to_string(l.wait->idx) : ""});
  };
  for (const PairResult& p : result.pairs) {
    row("canary", p.canary_tid, std::to_string(p.ours_tid), p.canary_life);
    row("ours", p.ours_tid, std::to_string(p.canary_tid), p.ours_life);
  }
  for (const UnpairedThread& u : result.unpaired) {
    row(u.canary_side ? "canary" : "ours", u.tid, "", u.life);
  }
  return out;
}

std::string RenderHunksCsv(const DiffResult& result) {
  std::string out;
  AppendCsvRow(
      out, {"canary_tid", "ours_tid", "hunk", "class", "canary_start", "canary_count", "ours_start",
            "ours_count", "canary_first_idx", "canary_last_idx", "ours_first_idx", "ours_last_idx",
            "resynced", "loop_period", "canary_repeats", "ours_repeats"});
  auto idx = [](const std::optional<std::pair<uint64_t, uint64_t>>& r, bool last) {
    return r ? std::to_string(last ? r->second : r->first) : "";
  };
  for (const PairResult& p : result.pairs) {
    for (size_t i = 0; i < p.hunks.size(); ++i) {
      const Hunk& h = p.hunks[i];
      AppendCsvRow(
          out,
          {std::to_string(p.canary_tid), std::to_string(p.ours_tid), std::to_string(i + 1),
           HunkClassName(h.cls), std::to_string(h.canary_start), std::to_string(h.canary_count),
           std::to_string(h.ours_start), std::to_string(h.ours_count), idx(h.canary_idx, false),
           idx(h.canary_idx, true), idx(h.ours_idx, false), idx(h.ours_idx, true),
           h.resynced ? "true" : "false", h.loop ? std::to_string(h.loop->period) : "",
           h.loop ? std::to_string(h.loop->canary_repeats) : "",
           h.loop ? std::to_string(h.loop->ours_repeats) : ""});
    }
  }
  return out;
}

std::string RenderCallsCsv(const DiffResult& result) {
  std::string out;
  AppendCsvRow(out, {"canary_tid", "ours_tid", "name", "canary", "ours", "delta"});
  for (const PairResult& p : result.pairs) {
    for (const CallCount& c : p.call_counts) {
      AppendCsvRow(out,
                   {std::to_string(p.canary_tid), std::to_string(p.ours_tid), std::string(c.name),
                    std::to_string(c.canary), std::to_string(c.ours), std::to_string(c.delta())});
    }
  }
  return out;
}

}  // namespace de
