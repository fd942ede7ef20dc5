#include "diff_events/input_error.h"

#include <fmt/format.h>

namespace de {

static std::string FormatLocation(const std::string& file, uint64_t line, const std::string& what) {
  if (line == 0) return fmt::format("{}: {}", file, what);
  return fmt::format("{}:{}: {}", file, line, what);
}

InputError::InputError(std::string file, uint64_t line, std::string what)
    : std::runtime_error(FormatLocation(file, line, what)),
      file_(std::move(file)),
      line_(line),
      what_(std::move(what)) {}

}  // namespace de
