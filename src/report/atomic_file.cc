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
#include <functional>
#include <random>
#include <string_view>

#include "diff_events/input_error.h"

namespace de {
namespace {

// Paths of named temp files, readable from a signal handler (fixed storage, no locks). A slot is
// filled while the terminating signals are blocked, so no temp file exists unrecorded.
constexpr size_t kMaxPending = 32;
constexpr size_t kMaxPath = 4096;
std::array<std::array<char, kMaxPath>, kMaxPending> g_pending_paths;
std::array<std::atomic<bool>, kMaxPending> g_pending_used;

constexpr int kTerminatingSignals[] = {SIGINT,  SIGTERM,   SIGHUP,  SIGQUIT, SIGUSR1, SIGUSR2,
                                       SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ};

extern "C" void RemovePendingAndDie(int sig) {
  for (size_t i = 0; i < kMaxPending; ++i) {
    if (g_pending_used[i].load()) unlink(g_pending_paths[i].data());
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

// Blocks the terminating signals for its lifetime: what happens inside completes first.
class SignalsBlocked {
 public:
  SignalsBlocked() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : kTerminatingSignals) sigaddset(&set, sig);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~SignalsBlocked() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  SignalsBlocked(const SignalsBlocked&) = delete;
  SignalsBlocked& operator=(const SignalsBlocked&) = delete;

 private:
  sigset_t old_;
};

int ClaimSlot(const std::string& path) {
  if (path.size() >= kMaxPath) return -1;
  for (size_t i = 0; i < kMaxPending; ++i) {
    bool expected = false;
    if (g_pending_used[i].compare_exchange_strong(expected, true)) {
      std::memcpy(g_pending_paths[i].data(), path.c_str(), path.size() + 1);
      return static_cast<int>(i);
    }
  }
  return -1;
}

void ReleaseSlot(int slot) {
  if (slot >= 0) g_pending_used[static_cast<size_t>(slot)].store(false);
}

bool WriteAll(int fd, std::string_view content) {
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = ENOSPC;
      return false;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return true;
}

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// /dev/stdout, /dev/fd/N, /proc/self/fd/N name one of our own descriptors: write through it, so
// its offset is shared with everything else written there (reopening would start at offset 0).
int OwnDescriptor(const std::string& path) {
  if (path == "-" || path == "/dev/stdout") return STDOUT_FILENO;
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

// Devices and pipes (/dev/null, /dev/full, a FIFO) are written in place: renaming a temp file
// over them would replace the device node itself.
bool IsSpecial(const std::string& path) {
  if (OwnDescriptor(path) >= 0) return true;
  struct stat st;
  bool special_path = path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0;
  return stat(path.c_str(), &st) == 0 &&
         (special_path || (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)));
}

// A symlink stays a symlink: the report replaces the file it points to.
std::string ResolveLink(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
  char* target = realpath(path.c_str(), nullptr);
  if (!target) return path;
  std::string resolved(target);
  free(target);
  return resolved;
}

[[noreturn]] void Fail(const std::string& path, int err) {
  throw UsageError("cannot write " + path + ": " + std::strerror(err));
}

using Render = std::function<void(TextSink&)>;

// A descriptor written through the sink's buffer; the first failed write throws. Our own stdout
// read by a pipe that closed takes the rest quietly (the run exits as on a broken pipe).
class FdSink final : public TextSink {
 public:
  FdSink(int fd, std::string name, bool quiet_on_epipe = false)
      : fd_(fd), name_(std::move(name)), quiet_on_epipe_(quiet_on_epipe) {}

 private:
  void Emit(std::string_view text) override {
    if (broken_pipe_ || WriteAll(fd_, text)) return;
    if (quiet_on_epipe_ && errno == EPIPE) {
      broken_pipe_ = true;
      return;
    }
    Fail(name_, errno);
  }

  int fd_;
  std::string name_;
  bool quiet_on_epipe_;
  bool broken_pipe_ = false;
};

// One file of the set on its way to its target.
struct Staged {
  std::string target;
  const Render* render = nullptr;
  enum class Mode { kAnonymous, kNamed, kInPlace } mode = Mode::kAnonymous;
  int fd = -1;       // kAnonymous: the O_TMPFILE descriptor
  std::string temp;  // kNamed: the visible temp file
  int slot = -1;

  void Discard() {
    if (fd >= 0) close(fd);
    fd = -1;
    if (!temp.empty()) unlink(temp.c_str());
    temp.clear();
    ReleaseSlot(slot);
    slot = -1;
  }
};

std::string RandomName(const std::string& dir) {
  static const char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  static std::mt19937_64 rng(std::random_device{}() ^ static_cast<uint64_t>(getpid()));
  std::string name = dir + "/.de";
  for (int i = 0; i < 6; ++i) name += kChars[rng() % (sizeof kChars - 1)];
  return name;
}

// A short named temp file in `dir` (the target's name may already be near NAME_MAX), recorded
// for the signal handler before any signal can see it exist.
int CreateNamedTemp(const std::string& dir, Staged& s) {
  SignalsBlocked blocked;
  std::string tmpl = dir + "/.deXXXXXX";
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return -1;
  s.temp = tmpl;
  s.slot = ClaimSlot(tmpl);
  fchmod(fd, 0644);
  return fd;
}

// Renders into `fd` and makes it durable; throws naming `name` on the first failed write.
void RenderInto(int fd, const std::string& name, const Render& render) {
  FdSink sink(fd, name);
  render(sink);
  sink.Flush();
  if (fsync(fd) != 0) Fail(name, errno);
}

void CloseChecked(int fd, const std::string& name) {
  if (close(fd) != 0) Fail(name, errno);
}

// Renders the file into a temp file of the target's directory (nothing is put in place yet).
void Stage(Staged& s) {
  std::string dir = DirectoryOf(s.target);
  // Read-write: should naming it fail later, its bytes are copied to a named temp file.
  int fd = open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
  if (fd >= 0) {
    s.fd = fd;
    s.mode = Staged::Mode::kAnonymous;
    RenderInto(fd, s.target, *s.render);
    return;
  }
  fd = CreateNamedTemp(dir, s);
  if (fd < 0) {
    int err = errno;
    // Our directory is closed to us but the file itself is open: rewrite it in place.
    if ((err == EACCES || err == EPERM || err == EROFS) && access(s.target.c_str(), W_OK) == 0) {
      s.mode = Staged::Mode::kInPlace;
      return;
    }
    Fail(s.target, err);
  }
  s.mode = Staged::Mode::kNamed;
  s.fd = fd;  // closed by Discard should the render fail
  RenderInto(fd, s.target, *s.render);
  s.fd = -1;
  CloseChecked(fd, s.target);
}

void WriteInPlace(const std::string& path, const Render& render) {
  int own = OwnDescriptor(path);
  if (own >= 0) {
    FdSink sink(own, path == "-" ? "<stdout>" : path, /*quiet_on_epipe=*/true);
    render(sink);
    sink.Flush();
    return;
  }
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC | (IsSpecial(path) ? 0 : O_TRUNC));
  if (fd < 0) Fail(path, errno);
  try {
    FdSink sink(fd, path);
    render(sink);
    sink.Flush();
  } catch (...) {
    close(fd);
    throw;
  }
  CloseChecked(fd, path);
}

// Copies every byte of `from` (from its start) to `to`, then makes `to` durable.
bool CopyContent(int from, int to) {
  std::string buffer(size_t{1} << 16, '\0');
  for (off_t offset = 0;;) {
    ssize_t n = pread(from, buffer.data(), buffer.size(), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) return fsync(to) == 0;
    if (!WriteAll(to, std::string_view(buffer.data(), static_cast<size_t>(n)))) return false;
    offset += n;
  }
}

// Gives an anonymous temp file a short name beside its target (signals blocked by the caller).
void Name(Staged& s) {
  std::string proc = "/proc/self/fd/" + std::to_string(s.fd);
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string name = RandomName(DirectoryOf(s.target));
    if (linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0) {
      s.temp = name;
      s.slot = ClaimSlot(name);
      close(s.fd);
      s.fd = -1;
      return;
    }
    if (errno != EEXIST) break;
  }
  // No /proc, or linkat refused: a named temp file with the same bytes.
  int anonymous = s.fd;
  s.fd = -1;
  int fd = CreateNamedTemp(DirectoryOf(s.target), s);
  if (fd < 0) {
    int err = errno;
    close(anonymous);
    Fail(s.target, err);
  }
  bool ok = CopyContent(anonymous, fd);
  int err = errno;
  close(anonymous);
  if (close(fd) != 0 && ok) ok = false, err = errno;
  if (!ok) Fail(s.target, err);
}

}  // namespace

