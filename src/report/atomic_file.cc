#include "diff_events/report/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>

#include "diff_events/input_error.h"

namespace de {
namespace {

// Paths of temp files being written, readable from a signal handler (fixed storage, no locks).
constexpr size_t kMaxPending = 8;
constexpr size_t kMaxPath = 4096;
std::array<std::array<char, kMaxPath>, kMaxPending> g_pending_paths;
std::array<std::atomic<bool>, kMaxPending> g_pending_used;

int ClaimSlot(const std::string& tmp) {
  if (tmp.size() >= kMaxPath) return -1;
  for (size_t i = 0; i < kMaxPending; ++i) {
    bool expected = false;
    if (g_pending_used[i].compare_exchange_strong(expected, true)) {
      std::memcpy(g_pending_paths[i].data(), tmp.c_str(), tmp.size() + 1);
      return static_cast<int>(i);
    }
  }
  return -1;
}

void ReleaseSlot(int slot) {
  if (slot >= 0) g_pending_used[static_cast<size_t>(slot)].store(false);
}

extern "C" void RemovePendingAndDie(int sig) {
  for (size_t i = 0; i < kMaxPending; ++i) {
    if (g_pending_used[i].load()) unlink(g_pending_paths[i].data());
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

[[noreturn]] void Fail(const std::string& path, const std::string& tmp, int slot, int err) {
  if (!tmp.empty()) unlink(tmp.c_str());
  ReleaseSlot(slot);
  throw UsageError("cannot write " + path + ": " + std::strerror(err));
}

bool WriteAll(int fd, const std::string& content) {
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    left -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

void InstallTempFileCleanup() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = RemovePendingAndDie;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// Devices and pipes (/dev/null, /dev/full, a FIFO) are written in place: renaming a temp file
// over them would replace the device node itself.
// /dev/stdout, /dev/fd/N, /proc/self/fd/N name one of our own descriptors: write through it, so
// its offset is shared with everything else written there (reopening would start at offset 0).
static int OwnDescriptor(const std::string& path) {
  if (path == "/dev/stdout") return STDOUT_FILENO;
  if (path == "/dev/stderr") return STDERR_FILENO;
  for (const char* prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    std::string p(prefix);
    if (path.rfind(p, 0) == 0 && path.size() > p.size() &&
        path.find_first_not_of("0123456789", p.size()) == std::string::npos) {
      return std::atoi(path.c_str() + p.size());
    }
  }
  return -1;
}

static void WriteToSpecialFile(const std::string& path, const std::string& content) {
  int own = OwnDescriptor(path);
  if (own >= 0) {
    if (!WriteAll(own, content) && errno != EPIPE) Fail(path, "", -1, errno);
    return;
  }
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) Fail(path, "", -1, errno);
  bool ok = WriteAll(fd, content);
  int err = errno;
  if (close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) Fail(path, "", -1, err);
}

void WriteFileAtomically(const std::string& path, const std::string& content) {
  if (path == "-") {
    if (!WriteAll(STDOUT_FILENO, content) && errno != EPIPE) Fail("<stdout>", "", -1, errno);
    return;
  }
  struct stat st;
  bool special_path = path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0;
  if (stat(path.c_str(), &st) == 0 &&
      (special_path || (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)))) {
    // /dev/stdout, /proc/self/fd/N: write to what they stand for, wherever it leads.
    WriteToSpecialFile(path, content);
    return;
  }
  // A symlink stays a symlink: the report replaces the file it points to.
  if (lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    char* target = realpath(path.c_str(), nullptr);
    if (target) {
      std::string resolved(target);
      free(target);
      if (resolved != path) return WriteFileAtomically(resolved, content);
    }
  }
  std::string tmp = path + ".tmp.XXXXXX";
  int slot = ClaimSlot(tmp);
  int fd = mkstemp(tmp.data());
  if (fd < 0) Fail(path, "", slot, errno);
  if (slot >= 0)
    std::memcpy(g_pending_paths[static_cast<size_t>(slot)].data(), tmp.c_str(), tmp.size() + 1);
  fchmod(fd, 0644);
  if (!WriteAll(fd, content) || fsync(fd) != 0) {
    int err = errno;
    close(fd);
    Fail(path, tmp, slot, err);
  }
  if (close(fd) != 0) Fail(path, tmp, slot, errno);
  if (rename(tmp.c_str(), path.c_str()) != 0) Fail(path, tmp, slot, errno);
  ReleaseSlot(slot);
}

}  // namespace de
