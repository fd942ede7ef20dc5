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
};

struct Input {
  std::string path;                   // as given ("-" for stdin): reports show it
  std::unique_ptr<ByteSource> bytes;  // raw: wrap in Decompressing() before reading lines
  std::shared_ptr<const LineRereader> rereader;  // null: lines must be kept as text
  std::shared_ptr<ReadProgress> progress;        // raw bytes read so far, for a display
  ByteSourceOpener reopen;                       // null: read once only (stdin, a pipe, a device)
};

// A file or "-" for stdin; a seekable plain file also gets a rereader, and every regular file
// (compressed too) a way to be read again. Throws InputError when it
// cannot be opened.
Input OpenDiffInput(const std::string& path);

// An in-memory input (tests); `rereadable` gives it a rereader over the same bytes.
Input MemoryInput(std::string text, std::string name, bool rereadable);

}  // namespace de
