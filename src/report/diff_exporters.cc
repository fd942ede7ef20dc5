#include "diff_events/report/diff_exporters.h"

#include "diff_events/report/trace_export.h"

namespace de {

const std::vector<DiffExporter>& DiffExporters() {
  static const std::vector<DiffExporter> exporters = {
      {"--out", "Markdown report file (default: stdout)", RenderDiffMarkdown},
      {"--csv", "CSV summary, one row per thread pair (RFC 4180)", RenderDiffCsv},
      {"--json", "Whole result as JSON (schemas/diff-report.schema.json)", RenderDiffJson, nullptr,
       WriteDiffJson},
      {"--hunks-csv", "CSV, one row per hunk (differing stretch) of every pair", RenderHunksCsv},
      {"--lifetimes-csv", "CSV, one row per thread and side: lifetime and end state",
       RenderLifetimesCsv},
      {"--calls-csv", "CSV, one row per thread pair and call name: counts and difference",
       RenderCallsCsv},
      {"--html", "Self-contained HTML page: swimlane chart of the thread pairs and the tables",
       RenderDiffHtml},
      // The only format that reads both inputs again: the result keeps no events.
      {"--trace",
       "Chrome JSON trace of both engines (ui.perfetto.dev, chrome://tracing): calls, waits, "
       "hunks",
       nullptr, RenderTrace},
  };
  return exporters;
}

}  // namespace de
