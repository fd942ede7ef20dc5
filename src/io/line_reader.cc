#include "diff_events/io/line_reader.h"

#include <simdjson.h>

#include <cstring>

namespace de {

static_assert(kLinePadding == simdjson::SIMDJSON_PADDING, "line padding must cover simdjson's");

LineReader::LineReader(std::unique_ptr<ByteSource> source, size_t block_size)
    : source_(std::move(source)), buf_(block_size + kLinePadding) {}

bool LineReader::Refill() {
  if (eof_) return false;
  size_t tail = end_ - begin_;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, tail);
    buf_offset_ += begin_;
    scan_from_ -= begin_;
    begin_ = 0;
    end_ = tail;
  }
  size_t capacity = buf_.size() - kLinePadding;
  if (end_ == capacity) {  // one line longer than the block: grow
    buf_.resize(capacity * 2 + kLinePadding);
    capacity = buf_.size() - kLinePadding;
  }
  size_t n = source_->Read(buf_.data() + end_, capacity - end_);
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += n;
  bytes_read_ += n;
  std::memset(buf_.data() + end_, 0, kLinePadding);
  return true;
}

bool LineReader::Next(Line& line) {
  for (;;) {
    const char* base = buf_.data();
    const void* nl =
        scan_from_ < end_ ? std::memchr(base + scan_from_, '\n', end_ - scan_from_) : nullptr;
    size_t line_end;
    size_t next_begin;
    if (nl) {
      line_end = static_cast<size_t>(static_cast<const char*>(nl) - base);
      next_begin = line_end + 1;
    } else {
      scan_from_ = end_;
      if (Refill()) continue;
      if (begin_ == end_) return false;
      base = buf_.data();  // Refill may have grown (moved) the buffer before hitting the end
      line_end = end_;     // last line without a newline
      next_begin = end_;
      std::memset(buf_.data() + end_, 0, kLinePadding);
    }
    size_t start = begin_;
    if (at_start_) {
      at_start_ = false;
      if (line_end - start >= 3 && std::memcmp(base + start, "\xEF\xBB\xBF", 3) == 0) start += 3;
    }
    size_t stop = line_end;
    if (stop > start && base[stop - 1] == '\r') --stop;
    line.text = std::string_view(base + start, stop - start);
    line.number = ++line_number_;
    line.readable = buf_.size() - start;
    line.offset = buf_offset_ + start;
    begin_ = next_begin;
    scan_from_ = next_begin;
    return true;
  }
}

}  // namespace de
