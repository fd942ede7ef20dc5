// A fast buffered output file for the generators: formats straight into a large buffer (no
// iostreams, no printf), writes it with write(2), and appears under its final name only when
// complete (temp file + rename), so an interrupted run never leaves a partial file in the cache.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

class OutFile {
 public:
  explicit OutFile(std::string path);  // throws std::runtime_error if it can't be created
  ~OutFile();                          // unlinks the temp file unless Commit() succeeded
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;

  // Call before each record: guarantees kRecordRoom bytes of space for the appends that follow.
  void BeginRecord() {
    if (static_cast<size_t>(end_ - pos_) < kRecordRoom) Flush();
  }
  // Guarantees `n` bytes of room (n < 4 MB), so no flush happens before they are used: what is
  // appended after a Reserve() can be taken back with Rewind().
  void Reserve(size_t n) {
    if (static_cast<size_t>(end_ - pos_) < n) Flush();
  }
  // Drops everything appended after `position` (a bytes_written() value), which must not have
  // been flushed yet.
  void Rewind(uint64_t position);
  void Str(std::string_view s);
  void Char(char c) { *pos_++ = c; }
  void U64(uint64_t v);
  void I64(int64_t v);
  // "0x" + `digits` hex digits, zero-padded.
  void Hex(uint64_t v, int digits, bool upper = false);
  // The same, in double quotes (a JSON string).
  void QuotedHex(uint64_t v, int digits, bool upper = false) {
    Char('"');
    Hex(v, digits, upper);
    Char('"');
  }
  // Bare hex digits in quotes (semantic handle ids: 16 lowercase digits, no prefix).
  void QuotedBareHex(uint64_t v, int digits);

  // Flushes, closes and renames into place; throws std::runtime_error on any failure.
  void Commit();
  uint64_t bytes_written() const { return flushed_ + static_cast<uint64_t>(pos_ - buf_.data()); }

  static constexpr size_t kRecordRoom = 4096;

 private:
  void Flush();

  std::string path_;
  std::string tmp_;
  int fd_ = -1;
  std::vector<char> buf_;
  char* pos_;
  char* end_;
  uint64_t flushed_ = 0;
};

}  // namespace bench
