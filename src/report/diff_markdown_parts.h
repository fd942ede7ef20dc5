// Pieces of the markdown report shared between its files (not part of the library's API).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "diff_events/report/diff_reports.h"

namespace de {

// Any text from the inputs, escaped so it cannot break a table row or the document.
std::string Cell(std::string_view text);

void AppendCauses(std::string& out, const DiffResult& r);
void AppendHunks(std::string& out, const PairResult& p, const DiffResult& r);
void AppendLifetimes(std::string& out, const PairResult& p);
void AppendCallCounts(std::string& out, const PairResult& p);
void AppendWaits(std::string& out, const std::vector<WaitAnalysis>& waits);

}  // namespace de
