// Random access to lines of a plain, seekable input. The aligner keeps only (offset, size) of
// the events it may report from such inputs, and the few it does report are read back at the
// end: memory then holds fingerprints, not raw text, however far the two inputs drift apart.
#pragma once

#include <cstdint>
#include <string>

namespace de {

// True for a regular file that is not zstd or gzip: its line offsets are file offsets.
bool IsSeekablePlainFile(const std::string& path);

// Remembers what the input at `path` was when it was opened for reading (device, inode, size,
// modification time), so a LineFetcher can tell it was rewritten since.
void RecordInputIdentity(const std::string& path, int fd);

// Throws InputError when the file open on `fd` is not the one recorded for `path` when it was
// first read; does nothing when none was recorded.
void CheckInputIdentity(const std::string& path, int fd);

class LineFetcher {
 public:
  explicit LineFetcher(const std::string& path);  // throws InputError if it can't be opened
  ~LineFetcher();
  LineFetcher(const LineFetcher&) = delete;
  LineFetcher& operator=(const LineFetcher&) = delete;

  // Throws InputError on a short read, or when the file is no longer the one that was read.
  std::string Fetch(uint64_t offset, uint32_t size) const;

 private:
  void CheckUnchanged() const;

  std::string path_;
  int fd_ = -1;
};

}  // namespace de
