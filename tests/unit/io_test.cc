// The io layer: line splitting (LineReader) and decompression (Decompressing), all in memory.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "diff_events/input_error.h"
#include "diff_events/io/byte_source.h"
#include "diff_events/io/input.h"
#include "diff_events/io/line_fetcher.h"
#include "diff_events/io/line_reader.h"

namespace {

std::vector<std::string> ReadLines(std::string bytes, size_t block_size = 4 << 20) {
  de::LineReader reader(de::MakeMemorySource(std::move(bytes), "mem.jsonl"), block_size);
  std::vector<std::string> lines;
  de::Line line;
  uint64_t expected_number = 0;
  while (reader.Next(line)) {
    CHECK(line.number == ++expected_number);
    CHECK(line.readable >= line.text.size() + de::kLinePadding);
    lines.emplace_back(line.text);
  }
  return lines;
}

std::string ReadAll(de::ByteSource& source, size_t chunk = 7) {
  std::string out;
  std::vector<char> buf(chunk);
  for (size_t n; (n = source.Read(buf.data(), buf.size())) > 0;) out.append(buf.data(), n);
  return out;
}

std::string Zstd(const std::string& plain) {
  std::string out(ZSTD_compressBound(plain.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), plain.data(), plain.size(), 3);
  REQUIRE(!ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::string Gzip(const std::string& plain) {
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&zs, static_cast<uLong>(plain.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  zs.avail_in = static_cast<uInt>(plain.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string Decompress(std::string compressed, size_t chunk = 7) {
  auto source = de::Decompressing(de::MakeMemorySource(std::move(compressed), "mem.zst"));
  return ReadAll(*source, chunk);
}

std::string ManyLines(int count) {
  std::string text;
  for (int i = 0; i < count; ++i)
    text += "{\"tid\":1,\"tid_event_idx\":" + std::to_string(i) + "}\n";
  return text;
}

}  // namespace

TEST_CASE("LineReader splits LF lines and numbers them from 1", "[io]") {
  CHECK(ReadLines("a\nbb\nccc\n") == std::vector<std::string>{"a", "bb", "ccc"});
  CHECK(ReadLines("").empty());
}

TEST_CASE("LineReader strips CR of CRLF endings", "[io]") {
  CHECK(ReadLines("a\r\nb\r\n") == std::vector<std::string>{"a", "b"});
  CHECK(ReadLines("a\r\nb\r", 4) == std::vector<std::string>{"a", "b"});
}

TEST_CASE("LineReader strips a UTF-8 BOM on the first line only", "[io]") {
  CHECK(ReadLines("\xEF\xBB\xBF{}\n\xEF\xBB\xBFx\n") ==
        std::vector<std::string>{"{}", "\xEF\xBB\xBFx"});
  CHECK(ReadLines("\xEF\xBB\xBF") == std::vector<std::string>{""});
}

TEST_CASE("LineReader keeps blank lines (the decoder skips them) and counts them", "[io]") {
  CHECK(ReadLines("a\n\n\nb\n") == std::vector<std::string>{"a", "", "", "b"});
}

TEST_CASE("LineReader returns a last line without a newline", "[io]") {
  CHECK(ReadLines("a\nlast") == std::vector<std::string>{"a", "last"});
  CHECK(ReadLines("only", 2) == std::vector<std::string>{"only"});
}

TEST_CASE("LineReader handles lines longer than its block", "[io]") {
  std::string long_line(1000, 'x');
  for (size_t block : {1, 3, 8, 64, 999, 1000, 1001}) {
    INFO("block size " << block);
    CHECK(ReadLines("ab\n" + long_line + "\ncd\n" + long_line, block) ==
          std::vector<std::string>{"ab", long_line, "cd", long_line});
  }
}

TEST_CASE("LineReader keeps the padding after a line readable and zeroed at the end", "[io]") {
  de::LineReader reader(de::MakeMemorySource("abc", "m"), 16);
  de::Line line;
  REQUIRE(reader.Next(line));
  CHECK(line.text == "abc");
  REQUIRE(line.readable >= 3 + de::kLinePadding);
  for (size_t i = 3; i < 3 + de::kLinePadding; ++i) CHECK(line.text.data()[i] == '\0');
  CHECK_FALSE(reader.Next(line));
  CHECK(reader.bytes_read() == 3);
}

TEST_CASE("Decompressing passes plain input through, including tiny inputs", "[io]") {
  CHECK(Decompress("") == "");
  CHECK(Decompress("x") == "x");
  CHECK(Decompress("\x1f") == "\x1f");
  CHECK(Decompress("plain text\n") == "plain text\n");
}

TEST_CASE("Decompressing decodes zstd and gzip", "[io]") {
  std::string text = ManyLines(200);
  CHECK(Decompress(Zstd(text)) == text);
  CHECK(Decompress(Gzip(text)) == text);
  CHECK(Decompress(Zstd(text), 1 << 16) == text);
  CHECK(Decompress(Gzip(text), 1 << 16) == text);
}

TEST_CASE("Decompressing decodes concatenated zstd frames and gzip members", "[io]") {
  CHECK(Decompress(Zstd("first\n") + Zstd("second\n") + Zstd("third\n")) ==
        "first\nsecond\nthird\n");
  CHECK(Decompress(Gzip("first\n") + Gzip("second\n") + Gzip("third\n")) ==
        "first\nsecond\nthird\n");
  CHECK(Decompress(Zstd("") + Zstd("after an empty frame\n")) == "after an empty frame\n");
}

TEST_CASE("Decompressing decodes a highly compressible stream read in small pieces", "[io]") {
  // Much more output than input: the decoder must flush what it buffered after the input ends.
  std::string text(3 << 20, 'a');
  text += "\n";
  for (size_t chunk : {size_t{1000}, size_t{4096}, size_t{1} << 20}) {
    INFO("read size " << chunk);
    CHECK(Decompress(Zstd(text), chunk) == text);
    CHECK(Decompress(Gzip(text), chunk) == text);
  }
}

TEST_CASE("LineReader over a compressed source sees the decompressed lines", "[io]") {
  std::string text = ManyLines(1000);
  for (const std::string& compressed : {Zstd(text), Gzip(text)}) {
    de::LineReader reader(de::Decompressing(de::MakeMemorySource(compressed, "m")), 100);
    de::Line line;
    uint64_t n = 0;
    while (reader.Next(line)) ++n;
    CHECK(n == 1000);
    CHECK(reader.bytes_read() == text.size());
  }
}

TEST_CASE("A truncated zstd or gzip stream is an InputError naming the file", "[io]") {
  std::string text = ManyLines(200);
  for (const std::string& whole : {Zstd(text), Gzip(text)}) {
    for (size_t keep : {size_t{4}, size_t{10}, whole.size() / 2, whole.size() - 1}) {
      INFO("kept " << keep << " of " << whole.size() << " bytes");
      auto source = de::Decompressing(de::MakeMemorySource(whole.substr(0, keep), "t.log"));
      try {
        ReadAll(*source);
        FAIL("no error");
      } catch (const de::InputError& e) {
        CHECK(e.file() == "t.log");
        CHECK(e.line() == 0);
        CHECK_THAT(e.what_only(), Catch::Contains("truncated"));
      }
    }
  }
}

TEST_CASE("A truncated second zstd frame or gzip member is an InputError", "[io]") {
  std::string z = Zstd("one\n") + Zstd(ManyLines(50));
  std::string g = Gzip("one\n") + Gzip(ManyLines(50));
  CHECK_THROWS_AS(Decompress(z.substr(0, z.size() - 3)), de::InputError);
  CHECK_THROWS_AS(Decompress(g.substr(0, g.size() - 3)), de::InputError);
}

TEST_CASE("Corrupt compressed data is an InputError", "[io]") {
  std::string text = ManyLines(200);
  std::string z = Zstd(text);
  std::string g = Gzip(text);
  z[z.size() / 2] = static_cast<char>(z[z.size() / 2] ^ 0x5a);
  z[z.size() / 2 + 1] = static_cast<char>(z[z.size() / 2 + 1] ^ 0xa5);
  g[g.size() - 6] = static_cast<char>(g[g.size() - 6] ^ 0xff);  // inside the CRC32 trailer
  CHECK_THROWS_AS(Decompress(z), de::InputError);
  CHECK_THROWS_AS(Decompress(g), de::InputError);
  CHECK_THROWS_AS(Decompress(Gzip("ok\n") + "trailing garbage"), de::InputError);
}

TEST_CASE("OpenInput rejects a missing file and a directory", "[io]") {
  CHECK_THROWS_AS(de::OpenInput("/nonexistent/dir/x.jsonl"), de::InputError);
  try {
    de::OpenInput("/");
    FAIL("no error");
  } catch (const de::InputError& e) {
    CHECK(e.file() == "/");
    CHECK_THAT(e.what(), Catch::Contains("directory"));
  }
}

// Regression: Refill() may grow (move) the buffer and then hit EOF; the last line must be read
// from the new buffer. Happens when an unterminated last line exactly fills the block.
TEST_CASE("An unterminated last line that exactly fills the block is read intact", "[io]") {
  for (size_t block : {size_t{3}, size_t{8}, size_t{64}}) {
    INFO("block size " << block);
    std::string last(block, 'z');
    de::LineReader reader(de::MakeMemorySource("a\n" + last, "m"), block);
    de::Line line;
    REQUIRE(reader.Next(line));
    CHECK(line.text == "a");
    REQUIRE(reader.Next(line));
    CHECK(line.text == last);
    // The reader zeroes the padding of the last line in its live buffer; a stale view shows
    // whatever the freed buffer holds.
    bool padding_zeroed = true;
    for (size_t i = 0; i < de::kLinePadding; ++i)
      padding_zeroed &= line.text.data()[block + i] == 0;
    CHECK(padding_zeroed);
  }
}

TEST_CASE("A zstd stream may begin with a skippable frame", "[io]") {
  std::string skippable("\x50\x2A\x4D\x18\x03\x00\x00\x00xyz", 11);
  CHECK(Decompress(skippable + Zstd("a\nb\n")) == "a\nb\n");
  CHECK(Decompress(Zstd("a\n") + skippable + Zstd("b\n")) == "a\nb\n");
  std::string other("\x5F\x2A\x4D\x18\x00\x00\x00\x00", 8);
  CHECK(Decompress(other + Zstd("c\n")) == "c\n");
}

TEST_CASE("Trailing zero padding after the last gzip member is accepted", "[io]") {
  CHECK(Decompress(Gzip("a\n") + std::string(1000, '\0')) == "a\n");
  CHECK(Decompress(Gzip("a\n") + Gzip("b\n") + std::string(3, '\0'), 1) == "a\nb\n");
  CHECK_THROWS_AS(Decompress(Gzip("a\n") + std::string(10, '\0') + "x"), de::InputError);
}

namespace {
struct TempFile {
  explicit TempFile(const std::string& text) {
    char name[] = "/tmp/de_io_test_XXXXXX";
    int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    REQUIRE(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    close(fd);
    path = name;
  }
  ~TempFile() { unlink(path.c_str()); }
  std::string path;
};
}  // namespace

TEST_CASE("A line fetcher refuses an input rewritten since it was read", "[io]") {
  TempFile file("a\nb\n");
  { auto source = de::OpenInput(file.path); }  // records what was read
  {
    de::LineFetcher fetcher(file.path);
    CHECK(fetcher.Fetch(2, 1) == "b");
  }
  struct timespec times[2] = {{0, UTIME_OMIT}, {12345, 0}};
  REQUIRE(utimensat(AT_FDCWD, file.path.c_str(), times, 0) == 0);
  try {
    de::LineFetcher fetcher(file.path);
    FAIL("no error");
  } catch (const de::InputError& e) {
    CHECK_THAT(e.what_only(), Catch::StartsWith("changed while being read"));
  }
}

// A compressed input's lines are read back by decompressing it again: FetchAll makes one pass
// for requests in any order, overlapping, and spanning the rereader's 1 MB reads.
TEST_CASE("A stream rereader reads back byte ranges of the decompressed input", "[io]") {
  std::string plain;
  for (int i = 0; plain.size() < 3'000'000; ++i) plain += "{\"line\":" + std::to_string(i) + "}\n";
  std::string packed = Zstd(plain);
  int opened = 0;
  auto rereader = de::MakeStreamRereader(
      [&] {
        ++opened;
        return de::MakeMemorySource(packed, "t.zst");
      },
      "t.zst");
  const std::vector<std::pair<uint64_t, uint32_t>> ranges = {
      {2'500'000, 40}, {10, 5}, {(1 << 20) - 3, 9}, {10, 20}, {0, 1}, {plain.size() - 7, 7}};
  std::vector<std::string> texts(ranges.size());
  std::vector<de::LineRereader::Request> requests;
  for (size_t i = 0; i < ranges.size(); ++i)
    requests.push_back({ranges[i].first, ranges[i].second, &texts[i]});
  rereader->FetchAll(requests);
  CHECK(opened == 1);
  for (size_t i = 0; i < ranges.size(); ++i) {
    INFO(i);
    CHECK(texts[i] == plain.substr(ranges[i].first, ranges[i].second));
  }
  CHECK(rereader->Fetch(20, 8) == plain.substr(20, 8));
  CHECK_THROWS_AS(rereader->Fetch(plain.size() - 2, 8), de::InputError);
}

// A source that yields its bytes in pieces and then fails, as a corrupt stream does.
class FailingAfter : public de::ByteSource {
 public:
  explicit FailingAfter(std::string bytes) : bytes_(std::move(bytes)) {}
  size_t Read(char* dst, size_t capacity) override {
    if (pos_ == bytes_.size()) throw de::InputError(name_, 0, "corrupt after the data");
    size_t n = std::min<size_t>({capacity, bytes_.size() - pos_, 7777});
    std::memcpy(dst, bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  std::string bytes_;
  std::string name_ = "f.zst";
  size_t pos_ = 0;
};

TEST_CASE("ReadingAhead hands out every byte in order, then the source's error", "[io]") {
  std::string bytes;
  for (uint64_t i = 0; bytes.size() < 5'000'000; ++i) bytes += std::to_string(i * 7919) + ",";
  auto ahead = de::ReadingAhead(std::make_unique<FailingAfter>(bytes));
  std::string got;
  char buf[4099];
  bool failed = false;
  try {
    for (;;) {
      size_t n = ahead->Read(buf, sizeof buf);
      REQUIRE(n > 0);  // the source never ends: it fails
      got.append(buf, n);
    }
  } catch (const de::InputError& e) {
    failed = true;
    CHECK(e.file() == "f.zst");
  }
  CHECK(failed);
  CHECK(got == bytes);
  CHECK(ahead->name() == "f.zst");
}

TEST_CASE("DecompressingAhead reads compressed and plain input alike", "[io]") {
  std::string text;
  for (int i = 0; text.size() < 3'000'000; ++i) text += "{\"i\":" + std::to_string(i) + "}\n";
  for (const std::string& bytes : {Zstd(text), text}) {
    auto source = de::DecompressingAhead(de::MakeMemorySource(bytes, "x"));
    std::string got;
    char buf[65536];
    while (size_t n = source->Read(buf, sizeof buf)) got.append(buf, n);
    CHECK(got == text);
  }
  // Dropped before the end: the destructor stops the reading thread.
  auto early = de::DecompressingAhead(de::MakeMemorySource(Zstd(text), "x"));
  char one[16];
  CHECK(early->Read(one, sizeof one) > 0);
}
