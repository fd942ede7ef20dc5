#include "diff_events/io/line_fetcher.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "diff_events/input_error.h"

namespace de {

bool IsSeekablePlainFile(const std::string& path) {
  if (path == "-") return false;
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  unsigned char magic[4] = {0, 0, 0, 0};
  ssize_t n = pread(fd, magic, sizeof magic, 0);
  close(fd);
  bool zstd =
      n == 4 && magic[0] == 0x28 && magic[1] == 0xB5 && magic[2] == 0x2F && magic[3] == 0xFD;
  bool gzip = n >= 2 && magic[0] == 0x1F && magic[1] == 0x8B;
  return n >= 0 && !zstd && !gzip;
}

LineFetcher::LineFetcher(const std::string& path) : path_(path) {
  fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw InputError(path, 0, std::string("cannot reopen: ") + std::strerror(errno));
}

LineFetcher::~LineFetcher() {
  if (fd_ >= 0) close(fd_);
}

std::string LineFetcher::Fetch(uint64_t offset, uint32_t size) const {
  std::string text(size, '\0');
  size_t done = 0;
  while (done < size) {
    ssize_t n = pread(fd_, text.data() + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw InputError(path_, 0, "changed while being read (a reported line is gone)");
    done += static_cast<size_t>(n);
  }
  return text;
}

}  // namespace de
