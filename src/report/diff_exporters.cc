#include "diff_events/report/diff_exporters.h"

namespace de {

const std::vector<DiffExporter>& DiffExporters() {
  static const std::vector<DiffExporter> exporters = {
      {"--out", "Markdown report file (default: stdout)", RenderDiffMarkdown},
      {"--csv", "CSV summary, one row per thread pair (RFC 4180)", RenderDiffCsv},
      {"--json", "Whole result as JSON (schemas/diff-report.schema.json)", RenderDiffJson},
  };
  return exporters;
}

}  // namespace de
