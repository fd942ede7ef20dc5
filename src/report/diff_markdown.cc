// Markdown report: what a person reads first. Summary table, unpaired threads, then per
// divergent pair the context, the divergent events, the next events and the raw JSON.
#include <fmt/format.h>

#include "diff_markdown_parts.h"
#include "markdown_text.h"

namespace de {

// Input text never breaks the document: see markdown_text.h.
std::string Cell(std::string_view text) { return MdText(text); }

namespace {

std::string Code(const std::string& text) { return MdCode(text); }

std::string EventLine(const std::optional<EventRef>& e) {
  if (!e) return "`<end of stream>`";
  return fmt::format("{} (line {})", Code(e->summary), e->line);
}

void AppendHeader(std::string& out, const DiffResult& r) {
  out += "# diff_events report\n\n";
  auto masked = [](uint64_t n) { return n ? fmt::format(", {} masked", n) : std::string(); };
  out += fmt::format("- canary: {} (engine {}, {} events{})\n", Code(r.canary_path),
                     r.canary_engine.empty() ? "?" : MdText(r.canary_engine), r.canary_events,
                     masked(r.canary_masked_events));
  out += fmt::format("- ours: {} (engine {}, {} events{})\n", Code(r.ours_path),
                     r.ours_engine.empty() ? "?" : MdText(r.ours_engine), r.ours_events,
                     masked(r.ours_masked_events));
  if (r.Identical()) {
    size_t reordered = r.ReorderAcceptedPairs();
    out += fmt::format(
        "- result: **identical** — {}, no divergence{}\n", CountOf(r.pairs.size(), "thread pair"),
        reordered == 0
            ? ""
            : fmt::format(" ({} only reordered, --ignore-reordered)", CountOf(reordered, "pair")));
  } else {
    out +=
        fmt::format("- result: **{} of {} diverge; {} unpaired**\n", r.DivergentPairs(),
                    CountOf(r.pairs.size(), "thread pair"), CountOf(r.unpaired.size(), "thread"));
  }
  if (!r.masked.empty()) {
    out +=
        "- masked (dropped from both sides with their returns and waits; streams compared "
        "by position):";
    for (const MaskedCall& m : r.masked) out += " " + MdText(MaskedText(m)) + ";";
    out.back() = '\n';
  }
  if (size_t n = r.AmbiguousPairs()) {
    out += fmt::format(
        "- pairing: **{} ambiguous** (another candidate matched as well; check them or pass "
        "--tid-map):",
        CountOf(n, "pair"));
    for (const PairResult& p : r.pairs) {
      if (p.pairing && p.pairing->ambiguous)
        out += fmt::format(" canary {} ↔ ours {};", p.canary_tid, p.ours_tid);
    }
    out.back() = '\n';
  }
  out += "\n";
  if (!r.warnings.empty()) {
    out += "> **Warning: the two captures differ in what they log.** " +
           CaptureWarningMeaning(r.visibility_threshold) +
           " `--mask NAME` compares without it.\n>\n";
    for (const CaptureWarning& w : r.warnings) {
      out += "> - " + MdText(CaptureWarningText(w)) + "\n";
    }
    out += "\n";
  }
}

void AppendSummary(std::string& out, const DiffResult& r) {
  out += "## Summary\n\n";
  out +=
      "| canary_tid | ours_tid | paired by | matched | canary_total | ours_total | "
      "first_divergence_at | what differs | end (canary / ours) |";
  bool hunks = r.max_hunks > 1;
  out += hunks ? " hunks | matched after |\n" : "\n";
  out += "|---:|---:|---|---:|---:|---:|---:|---|---|";
  out += hunks ? "---:|---:|\n" : "\n";
  for (const PairResult& p : r.pairs) {
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} / {} |", p.canary_tid,
                       p.ours_tid, PairingText(p), p.matched, p.canary_total, p.ours_total,
                       FirstDivergenceAt(p), Cell(PairStatusText(p)), Cell(EndText(p.canary_life)),
                       Cell(EndText(p.ours_life)));
    if (hunks) {
      out += fmt::format(" {}{} | {} |", p.hunks.size(), p.hunks_truncated ? "+" : "",
                         p.matched_after_resync);
    }
    out += "\n";
  }
  out += "\n";
  if (hunks) out += "Hunks by class: " + HunkClassesText(r.HunkClasses()) + ".\n\n";
}

void AppendUnpaired(std::string& out, const DiffResult& r) {
  out += "## Unpaired threads\n\n";
  if (r.unpaired.empty()) {
    out += "None: every thread has a partner.\n\n";
    return;
  }
  out += "| side | tid | events | first kernel.call | idx range | first event | end |\n";
  out += "|---|---:|---:|---|---|---|---|\n";
  for (const UnpairedThread& u : r.unpaired) {
    out +=
        fmt::format("| {} | {} | {} | {} | {}–{} | {} | {} |\n", u.canary_side ? "canary" : "ours",
                    u.tid, u.events, u.first_call.empty() ? "—" : Cell(u.first_call),
                    u.first_idx ? std::to_string(*u.first_idx) : "?",
                    u.last_idx ? std::to_string(*u.last_idx) : "?",
                    u.first_event ? Code(u.first_event->summary) : "—", Cell(EndText(u.life)));
  }
  out += "\n";
  for (const UnpairedThread& u : r.unpaired) AppendWaits(out, u.waits);
}

