// Splits a byte source into lines without copying them: reads large blocks, hands out views of
// complete lines, and keeps simdjson's padding readable past every line so the decoder can parse
// in place. Strips a leading UTF-8 BOM and a trailing '\r' (CRLF logs are valid input).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "diff_events/io/byte_source.h"

namespace de {

struct Line {
  std::string_view text;  // without the line terminator
  uint64_t number = 0;    // 1-based line number in the (decompressed) input
  size_t readable = 0;    // bytes readable from text.data(): >= text.size() + kLinePadding
  uint64_t offset = 0;    // byte offset of text.data() in the (decompressed) input
};

constexpr size_t kLinePadding = 64;  // == SIMDJSON_PADDING; checked in line_reader.cc

class LineReader {
 public:
  explicit LineReader(std::unique_ptr<ByteSource> source, size_t block_size = 1 << 20);

  // The next line; false at end of input. The view stays valid until the next call.
  bool Next(Line& line);

  const std::string& name() const { return source_->name(); }
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  bool Refill();  // moves the unconsumed tail to the front and reads more; false at EOF

  std::unique_ptr<ByteSource> source_;
  std::vector<char> buf_;  // data in [begin_, end_), kLinePadding spare bytes after capacity
  size_t begin_ = 0;
  size_t end_ = 0;
  size_t scan_from_ = 0;  // where to resume looking for '\n' (avoids rescanning long lines)
  bool eof_ = false;
  bool at_start_ = true;
  uint64_t line_number_ = 0;
  uint64_t buf_offset_ = 0;  // input offset of buf_[0]
  uint64_t bytes_read_ = 0;
};

}  // namespace de
