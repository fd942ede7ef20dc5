// Renderers of one FiresResult: markdown, three CSVs and JSON. Each is a pure function of the
// (already sorted) result, so the same input gives byte-identical files.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "diff_events/fires/fires_result.h"
#include "diff_events/report/atomic_file.h"

namespace de {

struct FiresRenderOptions {
  size_t top = 30;  // rows per markdown table (keys, threads, baseline); the CSV/JSON hold all
};

std::string RenderFiresMarkdown(const FiresResult& result, const FiresRenderOptions& options);

// The same reports written piece by piece into a sink (a temp file), so that even a million
// keys never sit in memory as text: each holds at most one row before it is written.
void WriteDivergentCsv(const FiresResult& result, TextSink& out);  // missing keys
void WriteMatchedCsv(const FiresResult& result, TextSink& out);    // keys firing on both sides
void WriteExtraCsv(const FiresResult& result, TextSink& out);      // keys only ours fires
void WriteFiresJson(const FiresResult& result, TextSink& out);     // fires-report.schema.json

// In-memory forms of the above (tests, small inputs).
std::string RenderDivergentCsv(const FiresResult& result);
std::string RenderMatchedCsv(const FiresResult& result);
std::string RenderExtraCsv(const FiresResult& result);
std::string RenderFiresJson(const FiresResult& result);

// One file of --out-dir and how to write it.
struct FiresReport {
  const char* name;  // file name inside --out-dir
  void (*write)(const FiresResult& result, const FiresRenderOptions& options, TextSink& out);
};
// Every report of --out-dir, markdown first.
const std::vector<FiresReport>& FiresReports();
// Their names, in the same order (to check output paths before the scan).
const std::vector<std::string>& FiresReportFileNames();

}  // namespace de
