// Random access to lines of a plain, seekable input. The aligner keeps only (offset, size) of
// the events it may report from such inputs, and the few it does report are read back at the
// end: memory then holds fingerprints, not raw text, however far the two inputs drift apart.
#pragma once

#include <cstdint>
#include <string>

namespace de {

// True for a regular file that is not zstd or gzip: its line offsets are file offsets.
bool IsSeekablePlainFile(const std::string& path);

class LineFetcher {
 public:
  explicit LineFetcher(const std::string& path);  // throws InputError if it can't be opened
  ~LineFetcher();
  LineFetcher(const LineFetcher&) = delete;
  LineFetcher& operator=(const LineFetcher&) = delete;

  std::string Fetch(uint64_t offset, uint32_t size) const;  // throws InputError on a short read

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace de
