#include "diff_events/report/fires_reports.h"

namespace de {

const std::vector<std::string>& FiresReportFileNames() {
  static const std::vector<std::string> names = {
      "report.md", "divergent-tuples.csv", "matched-tuples.csv", "extra-tuples.csv", "report.json"};
  return names;
}

std::vector<ReportFile> RenderFiresReports(const FiresResult& result,
                                           const FiresRenderOptions& options) {
  const std::vector<std::string>& names = FiresReportFileNames();
  return {{names[0], RenderFiresMarkdown(result, options)},
          {names[1], RenderDivergentCsv(result)},
          {names[2], RenderMatchedCsv(result)},
          {names[3], RenderExtraCsv(result)},
          {names[4], RenderFiresJson(result)}};
}

}  // namespace de
