// The diff's report formats as one table (hyperfine's exporters): each entry is the option
// that asks for it, its help, and the pure function that renders it. The command walks the
// table for option definitions, output-path checks, rendering and atomic writing, so a new
// format is one line here.
#pragma once

#include <cstdint>
#include <vector>

#include "diff_events/io/input.h"
#include "diff_events/report/atomic_file.h"
#include "diff_events/report/diff_reports.h"

namespace de {

// What an exporter that reads the inputs a second time (the trace) gets besides the result.
struct ExportInputs {
  ByteSourceOpener canary;  // null: that input cannot be read again (stdin, a pipe)
  ByteSourceOpener ours;
  uint64_t trace_window = 2000;  // --trace-window: events around each hunk; 0 means all
};
using DiffInputsRenderer = std::string (*)(const DiffResult&, const ExportInputs&);

struct DiffExporter {
  const char* flag;  // "--csv"
  const char* help;
  DiffRenderer render;  // null when the format reads the inputs again
  DiffInputsRenderer render_with_inputs = nullptr;
  DiffWriter write = nullptr;  // renders piece by piece into the file (a report that grows with
                               // the number of threads), when set

  bool RereadsInputs() const { return render_with_inputs != nullptr; }
  std::string Render(const DiffResult& result, const ExportInputs& inputs) const {
    return render ? render(result) : render_with_inputs(result, inputs);
  }
  void Write(const DiffResult& result, const ExportInputs& inputs, TextSink& out) const {
    if (write) return write(result, out);
    out.Write(Render(result, inputs));
  }
};

const std::vector<DiffExporter>& DiffExporters();

}  // namespace de
