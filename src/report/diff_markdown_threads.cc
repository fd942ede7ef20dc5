// The markdown report's thread sections: root causes first, then per diverging pair its
// lifetimes side by side, call-count differential and why a blocked side is stuck.
#include <fmt/format.h>

#include <algorithm>

#include "diff_markdown_parts.h"

namespace de {

void AppendCauses(std::string& out, const DiffResult& r) {
  std::vector<const PairResult*> roots, consequences;
  for (const PairResult& p : r.pairs) {
    if (!p.cause) continue;
    (p.cause->role == CauseRole::kRoot ? roots : consequences).push_back(&p);
  }
  if (roots.empty() && consequences.empty()) return;
  out += "## Root causes\n\n";
  out += CausesHeadline(r) + ".\n\n";
  for (const PairResult* p : roots) {
    out += fmt::format("- **root**: canary tid {} ↔ ours tid {} — {}{}\n", p->canary_tid,
                       p->ours_tid, Cell(PairStatusText(*p)),
                       p->cause->unexplained_wait
                           ? " (blocked on a handle nothing signals: the chain cannot be followed)"
                           : "");
  }
  for (const PairResult* p : consequences) {
    out += fmt::format("- consequence: canary tid {} ↔ ours tid {} — {}\n", p->canary_tid,
                       p->ours_tid, Cell(CauseText(*p->cause)));
  }
  out += "\n";
}

void AppendHunks(std::string& out, const PairResult& p, const DiffResult& r) {
  if (r.max_hunks <= 1 || p.hunks.empty()) return;
  out += fmt::format("Hunks ({}: {}{}; {} matched after resynchronization):\n\n```diff\n",
                     p.hunks.size(), HunkClassesText(CountHunkClasses(p.hunks)),
                     p.hunks_truncated ? ", cut by --max-hunks" : "",
                     CountOf(p.matched_after_resync, "event"));
  for (const Hunk& h : p.hunks) {
    out += HunkHeader(h, p.resync_window) + "\n";
    auto lines = [&](const std::vector<EventRef>& events, uint64_t count, uint64_t span,
                     char mark) {
      for (const EventRef& e : events)
        out += fmt::format("{} {}{}\n", mark, LoopMark(e), e.summary);
      if (count > span) out += fmt::format("{} … {} more\n", mark, count - span);
    };
    lines(h.canary_events, h.canary_count, h.canary_shown_span, '-');
    lines(h.ours_events, h.ours_count, h.ours_shown_span, '+');
  }
  out += "```\n\n";
  auto representative = [](const Hunk& h) {
    auto is = [](const EventRef& e) { return e.representative; };
    return std::any_of(h.canary_events.begin(), h.canary_events.end(), is) ||
           std::any_of(h.ours_events.begin(), h.ours_events.end(), is);
  };
  if (std::any_of(p.hunks.begin(), p.hunks.end(), representative)) {
    out +=
        "≈: an iteration inside a folded loop, whose own events were not kept, shown by the same "
        "event of another iteration (the idx is its own; the raw line is the other's).\n\n";
  }
}

void AppendLifetimes(std::string& out, const PairResult& p) {
  out += "Lifetimes (each in its engine's clock):\n\n";
  out += "| | canary | ours |\n|---|---|---|\n";
  const Lifetime& c = p.canary_life;
  const Lifetime& o = p.ours_life;
  out += fmt::format("| events | {} | {} |\n", c.events, o.events);
  out += fmt::format("| kernel calls | {} | {} |\n", c.kernel_calls, o.kernel_calls);
  out += fmt::format("| first host_ns | {} | {} |\n", HostNsText(c.first_host_ns),
                     HostNsText(o.first_host_ns));
  out += fmt::format("| last host_ns | {} | {} |\n", HostNsText(c.last_host_ns),
                     HostNsText(o.last_host_ns));
  out += fmt::format("| duration | {} | {} |\n", DurationText(c.duration_ns()),
                     DurationText(o.duration_ns()));
  out += fmt::format("| end | {} | {} |\n\n", Cell(EndText(c)), Cell(EndText(o)));
}

void AppendCallCounts(std::string& out, const PairResult& p) {
  size_t differing = 0;
  for (const CallCount& c : p.call_counts) differing += c.delta() != 0;
  if (differing == 0) {
    out += "Call counts: the same on both sides.\n\n";
    return;
  }
  out += fmt::format("Call counts (top {} of {} differing names; all in --calls-csv / JSON):\n\n",
                     std::min(kTopCallCounts, differing), differing);
  out += "| call | canary | ours | Δ |\n|---|---:|---:|---:|\n";
  size_t shown = 0;
  for (const CallCount& c : p.call_counts) {
    if (c.delta() == 0 || shown++ == kTopCallCounts) break;
    out += fmt::format("| {} | {} | {} | {:+} |\n", Cell(c.name), c.canary, c.ours, c.delta());
  }
  std::string canary_only, ours_only;
  auto add = [](std::string& list, std::string_view name) {
    if (!list.empty()) list += ", ";
    list += name;
  };
  for (const CallCount& c : p.call_counts) {
    if (c.ours == 0) add(canary_only, c.name);
    if (c.canary == 0) add(ours_only, c.name);
  }
  out += "\n";
  if (!canary_only.empty()) out += "Called only in canary: " + Cell(canary_only) + ".\n\n";
  if (!ours_only.empty()) out += "Called only in ours: " + Cell(ours_only) + ".\n\n";
}

void AppendWaits(std::string& out, const std::vector<WaitAnalysis>& waits) {
  if (waits.empty()) return;
  out += "Why it is stuck:\n\n";
  for (const WaitAnalysis& w : waits) out += "- " + Cell(WaitText(w)) + "\n";
  out += "\n";
}

}  // namespace de
