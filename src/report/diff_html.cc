// HTML report: one self-contained page (inline CSS and script, no network) a user can attach
// to a bug. The swimlane chart is drawn by the page's script from an embedded JSON blob; the
// tables are markup rendered here, so they read even with scripts off.
#include <fmt/format.h>

#include <algorithm>

#include "diff_html_parts.h"
#include "html_text.h"

namespace de {
namespace {

// A page a browser opens at once: past this many lanes' worth of threads (a pair or an unpaired
// thread each) the page shows the most telling ones, root causes first, then the other
// divergences, unpaired threads and identical pairs, and says how many it leaves to the JSON
// and CSV reports. 100 000 one-event threads would otherwise make a 60 MB page.
constexpr size_t kMaxShownThreads = 500;

int Rank(const PairResult& p) {
  if (p.cause && p.cause->role == CauseRole::kRoot) return 0;
  return p.Diverged() ? 1 : 3;
}

// The threads the page shows, each list in the result's order.
DiffResult Shown(const DiffResult& r) {
  std::vector<std::pair<int, size_t>> ranked;  // (rank, pair index or pairs + unpaired index)
  for (size_t i = 0; i < r.pairs.size(); ++i) ranked.emplace_back(Rank(r.pairs[i]), i);
  for (size_t i = 0; i < r.unpaired.size(); ++i) ranked.emplace_back(2, r.pairs.size() + i);
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  ranked.resize(kMaxShownThreads);
  std::vector<size_t> keep;
  for (const auto& [rank, index] : ranked) keep.push_back(index);
  std::sort(keep.begin(), keep.end());
  DiffResult t;
  t.canary_path = r.canary_path;
  t.ours_path = r.ours_path;
  t.canary_engine = r.canary_engine;
  t.ours_engine = r.ours_engine;
  t.rules = r.rules;
  t.context_events = r.context_events;
  t.max_hunks = r.max_hunks;
  t.allow_truncation = r.allow_truncation;
  t.canary_events = r.canary_events;
  t.ours_events = r.ours_events;
  for (size_t index : keep) {
    if (index < r.pairs.size()) {
      t.pairs.push_back(r.pairs[index]);
    } else {
      t.unpaired.push_back(r.unpaired[index - r.pairs.size()]);
    }
  }
  return t;
}

std::string SideLine(const char* side, const std::string& path, const std::string& engine,
                     uint64_t events) {
  return fmt::format("<li>{}: <code>{}</code> (engine {}, {} events)</li>", side, HtmlText(path),
                     engine.empty() ? "?" : HtmlText(engine), events);
}

std::string Header(const DiffResult& r) {
  std::string out = "<header><h1>diff_events report</h1><ul>";
  out += SideLine("canary", r.canary_path, r.canary_engine, r.canary_events);
  out += SideLine("ours", r.ours_path, r.ours_engine, r.ours_events);
  out += fmt::format("<li>result: <b class=\"{}\">{}</b></li></ul></header>\n",
                     r.Identical() ? "good" : "bad", HtmlText(Verdict(r)));
  return out;
}

// The capture-visibility warnings lead the page, as they lead the markdown report: a call one
// capture never logs makes every other difference suspect. The --mask calls follow them.
std::string Warnings(const DiffResult& r) {
  std::string out;
  if (!r.warnings.empty()) {
    out +=
        "<section id=\"warnings\" class=\"note\"><h2>Warning: the two captures differ in what "
        "they log</h2><p>" +
        HtmlText(CaptureWarningMeaning(r.visibility_threshold)) +
        " <code>--mask NAME</code> compares without it.</p><ul>";
    for (const CaptureWarning& w : r.warnings) {
      out += "<li>" + HtmlText(CaptureWarningText(w)) + "</li>";
    }
    out += "</ul></section>\n";
  }
  if (!r.masked.empty()) {
    out += "<p id=\"masked\">Masked (dropped from both sides before alignment): ";
    for (size_t i = 0; i < r.masked.size(); ++i) {
      out += (i ? "; " : "") + HtmlText(MaskedText(r.masked[i]));
    }
    out += ".</p>\n";
  }
  return out;
}

constexpr const char* kChart = R"(<section id="timeline"><h2>Threads over time</h2>
<div id="controls"><label><input type="checkbox" id="absolute"> absolute time (each engine's
clock from its first event) instead of each thread from its own start</label></div>
<div id="legend"></div>
<div id="chart"><noscript>The swimlane chart needs JavaScript; the tables below have the same
facts.</noscript></div>
<div id="details" class="empty">Click a red divergence marker for its events.</div>
<div id="tip" hidden></div>
</section>
)";

}  // namespace

std::string RenderDiffHtml(const DiffResult& r) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>diff_events: " + HtmlText(Verdict(r)) + "</title>\n";
  out += "<style>" + std::string(kHtmlStyle) + "</style></head>\n<body>\n";
  out += Header(r);
  out += Warnings(r);
  size_t threads = r.pairs.size() + r.unpaired.size();
  DiffResult trimmed;
  const DiffResult* shown = &r;
  if (threads > kMaxShownThreads) {
    trimmed = Shown(r);
    shown = &trimmed;
    out += fmt::format(
        "<p class=\"note\">This page shows {} of {} threads (pairs and unpaired), root causes "
        "first, then the other divergences, unpaired threads and identical pairs; every thread "
        "is in the JSON and CSV reports.</p>\n",
        kMaxShownThreads, threads);
  }
  out += kChart;
  out += HtmlTables(*shown);
  out +=
      "<script type=\"application/json\" id=\"diff-data\">" + HtmlChartData(*shown) + "</script>\n";
  out += "<script>" + std::string(kHtmlScript) + "</script>\n</body></html>\n";
  return out;
}

}  // namespace de
