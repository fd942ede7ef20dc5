#include "diff_events/report/append_file.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "diff_events/input_error.h"

namespace de {

void AppendToFile(const std::string& path, const std::string& content) {
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw UsageError("cannot append to " + path + ": " + std::strerror(errno));
  ssize_t n;
  do {
    n = write(fd, content.data(), content.size());
  } while (n < 0 && errno == EINTR);
  int err = errno;
  bool ok = n == static_cast<ssize_t>(content.size());
  if (close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    throw UsageError("cannot append to " + path + ": " +
                     (n >= 0 ? std::string("short write") : std::strerror(err)));
  }
}

}  // namespace de
