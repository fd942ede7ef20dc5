// bench_read: the project's reader (OpenInput + LineReader) over files, one after the other:
// the cost of getting the bytes and splitting lines, with no JSON work at all. With --decode,
// every line also goes through the diff's EventDecoder (default profile, no line text kept, as
// for a plain file): one side's decoding thread alone, without the aligner.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>

#include "diff_events/canon/profile.h"
#include "diff_events/decode/event_decoder.h"
#include "diff_events/input_error.h"
#include "diff_events/io/line_reader.h"

namespace {

struct Totals {
  uint64_t bytes = 0;
  uint64_t lines = 0;
  uint64_t line_bytes = 0;  // keeps the loop from being optimized away
  uint64_t fingerprints = 0;
};

void ReadFile(const std::string& path, bool decode, Totals& totals) {
  de::LineReader reader(de::OpenInput(path));
  de::Line line;
  de::EventDecoder decoder(de::DefaultProfile(), path);
  decoder.set_keep_text(false);
  de::EventBatch batch;
  bool header = true;
  while (reader.Next(line)) {
    ++totals.lines;
    totals.line_bytes += line.text.size();
    if (!decode || line.text.empty()) continue;
    if (header) {
      decoder.DecodeHeader(line);
      header = false;
      continue;
    }
    decoder.Decode(line, batch);
    if (batch.events.size() >= 8192) {  // about the decoder thread's batch
      for (const de::DecodedEvent& e : batch.events) totals.fingerprints += e.fingerprint;
      batch.Clear();
    }
  }
  for (const de::DecodedEvent& e : batch.events) totals.fingerprints += e.fingerprint;
  totals.bytes += reader.bytes_read();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> files;
  CLI::App app{"Read files with the project's LineReader: bytes and line splitting only."};
  app.add_option("files", files, "input files (plain, .zst or .gz)")->required();
  bool decode = false;
  app.add_flag("--decode", decode, "also decode every event line as the diff does");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  Totals totals;
  auto start = std::chrono::steady_clock::now();
  try {
    for (const std::string& path : files) ReadFile(path, decode, totals);
  } catch (const de::InputError& e) {
    std::fprintf(stderr, "bench_read: error: %s: %s\n", e.file().c_str(), e.what_only().c_str());
    return 2;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s: %llu bytes, %llu lines (%llu bytes of line text) in %.3f s: %.0f MB/s\n",
              decode ? "decode" : "read", static_cast<unsigned long long>(totals.bytes),
              static_cast<unsigned long long>(totals.lines),
              static_cast<unsigned long long>(totals.line_bytes), seconds,
              totals.bytes / 1e6 / seconds);
  return 0;
}
