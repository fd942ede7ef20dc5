// The one error type for unusable input: it names the file and line and travels up to main,
// which prints "diff_events: error: FILE:LINE: what" and exits 2.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace de {

class InputError : public std::runtime_error {
 public:
  // line 0 means "the file as a whole" (unreadable, truncated stream, ...).
  InputError(std::string file, uint64_t line, std::string what);

  const std::string& file() const { return file_; }
  uint64_t line() const { return line_; }
  const std::string& what_only() const { return what_; }

 private:
  std::string file_;
  uint64_t line_;
  std::string what_;
};

// Bad command-line usage (unknown thread id in --tid-map, unreadable profile, ...): exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace de
