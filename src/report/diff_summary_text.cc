// Wording shared by the markdown, CSV and JSON reports.
#include <fmt/format.h>

#include "diff_events/report/diff_reports.h"

namespace de {

std::string PairStatusText(const PairResult& pair) {
  if (!pair.divergence) return "identical";
  if (pair.truncation_allowed) return "matched up to truncation: " + pair.divergence->summary;
  if (pair.reorder_accepted) return "matched up to reordering: " + pair.divergence->summary;
  return pair.divergence->summary;
}

std::optional<uint64_t> FirstDivergenceIdx(const PairResult& pair) {
  if (!pair.divergence) return std::nullopt;
  const Divergence& d = *pair.divergence;
  const std::optional<EventRef>& at = d.canary ? d.canary : d.ours;
  if (!at) return std::nullopt;
  return at->idx;
}

std::string FirstDivergenceAt(const PairResult& pair) {
  std::optional<uint64_t> idx = FirstDivergenceIdx(pair);
  return idx ? std::to_string(*idx) : "";
}

std::string UnpairedText(const UnpairedThread& thread) {
  return fmt::format(
      "unpaired: {} tid {} has no partner in {} ({} events{})",
      thread.canary_side ? "canary" : "ours", thread.tid, thread.canary_side ? "ours" : "canary",
      thread.events,
      thread.first_call.empty() ? ", no kernel.call" : ", first call " + thread.first_call);
}

std::string PairingText(const PairResult& pair) {
  std::string text = PairingMethodName(pair.method);
  if (!pair.pairing) return text;
  const PairingConfidence& c = *pair.pairing;
  text += fmt::format(" {}/{}", c.score, c.window);
  text += c.runner_up ? fmt::format(", next best {}/{}", *c.runner_up, c.window)
                      : std::string(", no other candidate");
  if (c.ambiguous) text += " (ambiguous)";
  return text;
}

std::string CountOf(size_t n, const std::string& noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

std::string CaptureWarningText(const CaptureWarning& w) {
  const char* seen = w.seen_in_canary ? "canary" : "ours";
  const char* unseen = w.seen_in_canary ? "ours" : "canary";
  return fmt::format("{}: {} in {}, never logged in {}{}", w.name, CountOf(w.count, "call"), seen,
                     unseen, w.masked ? " (masked)" : "");
}

std::string CaptureWarningMeaning(uint64_t threshold) {
  return fmt::format(
      "Each call below occurs at least {} times on one side and never on the other, in any "
      "thread: the captures were probably made with different logging settings.",
      threshold);
}

std::string MaskedText(const MaskedCall& m) {
  return fmt::format("{} (canary {}, ours {})", m.name, CountOf(m.canary_calls, "call"),
                     CountOf(m.ours_calls, "call"));
}

std::string CausesHeadline(const DiffResult& r) {
  size_t roots = 0, explained = 0;
  for (const PairResult& p : r.pairs) {
    if (!p.cause) continue;
    ++explained;
    roots += p.cause->role == CauseRole::kRoot;
  }
  if (explained == 0) return "";
  return fmt::format("{} {} {}", CountOf(roots, "root divergence"),
                     roots == 1 ? "explains" : "explain", CountOf(explained, "diverging pair"));
}

std::string HunkClassesText(const HunkClassCounts& counts) {
  std::string out;
  for (size_t i = 0; i < kHunkClasses; ++i) {
    if (counts.n[i] == 0) continue;
    out += fmt::format("{}{} {}", out.empty() ? "" : ", ", counts.n[i],
                       HunkClassName(static_cast<HunkClass>(i)));
  }
  return out.empty() ? "none" : out;
}

std::string Verdict(const DiffResult& r) {
  if (r.Identical()) {
    std::string reordered = r.ReorderAcceptedPairs() == 0
                                ? ""
                                : fmt::format(" ({} only reordered, --ignore-reordered)",
                                              CountOf(r.ReorderAcceptedPairs(), "pair"));
    return fmt::format("identical: {}, {} canary / {} ours events{}",
                       CountOf(r.pairs.size(), "thread pair"), r.canary_events, r.ours_events,
                       reordered);
  }
  return fmt::format("diverged: {} of {} diverge, {} unpaired", r.DivergentPairs(),
                     CountOf(r.pairs.size(), "thread pair"), CountOf(r.unpaired.size(), "thread"));
}

}  // namespace de
