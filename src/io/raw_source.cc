// Plain byte sources: POSIX file descriptors (files, stdin, pipes) and memory.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "diff_events/input_error.h"
#include "diff_events/io/byte_source.h"
#include "diff_events/io/line_fetcher.h"

namespace de {
namespace {

class FdSource : public ByteSource {
 public:
  FdSource(int fd, std::string name, bool owned) : fd_(fd), name_(std::move(name)), owned_(owned) {}
  ~FdSource() override {
    if (owned_) close(fd_);
  }
  size_t Read(char* dst, size_t capacity) override {
    for (;;) {
      ssize_t n = read(fd_, dst, capacity);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno == EINTR) continue;
      throw InputError(name_, 0, std::string("read failed: ") + std::strerror(errno));
    }
  }
  const std::string& name() const override { return name_; }

 private:
  int fd_;
  std::string name_;
  bool owned_;
};

class MemorySource : public ByteSource {
 public:
  MemorySource(std::string bytes, std::string name)
      : bytes_(std::move(bytes)), name_(std::move(name)) {}
  size_t Read(char* dst, size_t capacity) override {
    size_t n = std::min(capacity, bytes_.size() - pos_);
    std::memcpy(dst, bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  std::string bytes_;
  std::string name_;
  size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> OpenRawSource(const std::string& path) {
  if (path == "-") return std::make_unique<FdSource>(STDIN_FILENO, "<stdin>", false);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path, 0, std::string("cannot open: ") + std::strerror(errno));
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    close(fd);
    throw InputError(path, 0, "is a directory, not a log file");
  }
  RecordInputIdentity(path, fd);
#ifdef POSIX_FADV_SEQUENTIAL
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  return std::make_unique<FdSource>(fd, path, true);
}

std::unique_ptr<ByteSource> ReopenRawSource(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError(path, 0, std::string("cannot reopen: ") + std::strerror(errno));
  auto source = std::make_unique<FdSource>(fd, path, true);  // closes fd if the check throws
  CheckInputIdentity(path, fd);
#ifdef POSIX_FADV_SEQUENTIAL
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  return source;
}

std::unique_ptr<ByteSource> MakeMemorySource(std::string bytes, std::string name) {
  return std::make_unique<MemorySource>(std::move(bytes), std::move(name));
}

std::unique_ptr<ByteSource> OpenInput(const std::string& path) {
  return Decompressing(OpenRawSource(path));
}

}  // namespace de
