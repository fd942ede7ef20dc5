// Report sets rendered straight into their temp files: the bytes are exactly what was rendered,
// and a render or write that fails midway leaves the previous set and no temp file.
#include "diff_events/report/atomic_file.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "diff_events/input_error.h"

namespace fs = std::filesystem;

namespace {

// A fresh directory under the system temp dir, removed at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "atomic_file_test.XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string operator/(const char* name) const { return (path_ / name).string(); }
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(path_))
      names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  fs::path path_;
};

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void Put(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Many small pieces and one larger than the sink's buffer: what a report renderer writes.
std::string Pieces(de::TextSink& out) {
  std::string expected;
  for (int i = 0; i < 50000; ++i) {
    std::string piece = std::to_string(i) + (i % 7 ? "," : "\n");
    out.Write(piece);
    expected += piece;
  }
  std::string big(300000, 'x');
  out.Write(big);
  out.Write('\n');
  return expected + big + "\n";
}

}  // namespace

TEST_CASE("a streamed report holds exactly the bytes rendered", "[atomic_file]") {
  ScratchDir dir;
  std::string expected;
  de::WriteStreamedFilesAtomically(
      {{dir / "r.json", [&](de::TextSink& out) { expected = Pieces(out); }}});
  CHECK(Read(dir / "r.json") == expected);
  CHECK(dir.Names() == std::vector<std::string>{"r.json"});
}

TEST_CASE("a string sink collects what is written", "[atomic_file]") {
  de::StringSink sink;
  std::string expected = Pieces(sink);
  CHECK(sink.Take() == expected);
}

TEST_CASE("a render failing midway leaves the previous set and no temp file", "[atomic_file]") {
  ScratchDir dir;
  Put(dir / "r.md", "old md\n");
  Put(dir / "r.json", "old json\n");
  auto complete = [](de::TextSink& out) { Pieces(out); };
  // The second file fails after more than a buffer's worth of it reached its temp file.
  auto failing = [](de::TextSink& out) {
    Pieces(out);
    throw std::runtime_error("render failed");
  };
  CHECK_THROWS_WITH(
      de::WriteStreamedFilesAtomically({{dir / "r.md", complete}, {dir / "r.json", failing}}),
      "render failed");
  CHECK(Read(dir / "r.md") == "old md\n");
  CHECK(Read(dir / "r.json") == "old json\n");
  CHECK(dir.Names() == std::vector<std::string>{"r.json", "r.md"});
}

TEST_CASE("a device that refuses a write midway leaves the regular files as they were",
          "[atomic_file]") {
  if (!fs::exists("/dev/full")) return;
  ScratchDir dir;
  Put(dir / "r.csv", "old csv\n");
  auto complete = [](de::TextSink& out) { Pieces(out); };
  CHECK_THROWS_AS(
      de::WriteStreamedFilesAtomically({{dir / "r.csv", complete}, {"/dev/full", complete}}),
      de::UsageError);
  CHECK(Read(dir / "r.csv") == "old csv\n");
  CHECK(dir.Names() == std::vector<std::string>{"r.csv"});
}

TEST_CASE("the in-memory interface still writes whole files", "[atomic_file]") {
  ScratchDir dir;
  Put(dir / "a.txt", "old\n");
  de::WriteFilesAtomically({{dir / "a.txt", "new a\n"}, {dir / "b.txt", "new b\n"}});
  CHECK(Read(dir / "a.txt") == "new a\n");
  CHECK(Read(dir / "b.txt") == "new b\n");
  CHECK(dir.Names() == std::vector<std::string>{"a.txt", "b.txt"});
}
