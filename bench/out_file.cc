#include "out_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>

namespace bench {
namespace {

constexpr size_t kBufferSize = 4 << 20;

[[noreturn]] void Fail(const std::string& what, const std::string& path) {
  throw std::runtime_error("cannot " + what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

OutFile::OutFile(std::string path)
    : path_(std::move(path)), tmp_(path_ + ".tmp"), buf_(kBufferSize) {
  fd_ = open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) Fail("create", tmp_);
  pos_ = buf_.data();
  end_ = buf_.data() + buf_.size();
}

OutFile::~OutFile() {
  if (fd_ >= 0) {
    close(fd_);
    unlink(tmp_.c_str());
  }
}

void OutFile::Rewind(uint64_t position) {
  if (position < flushed_ || position > bytes_written())
    throw std::logic_error("OutFile::Rewind past a flush");
  pos_ = buf_.data() + (position - flushed_);
}

void OutFile::Str(std::string_view s) {
  std::memcpy(pos_, s.data(), s.size());
  pos_ += s.size();
}

void OutFile::U64(uint64_t v) { pos_ = std::to_chars(pos_, end_, v).ptr; }

void OutFile::I64(int64_t v) { pos_ = std::to_chars(pos_, end_, v).ptr; }

void OutFile::Hex(uint64_t v, int digits, bool upper) {
  const char* alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  pos_[0] = '0';
  pos_[1] = 'x';
  for (int i = digits - 1; i >= 0; --i, v >>= 4) pos_[2 + i] = alphabet[v & 0xF];
  pos_ += 2 + digits;
}

void OutFile::QuotedBareHex(uint64_t v, int digits) {
  static constexpr char kAlphabet[] = "0123456789abcdef";
  pos_[0] = '"';
  for (int i = digits; i >= 1; --i, v >>= 4) pos_[i] = kAlphabet[v & 0xF];
  pos_[digits + 1] = '"';
  pos_ += digits + 2;
}

void OutFile::Flush() {
  const char* p = buf_.data();
  while (p < pos_) {
    ssize_t n = write(fd_, p, static_cast<size_t>(pos_ - p));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) Fail("write", tmp_);
    p += n;
  }
  flushed_ += static_cast<uint64_t>(pos_ - buf_.data());
  pos_ = buf_.data();
}

void OutFile::Commit() {
  Flush();
  int fd = fd_;
  fd_ = -1;
  if (close(fd) != 0) {
    unlink(tmp_.c_str());
    Fail("close", tmp_);
  }
  if (rename(tmp_.c_str(), path_.c_str()) != 0) {
    unlink(tmp_.c_str());
    Fail("rename to", path_);
  }
}

}  // namespace bench
