// How far an input has been read, for a progress display: raw bytes (for a compressed input, the
// compressed bytes) against the file's size when it has one. The reading thread adds, a display
// thread polls; nothing else depends on it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "diff_events/io/byte_source.h"

namespace de {

struct ReadProgress {
  explicit ReadProgress(std::string input_path);  // stats the path for `total`

  std::string path;
  uint64_t total = 0;  // size of a regular file (stdin redirected from one too); 0 when unknown
  std::atomic<uint64_t> bytes{0};
};

// Counts what `raw` delivers into `progress` (kept alive by the source: a decoder thread may
// outlive its caller).
std::unique_ptr<ByteSource> CountingRawSource(std::unique_ptr<ByteSource> raw,
                                              std::shared_ptr<ReadProgress> progress);

// OpenInput that counts the raw bytes it reads into `progress` (which must outlive the source).
std::unique_ptr<ByteSource> OpenCountedInput(const std::string& path, ReadProgress* progress);

}  // namespace de
