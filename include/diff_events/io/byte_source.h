// Byte sources: where input bytes come from (a file, stdin, memory), and the decompressors that
// wrap them. OpenInput() sniffs magic bytes (zstd 28 B5 2F FD, gzip 1F 8B) — never the extension.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace de {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `capacity` bytes into `dst`; returns 0 only at the end of the stream.
  // Throws InputError (line 0) on a read error or a corrupt/truncated compressed stream.
  virtual size_t Read(char* dst, size_t capacity) = 0;
  // The name used in error messages: the path, or "<stdin>".
  virtual const std::string& name() const = 0;
};

// A plain file, or standard input for "-". Throws InputError if it can't be opened or is a
// directory.
std::unique_ptr<ByteSource> OpenRawSource(const std::string& path);

// The regular file `path` once more, checked to be the one OpenRawSource read (device, inode,
// size, modification time); throws InputError when it changed or cannot be opened.
std::unique_ptr<ByteSource> ReopenRawSource(const std::string& path);

// An in-memory source (tests and fuzzers).
std::unique_ptr<ByteSource> MakeMemorySource(std::string bytes, std::string name);

// Wraps `raw` in a zstd or gzip decoder when its first bytes say so; plain otherwise.
std::unique_ptr<ByteSource> Decompressing(std::unique_ptr<ByteSource> raw);
// The same, with a compressed stream decompressed on a thread of its own, a few blocks ahead of
// the reader (ReadingAhead); a plain one is returned as Decompressing returns it.
std::unique_ptr<ByteSource> DecompressingAhead(std::unique_ptr<ByteSource> raw);
// `inner` read on its own thread, up to three 1 MB blocks ahead of the caller; its errors reach
// the caller's Read after the bytes read before them. The destructor joins that thread.
std::unique_ptr<ByteSource> ReadingAhead(std::unique_ptr<ByteSource> inner);

// The compression a stream's first bytes announce: zstd (a frame, 28 B5 2F FD, or a skippable
// frame, 5? 2A 4D 18, which `zstd -t` accepts first), gzip (1F 8B), or none.
enum class Compression { kNone, kZstd, kGzip };
Compression SniffCompression(const unsigned char* prefix, size_t size);

// OpenRawSource + Decompressing: what every input path goes through.
std::unique_ptr<ByteSource> OpenInput(const std::string& path);

}  // namespace de
