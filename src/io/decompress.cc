// Streaming decompression (zstd, gzip) chosen by magic bytes, as zstd's programs/fileio.c does.
// Concatenated zstd frames and gzip members are decoded one after another; a stream that ends
// inside a frame/member is a named error, never a silently short input.
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <vector>

#include "diff_events/input_error.h"
#include "diff_events/io/byte_source.h"

namespace de {
namespace {

constexpr size_t kCompressedChunk = 1 << 20;

// Replays the sniffed prefix before handing reads to the underlying source.
class PrefixedSource : public ByteSource {
 public:
  PrefixedSource(std::string prefix, std::unique_ptr<ByteSource> inner)
      : prefix_(std::move(prefix)), inner_(std::move(inner)) {}
  size_t Read(char* dst, size_t capacity) override {
    if (pos_ < prefix_.size()) {
      size_t n = std::min(capacity, prefix_.size() - pos_);
      std::memcpy(dst, prefix_.data() + pos_, n);
      pos_ += n;
      return n;
    }
    return inner_->Read(dst, capacity);
  }
  const std::string& name() const override { return inner_->name(); }

 private:
  std::string prefix_;
  size_t pos_ = 0;
  std::unique_ptr<ByteSource> inner_;
};

// Holds the compressed input window shared by both decoders.
class CompressedInput {
 public:
  explicit CompressedInput(std::unique_ptr<ByteSource> inner)
      : inner_(std::move(inner)), buf_(kCompressedChunk) {}
  // Refills when empty; returns false at end of the compressed stream.
  bool Fill() {
    if (pos_ < size_) return true;
    size_ = inner_->Read(buf_.data(), buf_.size());
    pos_ = 0;
    return size_ > 0;
  }
  const std::string& name() const { return inner_->name(); }

  std::unique_ptr<ByteSource> inner_;
  std::vector<char> buf_;
  size_t pos_ = 0;
  size_t size_ = 0;
};

class ZstdSource : public ByteSource {
 public:
  explicit ZstdSource(std::unique_ptr<ByteSource> inner)
      : in_(std::move(inner)), dctx_(ZSTD_createDStream()) {
    ZSTD_initDStream(dctx_);
  }
  ~ZstdSource() override { ZSTD_freeDStream(dctx_); }

  size_t Read(char* dst, size_t capacity) override {
    ZSTD_outBuffer out{dst, capacity, 0};
    while (out.pos == 0) {
      if (!in_.Fill()) {
        if (frame_open_) throw InputError(name(), 0, "truncated zstd stream (ends inside a frame)");
        return 0;
      }
      ZSTD_inBuffer in{in_.buf_.data(), in_.size_, in_.pos_};
      size_t ret = ZSTD_decompressStream(dctx_, &out, &in);
      in_.pos_ = in.pos;
      if (ZSTD_isError(ret)) {
        throw InputError(name(), 0, std::string("corrupt zstd stream: ") + ZSTD_getErrorName(ret));
      }
      frame_open_ = ret != 0;
    }
    return out.pos;
  }
  const std::string& name() const override { return in_.name(); }

 private:
  CompressedInput in_;
  ZSTD_DStream* dctx_;
  bool frame_open_ = false;
};

class GzipSource : public ByteSource {
 public:
  explicit GzipSource(std::unique_ptr<ByteSource> inner) : in_(std::move(inner)) {
    std::memset(&zs_, 0, sizeof zs_);
    inflateInit2(&zs_, 15 + 16);  // gzip wrapper only
  }
  ~GzipSource() override { inflateEnd(&zs_); }

  size_t Read(char* dst, size_t capacity) override {
    zs_.next_out = reinterpret_cast<Bytef*>(dst);
    zs_.avail_out = static_cast<uInt>(std::min<size_t>(capacity, 1u << 30));
    while (zs_.next_out == reinterpret_cast<Bytef*>(dst)) {
      if (!in_.Fill()) {
        if (member_open_)
          throw InputError(name(), 0, "truncated gzip stream (ends inside a member)");
        return 0;
      }
      if (!member_open_ && (padding_ || in_.buf_[in_.pos_] == '\0')) {
        SkipZeroPadding();  // after the last member, as gzip -t and zcat accept
        continue;
      }
      if (!member_open_) {
        inflateReset(&zs_);  // next concatenated member
        member_open_ = true;
      }
      zs_.next_in = reinterpret_cast<Bytef*>(in_.buf_.data() + in_.pos_);
      zs_.avail_in = static_cast<uInt>(in_.size_ - in_.pos_);
      int ret = inflate(&zs_, Z_NO_FLUSH);
      in_.pos_ = in_.size_ - zs_.avail_in;
      if (ret == Z_STREAM_END) {
        member_open_ = false;
      } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
        throw InputError(
            name(), 0,
            std::string("corrupt gzip stream: ") + (zs_.msg ? zs_.msg : "inflate failed"));
      }
    }
    return static_cast<size_t>(reinterpret_cast<char*>(zs_.next_out) - dst);
  }
  const std::string& name() const override { return in_.name(); }

 private:
  void SkipZeroPadding() {
    padding_ = true;
    for (; in_.pos_ < in_.size_; ++in_.pos_) {
      if (in_.buf_[in_.pos_] != '\0')
        throw InputError(name(), 0, "corrupt gzip stream: data after the trailing zero padding");
    }
  }

  CompressedInput in_;
  z_stream zs_;
  bool member_open_ = false;
  bool padding_ = false;
};

}  // namespace

namespace {

std::unique_ptr<ByteSource> Sniffed(std::unique_ptr<ByteSource> raw, bool ahead) {
  std::string prefix(4, '\0');
  size_t have = 0;
  while (have < prefix.size()) {
    size_t n = raw->Read(prefix.data() + have, prefix.size() - have);
    if (n == 0) break;
    have += n;
  }
  prefix.resize(have);
  auto replay = std::make_unique<PrefixedSource>(prefix, std::move(raw));
  switch (SniffCompression(reinterpret_cast<const unsigned char*>(prefix.data()), have)) {
    case Compression::kZstd: {
      auto zstd = std::make_unique<ZstdSource>(std::move(replay));
      return ahead ? ReadingAhead(std::move(zstd)) : std::move(zstd);
    }
    case Compression::kGzip: {
      auto gzip = std::make_unique<GzipSource>(std::move(replay));
      return ahead ? ReadingAhead(std::move(gzip)) : std::move(gzip);
    }
    case Compression::kNone:
      break;
  }
  return replay;
}

}  // namespace

std::unique_ptr<ByteSource> Decompressing(std::unique_ptr<ByteSource> raw) {
  return Sniffed(std::move(raw), false);
}

std::unique_ptr<ByteSource> DecompressingAhead(std::unique_ptr<ByteSource> raw) {
  return Sniffed(std::move(raw), true);
}

Compression SniffCompression(const unsigned char* p, size_t size) {
  if (size >= 4 && p[0] == 0x28 && p[1] == 0xB5 && p[2] == 0x2F && p[3] == 0xFD)
    return Compression::kZstd;
  if (size >= 4 && (p[0] & 0xF0) == 0x50 && p[1] == 0x2A && p[2] == 0x4D && p[3] == 0x18)
    return Compression::kZstd;  // skippable frame (ZSTD_MAGIC_SKIPPABLE_START, little-endian)
  if (size >= 2 && p[0] == 0x1F && p[1] == 0x8B) return Compression::kGzip;
  return Compression::kNone;
}

}  // namespace de