void InstallTempFileCleanup() {
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = RemovePendingAndDie;
  for (int sig : kTerminatingSignals) {
    struct sigaction old;
    // An ignored SIGHUP (nohup) and the like stay ignored. SIGINT and SIGTERM are always
    // handled: a shell ignores SIGINT in its background jobs, and they must clean up too.
    bool always = sig == SIGINT || sig == SIGTERM;
    if (!always && sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    sigaction(sig, &sa, nullptr);
  }
}

void WriteStreamedFilesAtomically(const std::vector<StreamedOutput>& files) {
  std::vector<Staged> regular;
  std::vector<const StreamedOutput*> special;
  for (const StreamedOutput& file : files) {
    if (IsSpecial(file.path)) {
      special.push_back(&file);
    } else {
      Staged s;
      s.target = ResolveLink(file.path);
      s.render = &file.render;
      regular.push_back(std::move(s));
    }
  }
  try {
    for (Staged& s : regular) Stage(s);
    for (const StreamedOutput* file : special) WriteInPlace(file->path, file->render);
    for (Staged& s : regular) {
      if (s.mode == Staged::Mode::kInPlace) WriteInPlace(s.target, *s.render);
    }
    // Every file is complete: put them all in place, without a signal in between.
    SignalsBlocked blocked;
    for (Staged& s : regular) {
      if (s.mode == Staged::Mode::kAnonymous) Name(s);
    }
    for (Staged& s : regular) {
      if (s.mode == Staged::Mode::kInPlace) continue;
      if (rename(s.temp.c_str(), s.target.c_str()) != 0) Fail(s.target, errno);
      s.temp.clear();
      s.Discard();
    }
  } catch (...) {
    for (Staged& s : regular) s.Discard();
    throw;
  }
}

void WriteFilesAtomically(const std::vector<OutputFile>& files) {
  std::vector<StreamedOutput> streamed;
  streamed.reserve(files.size());
  for (const OutputFile& file : files) {
    const std::string* content = &file.content;
    streamed.push_back({file.path, [content](TextSink& sink) { sink.Write(*content); }});
  }
  WriteStreamedFilesAtomically(streamed);
}

void WriteFileAtomically(const std::string& path, const std::string& content) {
  WriteFilesAtomically({{path, content}});
}

}  // namespace de