void AppendContext(std::string& out, const Divergence& d, int context_events) {
  if (context_events == 0) {
    out += "Context: off (--context 0).\n\n";
    return;
  }
  if (d.context.empty()) {
    out += "No matching events before it: it diverges at the pair's first event.\n\n";
    return;
  }
  out += fmt::format("Last {} matching events before it", d.context.size());
  if (d.loop_period > 0) {
    out += fmt::format(", inside a loop of {} matched ×{} from event #{}",
                       CountOf(d.loop_period, "event"), d.loop_repeats, d.loop_start);
  }
  out += ":\n\n";
  out += "| canary | ours |\n|---|---|\n";
  for (const MatchedPair& m : d.context) {
    out += fmt::format("| {} | {} |\n", Code(m.canary.summary), Code(m.ours.summary));
  }
  out += "\n";
}

void AppendRaw(std::string& out, const char* side, const std::optional<EventRef>& e) {
  if (!e) {
    out += fmt::format("{}: `<end of stream>`\n\n", side);
    return;
  }
  out += fmt::format("{} (line {}):\n\n{}\n", side, e->line, MdFencedBlock(e->raw, "json"));
}

void AppendDivergence(std::string& out, const DiffResult& r, const PairResult& p) {
  const Divergence& d = *p.divergence;
  out += fmt::format("### canary tid {} ↔ ours tid {}\n\n", p.canary_tid, p.ours_tid);
  out += fmt::format("Paired by {}{}. {} events matched; canary has {}, ours has {}.{}\n\n",
                     PairingText(p),
                     p.first_call.empty() ? "" : " (first call " + MdText(p.first_call) + ")",
                     p.matched, p.canary_total, p.ours_total,
                     p.truncation_allowed ? " Accepted as truncated (--allow-truncation)."
                     : p.reorder_accepted ? " Accepted as only reordered (--ignore-reordered)."
                                          : "");
  out += fmt::format("**First divergence** at event #{} (idx {}): {}\n\n", d.position,
                     FirstDivergenceAt(p), Code(d.summary));
  AppendContext(out, d, r.context_events);
  out += "Divergent pair:\n\n";
  out += "- canary: " + EventLine(d.canary) + "\n";
  out += "- ours: " + EventLine(d.ours) + "\n\n";
  out += "Next event:\n\n";
  out += "- canary: " + (d.canary ? EventLine(d.canary_next) : std::string("`<end of stream>`")) +
         "\n";
  out += "- ours: " + (d.ours ? EventLine(d.ours_next) : std::string("`<end of stream>`")) + "\n\n";
  out += "Raw events:\n\n";
  AppendRaw(out, "canary", d.canary);
  AppendRaw(out, "ours", d.ours);
  AppendHunks(out, p, r);
  if (p.cause) out += "Cause: " + Cell(CauseText(*p.cause)) + ".\n\n";
  AppendWaits(out, p.waits);
  AppendLifetimes(out, p);
  AppendCallCounts(out, p);
}

void AppendRules(std::string& out, const DiffResult& r) {
  out += "## Canonicalization rules in force\n\n";
  for (const std::string& rule : r.rules) out += "- " + MdText(rule) + "\n";
  if (r.allow_truncation)
    out += "- --allow-truncation: a stream that only ends early counts as matched\n";
  if (r.max_hunks > 1) {
    out += r.fold_period > 0
               ? fmt::format(
                     "- loops folded: runs of one event or of a cycle of up to {} events "
                     "are one item with a count; hunks are minimal over items\n",
                     r.fold_period)
               : "- loops not folded (--fold folds them): hunks are minimal over events\n";
    out += fmt::format(
        "- reordered: hunks up to {} matched items apart that hold the same events "
        "are joined{}\n",
        r.reorder_gap,
        r.reorder_window > 0 ? fmt::format("; a hunk whose events all lie at most {} items away on "
                                           "the other side is reordered too",
                                           r.reorder_window)
                             : "");
  }
  if (r.ignore_reordered)
    out += "- --ignore-reordered: a pair whose hunks are all reordered counts as matched\n";
}

}  // namespace

std::string RenderDiffMarkdown(const DiffResult& r) {
  std::string out;
  AppendHeader(out, r);
  AppendCauses(out, r);
  AppendSummary(out, r);
  AppendUnpaired(out, r);
  bool any = false;
  for (const PairResult& p : r.pairs) any = any || p.divergence.has_value();
  if (any) {
    out += "## Divergences\n\n";
    for (const PairResult& p : r.pairs) {
      if (p.divergence) AppendDivergence(out, r, p);
    }
  }
  AppendRules(out, r);
  return out;
}

}  // namespace de
