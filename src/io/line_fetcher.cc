#include "diff_events/io/line_fetcher.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <mutex>

#include "diff_events/input_error.h"
#include "diff_events/io/byte_source.h"

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
  return n >= 0 && SniffCompression(magic, static_cast<size_t>(n)) == Compression::kNone;
}

namespace {

struct Identity {
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime;
  bool operator==(const Identity& o) const {
    return dev == o.dev && ino == o.ino && size == o.size && mtime.tv_sec == o.mtime.tv_sec &&
           mtime.tv_nsec == o.mtime.tv_nsec;
  }
};

std::mutex identities_mutex;
std::map<std::string, Identity>& Identities() {
  static std::map<std::string, Identity> identities;
  return identities;
}

bool IdentityOf(int fd, Identity& id) {
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return false;
  id = Identity{st.st_dev, st.st_ino, st.st_size, st.st_mtim};
  return true;
}

}  // namespace

void RecordInputIdentity(const std::string& path, int fd) {
  Identity id;
  if (!IdentityOf(fd, id)) return;
  std::lock_guard<std::mutex> lock(identities_mutex);
  Identities()[path] = id;
}

void CheckInputIdentity(const std::string& path, int fd) {
  Identity now;
  bool known = false;
  Identity then;
  {
    std::lock_guard<std::mutex> lock(identities_mutex);
    auto it = Identities().find(path);
    if (it != Identities().end()) then = it->second, known = true;
  }
  if (known && (!IdentityOf(fd, now) || !(now == then))) {
    throw InputError(path, 0,
                     "changed while being read (its size, modification time or inode differ "
                     "from when it was read): the lines a report shows would not be the ones "
                     "compared");
  }
}

void LineFetcher::CheckUnchanged() const { CheckInputIdentity(path_, fd_); }

LineFetcher::LineFetcher(const std::string& path) : path_(path) {
  fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw InputError(path, 0, std::string("cannot reopen: ") + std::strerror(errno));
  CheckUnchanged();
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
  CheckUnchanged();  // a rewrite during the fetches must not slip in either
  return text;
}

}  // namespace de
