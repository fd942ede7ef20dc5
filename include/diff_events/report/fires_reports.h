// Renderers of one FiresResult: markdown, three CSVs and JSON. Each is a pure function of the
// (already sorted) result, so the same input gives byte-identical files.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "diff_events/fires/fires_result.h"

namespace de {

struct FiresRenderOptions {
  size_t top = 30;  // rows per markdown table (keys, threads, baseline); the CSV/JSON hold all
};

std::string RenderFiresMarkdown(const FiresResult& result, const FiresRenderOptions& options);
std::string RenderDivergentCsv(const FiresResult& result);  // missing keys
std::string RenderMatchedCsv(const FiresResult& result);    // keys firing on both sides
std::string RenderExtraCsv(const FiresResult& result);      // keys only ours fires
std::string RenderFiresJson(const FiresResult& result);     // schemas/fires-report.schema.json

struct ReportFile {
  std::string name;  // file name inside --out-dir
  std::string content;
};
// The names RenderFiresReports uses, in its order (to check output paths before rendering).
const std::vector<std::string>& FiresReportFileNames();

// Every report file, rendered in memory (so nothing is written until all of them exist).
std::vector<ReportFile> RenderFiresReports(const FiresResult& result,
                                           const FiresRenderOptions& options);

}  // namespace de
