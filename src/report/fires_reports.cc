#include "diff_events/report/fires_reports.h"

namespace de {

std::vector<ReportFile> RenderFiresReports(const FiresResult& result,
                                           const FiresRenderOptions& options) {
  return {{"report.md", RenderFiresMarkdown(result, options)},
          {"divergent-tuples.csv", RenderDivergentCsv(result)},
          {"matched-tuples.csv", RenderMatchedCsv(result)},
          {"extra-tuples.csv", RenderExtraCsv(result)},
          {"report.json", RenderFiresJson(result)}};
}

}  // namespace de
