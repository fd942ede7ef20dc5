// HTML report: one self-contained page (inline CSS and script, no network) a user can attach
// to a bug. The swimlane chart is drawn by the page's script from an embedded JSON blob; the
// tables are markup rendered here, so they read even with scripts off.
#include <fmt/format.h>

#include "diff_html_parts.h"
#include "html_text.h"

namespace de {
namespace {

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
  out += kChart;
  out += HtmlTables(r);
  out += "<script type=\"application/json\" id=\"diff-data\">" + HtmlChartData(r) + "</script>\n";
  out += "<script>" + std::string(kHtmlScript) + "</script>\n</body></html>\n";
  return out;
}

}  // namespace de
