// One input of a diff, opened once by the command: its name for messages, its raw bytes
// (sniffed and decompressed later, on the decoder's thread: sniffing reads, and a silent pipe
// must not block the caller), and — when it can be read again — random access to its lines, so
// the aligner keeps offsets instead of text. The library never reopens an input by path, and
// tests run whole diffs on in-memory inputs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "diff_events/io/byte_source.h"
#include "diff_events/io/read_progress.h"

namespace de {

// The same raw bytes from the start again, for a second pass over the input (the trace export).
// Throws InputError when the file is no longer the one that was read.
using ByteSourceOpener = std::function<std::unique_ptr<ByteSource>()>;

// Reads a line back by the (offset, size) the line reader reported for it.
class LineRereader {
 public:
  virtual ~LineRereader() = default;
  virtual std::string Fetch(uint64_t offset, uint32_t size) const = 0;  // throws InputError

  // Many lines at once, in any order: each request's line is appended to its `into` (empty
  // before). The default fetches them one by one; a compressed input's rereader decompresses its
  // stream once, up to the last line asked for, so callers with more than one line use this.
  struct Request {
    uint64_t offset = 0;
    uint32_t size = 0;
    std::string* into = nullptr;
  };
  virtual void FetchAll(std::vector<Request>& requests) const;
};

// A rereader that reads `reopen`'s bytes again from the start, decompressed (a .zst or .gz
// file, which cannot seek): Fetch costs a pass up to its line, FetchAll one pass for all.
std::shared_ptr<const LineRereader> MakeStreamRereader(ByteSourceOpener reopen, std::string name);

struct Input {
  std::string path;                   // as given ("-" for stdin): reports show it
  std::unique_ptr<ByteSource> bytes;  // raw: wrap in Decompressing() before reading lines
  std::shared_ptr<const LineRereader> rereader;  // null: lines must be kept as text
  std::shared_ptr<ReadProgress> progress;        // raw bytes read so far, for a display
  ByteSourceOpener reopen;                       // null: read once only (stdin, a pipe, a device)
};

// A file or "-" for stdin; a seekable plain file also gets a rereader by offset, a compressed
// regular file one that decompresses it again (MakeStreamRereader), and every regular file a
// way to be read again. Throws InputError when it
// cannot be opened.
Input OpenDiffInput(const std::string& path);

// An in-memory input (tests); `rereadable` gives it a rereader over the same bytes.
Input MemoryInput(std::string text, std::string name, bool rereadable);

}  // namespace de
