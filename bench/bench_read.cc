// bench_read: the project's reader (OpenInput + LineReader) over files, one after the other:
// the cost of getting the bytes and splitting lines, with no JSON work at all.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>

#include "diff_events/input_error.h"
#include "diff_events/io/line_reader.h"

namespace {

struct Totals {
  uint64_t bytes = 0;
  uint64_t lines = 0;
  uint64_t line_bytes = 0;  // keeps the loop from being optimized away
};

void ReadFile(const std::string& path, Totals& totals) {
  de::LineReader reader(de::OpenInput(path));
  de::Line line;
  while (reader.Next(line)) {
    ++totals.lines;
    totals.line_bytes += line.text.size();
  }
  totals.bytes += reader.bytes_read();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> files;
  CLI::App app{"Read files with the project's LineReader: bytes and line splitting only."};
  app.add_option("files", files, "input files (plain, .zst or .gz)")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  Totals totals;
  auto start = std::chrono::steady_clock::now();
  try {
    for (const std::string& path : files) ReadFile(path, totals);
  } catch (const de::InputError& e) {
    std::fprintf(stderr, "bench_read: error: %s: %s\n", e.file().c_str(), e.what_only().c_str());
    return 2;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "read: %llu bytes, %llu lines (%llu bytes of line text) in %.3f s: %.0f MB/s\n",
      static_cast<unsigned long long>(totals.bytes), static_cast<unsigned long long>(totals.lines),
      static_cast<unsigned long long>(totals.line_bytes), seconds, totals.bytes / 1e6 / seconds);
  return 0;
}
