// Pieces of the HTML report shared between its files (not part of the library's API): the
// tables rendered as markup, the swimlane data the page's script draws, the inline assets.
#pragma once

#include <string>

#include "diff_events/report/diff_reports.h"

namespace de {

// Summary, root causes, unpaired threads, per diverging pair its lifetimes, call counts and
// waits, and the rules in force: the markdown report's tables, as HTML.
std::string HtmlTables(const DiffResult& r);

// The swimlanes as JSON (lanes with their density bins, divergence and hunk markers with their
// details, end states, causes), escaped for a <script> element.
std::string HtmlChartData(const DiffResult& r);

// "5-1": the pair's id in data-pair and in element ids.
std::string PairId(const PairResult& p);

extern const char* const kHtmlStyle;
extern const char* const kHtmlScript;

}  // namespace de
