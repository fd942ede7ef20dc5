// The diff's report formats as one table (hyperfine's exporters): each entry is the option
// that asks for it, its help, and the pure function that renders it. The command walks the
// table for option definitions, output-path checks, rendering and atomic writing, so a new
// format is one line here.
#pragma once

#include <vector>

#include "diff_events/report/diff_reports.h"

namespace de {

struct DiffExporter {
  const char* flag;  // "--csv"
  const char* help;
  DiffRenderer render;
};

const std::vector<DiffExporter>& DiffExporters();

}  // namespace de
