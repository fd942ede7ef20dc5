// Appending a section to a file other tools also write (a CI step summary): one write(2) with
// O_APPEND, so concurrent writers' sections never interleave within ours.
#pragma once

#include <string>

namespace de {

// Creates `path` if needed. Throws UsageError naming the path when it can't be written whole.
void AppendToFile(const std::string& path, const std::string& content);

}  // namespace de
