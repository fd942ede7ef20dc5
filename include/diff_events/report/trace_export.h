// The trace export (--trace): both engines in one Chrome JSON trace, the format ui.perfetto.dev
// and chrome://tracing open. One process per engine (pid 1 canary, pid 2 ours), one track per
// thread, kernel calls and waits as slices, divergences, hunks and end states as instants. The
// result keeps no events, so this reads both inputs a second time, exporting only the events
// within a window around each hunk and at each thread's end; the rest of a thread becomes one
// slice per gap that counts the events it stands for.
#pragma once

#include <string>

#include "diff_events/align/diff_result.h"
#include "diff_events/report/diff_exporters.h"

namespace de {

// Throws InputError when an input cannot be read again or differs from the first read.
std::string RenderTrace(const DiffResult& result, const ExportInputs& inputs);

}  // namespace de
