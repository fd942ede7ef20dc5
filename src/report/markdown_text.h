// Text pasted into a markdown report comes from inputs (engine names, paths, strings of events)
// and must not change the document's structure: control characters are folded to something
// visible, backticks and pipes cannot open code spans or end table cells, invalid UTF-8 becomes
// U+FFFD.
#pragma once

#include <string>
#include <string_view>

namespace de {

// Plain text in a line (headers, list items, table cells): \n \r \t become spaces, other
// control characters "\xNN", and ` | \ are backslash-escaped.
std::string MdText(std::string_view text);

// An inline code span that holds `text` whatever it contains (a fence longer than any run of
// backticks inside), control characters folded as in MdText, pipes escaped for table cells.
std::string MdCode(std::string_view text);

// A fenced code block (```lang ... ```) whose fence no line of `text` can close.
std::string MdFencedBlock(std::string_view text, std::string_view lang);

}  // namespace de
