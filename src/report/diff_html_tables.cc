// The HTML report's tables: what the markdown report says, in the same words (the shared text
// functions of diff_reports.h), as markup. Every text from the inputs goes through HtmlText.
#include <fmt/format.h>

#include "diff_html_parts.h"
#include "html_text.h"

namespace de {
namespace {

std::string Td(std::string_view text) { return "<td>" + HtmlText(text) + "</td>"; }
std::string TdNum(uint64_t n) { return "<td class=\"num\">" + std::to_string(n) + "</td>"; }
std::string Code(const std::string& text) { return "<code>" + HtmlText(text) + "</code>"; }

std::string Header(std::initializer_list<const char*> names) {
  std::string out = "<thead><tr>";
  for (const char* n : names) out += fmt::format("<th>{}</th>", n);
  return out + "</tr></thead>";
}

std::string PairLink(const PairResult& p) {
  return fmt::format("<a href=\"#lane-{}\">canary tid {} ↔ ours tid {}</a>", PairId(p),
                     p.canary_tid, p.ours_tid);
}

void AppendCauses(std::string& out, const DiffResult& r) {
  std::string roots, consequences;
  size_t n_roots = 0, n_all = 0;
  for (const PairResult& p : r.pairs) {
    if (!p.cause) continue;
    ++n_all;
    if (p.cause->role == CauseRole::kRoot) {
      ++n_roots;
      roots += fmt::format(
          "<li><span class=\"badge root\">root</span> {} — {}</li>", PairLink(p),
          HtmlText(p.cause->unexplained_wait ? PairStatusText(p) + " (" + CauseText(*p.cause) + ")"
                                             : PairStatusText(p)));
    } else {
      std::string root_links;
      for (uint64_t tid : p.cause->explained_by) {
        for (const PairResult& q : r.pairs) {
          if (q.canary_tid == tid) root_links += " → " + PairLink(q);
        }
      }
      consequences +=
          fmt::format("<li><span class=\"badge consequence\">consequence</span> {} — {}{}</li>",
                      PairLink(p), HtmlText(CauseText(*p.cause)), root_links);
    }
  }
  if (n_all == 0) return;
  out += "<section id=\"causes\"><h2>Root causes</h2>";
  out += fmt::format("<p>{} {} {}.</p><ul>{}{}</ul></section>\n",
                     CountOf(n_roots, "root divergence"), n_roots == 1 ? "explains" : "explain",
                     CountOf(n_all, "diverging pair"), roots, consequences);
}

void AppendSummary(std::string& out, const DiffResult& r) {
  out += "<section id=\"summary\"><h2>Summary</h2><table>";
  out += Header({"canary_tid", "ours_tid", "paired by", "matched", "canary_total", "ours_total",
                 "first_divergence_at", "what differs", "end (canary / ours)", "hunks",
                 "matched after"});
  out += "<tbody>";
  for (const PairResult& p : r.pairs) {
    out += fmt::format("<tr class=\"{}\">", p.Diverged() ? "diverged" : "same");
    out +=
        fmt::format("<td class=\"num\"><a href=\"#lane-{}\">{}</a></td>", PairId(p), p.canary_tid);
    out += TdNum(p.ours_tid) + Td(PairingText(p)) + TdNum(p.matched) + TdNum(p.canary_total) +
           TdNum(p.ours_total) + Td(FirstDivergenceAt(p)) + Td(PairStatusText(p)) +
           Td(EndText(p.canary_life) + " / " + EndText(p.ours_life));
    out += fmt::format("<td class=\"num\">{}{}</td>", p.hunks.size(), p.hunks_truncated ? "+" : "");
    out += TdNum(p.matched_after_resync) + "</tr>\n";
  }
  out += "</tbody></table></section>\n";
}

void AppendUnpaired(std::string& out, const DiffResult& r) {
  out += "<section id=\"unpaired\"><h2>Unpaired threads</h2>";
  if (r.unpaired.empty()) {
    out += "<p>None: every thread has a partner.</p></section>\n";
    return;
  }
  out += "<table>" +
         Header({"side", "tid", "events", "first kernel.call", "idx range", "first event", "end"}) +
         "<tbody>";
  for (const UnpairedThread& u : r.unpaired) {
    out += fmt::format("<tr>{}{}{}{}{}<td>{}</td>{}</tr>\n", Td(u.canary_side ? "canary" : "ours"),
                       TdNum(u.tid), TdNum(u.events), Td(u.first_call.empty() ? "—" : u.first_call),
                       Td(fmt::format("{}–{}", u.first_idx ? std::to_string(*u.first_idx) : "?",
                                      u.last_idx ? std::to_string(*u.last_idx) : "?")),
                       u.first_event ? Code(u.first_event->summary) : "—", Td(EndText(u.life)));
  }
  out += "</tbody></table>";
  for (const UnpairedThread& u : r.unpaired) {
    for (const WaitAnalysis& w : u.waits) out += "<p>" + HtmlText(WaitText(w)) + "</p>";
  }
  out += "</section>\n";
}

void AppendLifetimes(std::string& out, const PairResult& p) {
  const Lifetime& c = p.canary_life;
  const Lifetime& o = p.ours_life;
  out += "<table class=\"life\"><caption>Lifetimes (each in its engine's clock)</caption>" +
         Header({"", "canary", "ours"}) + "<tbody>";
  auto row = [&](const char* name, const std::string& a, const std::string& b) {
    out += fmt::format("<tr><th>{}</th>{}{}</tr>", name, Td(a), Td(b));
  };
  row("events", std::to_string(c.events), std::to_string(o.events));
  row("kernel calls", std::to_string(c.kernel_calls), std::to_string(o.kernel_calls));
  row("first host_ns", HostNsText(c.first_host_ns), HostNsText(o.first_host_ns));
  row("last host_ns", HostNsText(c.last_host_ns), HostNsText(o.last_host_ns));
  row("duration", DurationText(c.duration_ns()), DurationText(o.duration_ns()));
  row("end", EndText(c), EndText(o));
  out += "</tbody></table>\n";
}

void AppendCallCounts(std::string& out, const PairResult& p) {
  size_t differing = 0;
  for (const CallCount& c : p.call_counts) differing += c.delta() != 0;
  if (differing == 0) {
    out += "<p>Call counts: the same on both sides.</p>\n";
    return;
  }
  out += fmt::format(
      "<table class=\"calls\"><caption>Call counts (top {} of {} differing names; all in "
      "--calls-csv / JSON)</caption>",
      std::min(kTopCallCounts, differing), differing);
  out += Header({"call", "canary", "ours", "Δ"}) + "<tbody>";
  size_t shown = 0;
  for (const CallCount& c : p.call_counts) {
    if (c.delta() == 0 || shown++ == kTopCallCounts) break;
    out += fmt::format("<tr>{}{}{}<td class=\"num\">{:+}</td></tr>", Td(c.name), TdNum(c.canary),
                       TdNum(c.ours), c.delta());
  }
  out += "</tbody></table>\n";
}

void AppendPair(std::string& out, const DiffResult& r, const PairResult& p) {
  out += fmt::format("<section class=\"pair\" id=\"pair-{}\"><h3>{}</h3>", PairId(p), PairLink(p));
  out += fmt::format("<p>Paired by {}{}. {} events matched; canary has {}, ours has {}.</p>",
                     HtmlText(PairingText(p)),
                     p.first_call.empty() ? "" : " (first call " + HtmlText(p.first_call) + ")",
                     p.matched, p.canary_total, p.ours_total);
  out += fmt::format("<p><b>First divergence</b> at event #{} (idx {}): {}</p>",
                     p.divergence->position, FirstDivergenceAt(p), Code(p.divergence->summary));
  if (r.max_hunks > 1 && !p.hunks.empty()) {
    out += fmt::format(
        "<p>{}{}; {} matched after resynchronization (click a red marker in the "
        "chart for its events).</p>",
        CountOf(p.hunks.size(), "hunk"), p.hunks_truncated ? ", cut by --max-hunks" : "",
        CountOf(p.matched_after_resync, "event"));
  }
  if (p.cause) out += "<p>Cause: " + HtmlText(CauseText(*p.cause)) + ".</p>";
  for (const WaitAnalysis& w : p.waits) out += "<p>" + HtmlText(WaitText(w)) + "</p>";
  out += "<div class=\"tables\">";
  AppendLifetimes(out, p);
  AppendCallCounts(out, p);
  out += "</div></section>\n";
}

void AppendRules(std::string& out, const DiffResult& r) {
  out += "<section id=\"rules\"><h2>Canonicalization rules in force</h2><ul>";
  for (const std::string& rule : r.rules) out += "<li>" + HtmlText(rule) + "</li>";
  if (r.allow_truncation)
    out += "<li>--allow-truncation: a stream that only ends early counts as matched</li>";
  out += "</ul></section>\n";
}

}  // namespace

std::string HtmlTables(const DiffResult& r) {
  std::string out;
  AppendCauses(out, r);
  AppendSummary(out, r);
  AppendUnpaired(out, r);
  bool any = false;
  for (const PairResult& p : r.pairs) any = any || p.divergence.has_value();
  if (any) {
    out += "<section id=\"divergences\"><h2>Divergences</h2>\n";
    for (const PairResult& p : r.pairs) {
      if (p.divergence) AppendPair(out, r, p);
    }
    out += "</section>\n";
  }
  AppendRules(out, r);
  return out;
}

}  // namespace de
