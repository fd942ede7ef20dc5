// A disassembler's function list (CSV `address,name[,size]`) turned into labels for LRs:
// `name+0xOFF` of the function that contains the address. Addresses are hex (0x optional);
// a size is hex with 0x, else decimal. A function without a size extends to the next listed
// function (the last one, only to its own start). A first line that does not start with an
// address is a header and skipped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace de {

class SymbolMap {
 public:
  // Throws InputError (FILE:LINE) on a malformed row.
  static SymbolMap Load(const std::string& path);
  static SymbolMap Parse(std::string_view csv, const std::string& name);

  std::optional<std::string> Label(uint64_t address) const;
  size_t size() const { return functions_.size(); }

 private:
  struct Function {
    uint64_t start = 0;
    uint64_t end = 0;  // exclusive; 0 while unknown (no size given)
    std::string name;
  };
  void Finish();

  std::vector<Function> functions_;  // sorted by start
};

// Splits one CSV row (RFC 4180 quoting, no line breaks inside fields). False on a stray quote.
bool SplitCsvRow(std::string_view row, std::vector<std::string>& fields);

}  // namespace de
