// RFC 4180 CSV: fields with a comma, quote, CR or LF are quoted, quotes doubled; CRLF row ends.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace de {

std::string CsvField(std::string_view field);
// Appends one row (fields joined by commas, terminated by CRLF) to `out`.
void AppendCsvRow(std::string& out, const std::vector<std::string>& fields);

}  // namespace de
