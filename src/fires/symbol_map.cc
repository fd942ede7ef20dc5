#include "diff_events/fires/symbol_map.h"

#include <fmt/format.h>

#include <algorithm>

#include "diff_events/fires/hex.h"
#include "diff_events/fires/small_input.h"
#include "diff_events/input_error.h"

namespace de {

bool SplitCsvRow(std::string_view row, std::vector<std::string>& fields) {
  fields.clear();
  size_t i = 0;
  for (;;) {
    std::string field;
    if (i < row.size() && row[i] == '"') {
      for (++i;; ++i) {
        if (i >= row.size()) return false;  // unterminated quote
        if (row[i] != '"') {
          field += row[i];
        } else if (i + 1 < row.size() && row[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          ++i;
          break;
        }
      }
      if (i < row.size() && row[i] != ',') return false;
    } else {
      size_t comma = row.find(',', i);
      size_t stop = comma == std::string_view::npos ? row.size() : comma;
      field.assign(row.substr(i, stop - i));
      if (field.find('"') != std::string::npos) return false;
      i = stop;
    }
    fields.push_back(std::move(field));
    if (i >= row.size()) return true;
    ++i;  // the comma
  }
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool ParseSize(std::string_view text, uint64_t& size) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    return ParseHex(text, size);
  return ParseDecimal(text, size);
}

}  // namespace

SymbolMap SymbolMap::Parse(std::string_view csv, const std::string& name) {
  SymbolMap map;
  std::vector<std::string> fields;
  uint64_t line_number = 0;
  while (!csv.empty()) {
    size_t nl = csv.find('\n');
    std::string_view row = csv.substr(0, nl);
    csv.remove_prefix(nl == std::string_view::npos ? csv.size() : nl + 1);
    ++line_number;
    if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
    if (line_number == 1 && row.substr(0, 3) == "\xEF\xBB\xBF") row.remove_prefix(3);
    if (Trim(row).empty()) continue;
    if (!SplitCsvRow(row, fields)) throw InputError(name, line_number, "malformed CSV quoting");
    Function fn;
    if (!ParseHex(Trim(fields[0]), fn.start)) {
      if (line_number == 1) continue;  // a header row
      throw InputError(name, line_number, "\"" + fields[0] + "\" is not a hex address");
    }
    if (fields.size() < 2 || fields.size() > 3 || Trim(fields[1]).empty())
      throw InputError(name, line_number, "expected address,name[,size]");
    fn.name = std::string(Trim(fields[1]));
    if (fields.size() == 3 && !Trim(fields[2]).empty()) {
      uint64_t size;
      if (!ParseSize(Trim(fields[2]), size) || size == 0 || size > UINT64_MAX - fn.start)
        throw InputError(name, line_number, "\"" + fields[2] + "\" is not a function size");
      fn.end = fn.start + size;
    }
    map.functions_.push_back(std::move(fn));
  }
  map.Finish();
  return map;
}

void SymbolMap::Finish() {
  std::stable_sort(functions_.begin(), functions_.end(),
                   [](const Function& a, const Function& b) { return a.start < b.start; });
  functions_.erase(
      std::unique(functions_.begin(), functions_.end(),
                  [](const Function& a, const Function& b) { return a.start == b.start; }),
      functions_.end());
  for (size_t i = 0; i < functions_.size(); ++i) {
    if (functions_[i].end != 0) continue;
    functions_[i].end =
        i + 1 < functions_.size() ? functions_[i + 1].start : functions_[i].start + 1;
  }
}

SymbolMap SymbolMap::Load(const std::string& path) {
  SmallInput input = ReadSmallInput(path);
  return Parse(input.text, input.name);
}

std::optional<std::string> SymbolMap::Label(uint64_t address) const {
  auto after = std::upper_bound(functions_.begin(), functions_.end(), address,
                                [](uint64_t a, const Function& f) { return a < f.start; });
  if (after == functions_.begin()) return std::nullopt;
  const Function& fn = *(after - 1);
  if (address >= fn.end) return std::nullopt;
  return fmt::format("{}+0x{:X}", fn.name, address - fn.start);
}

}  // namespace de
