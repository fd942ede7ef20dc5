#include "diff_events/report/fires_reports.h"

namespace de {
namespace {

void WriteMarkdown(const FiresResult& r, const FiresRenderOptions& o, TextSink& out) {
  out.Write(RenderFiresMarkdown(r, o));  // small: its tables stop at --top
}

template <void (*Write)(const FiresResult&, TextSink&)>
void WithoutOptions(const FiresResult& r, const FiresRenderOptions&, TextSink& out) {
  Write(r, out);
}

template <void (*Write)(const FiresResult&, TextSink&)>
std::string InMemory(const FiresResult& r) {
  StringSink out;
  Write(r, out);
  return out.Take();
}

}  // namespace

const std::vector<FiresReport>& FiresReports() {
  static const std::vector<FiresReport> reports = {
      {"report.md", WriteMarkdown},
      {"divergent-tuples.csv", WithoutOptions<WriteDivergentCsv>},
      {"matched-tuples.csv", WithoutOptions<WriteMatchedCsv>},
      {"extra-tuples.csv", WithoutOptions<WriteExtraCsv>},
      {"report.json", WithoutOptions<WriteFiresJson>}};
  return reports;
}

const std::vector<std::string>& FiresReportFileNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const FiresReport& report : FiresReports()) out.push_back(report.name);
    return out;
  }();
  return names;
}

std::string RenderDivergentCsv(const FiresResult& r) { return InMemory<WriteDivergentCsv>(r); }
std::string RenderMatchedCsv(const FiresResult& r) { return InMemory<WriteMatchedCsv>(r); }
std::string RenderExtraCsv(const FiresResult& r) { return InMemory<WriteExtraCsv>(r); }
std::string RenderFiresJson(const FiresResult& r) { return InMemory<WriteFiresJson>(r); }

}  // namespace de
