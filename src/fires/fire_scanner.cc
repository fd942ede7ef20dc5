#include "diff_events/fires/fire_scanner.h"

#include <exception>
#include <thread>

#include "diff_events/input_error.h"
#include "diff_events/io/line_reader.h"

namespace de {
namespace {

void NoteSkipped(std::vector<SkippedLine>& examples, uint64_t line, const std::string& why) {
  if (examples.size() < kMaxSkippedExamples) examples.push_back({line, why});
}

}  // namespace

void ScanFireTrace(const std::string& path, bool strict, FireHistogram& histogram,
                   const std::atomic<bool>* cancel, ReadProgress* progress) {
  LineReader reader(OpenCountedInput(path, progress));
  FireDecoder decoder(histogram.ops());
  InputTally tally;
  tally.name = reader.name();
  Line line;
  FireRecord record;
  while (reader.Next(line)) {
    if (cancel && cancel->load(std::memory_order_relaxed)) break;
    ++tally.lines;
    switch (decoder.Decode(line, record)) {
      case Decoded::kFire:
        ++tally.fires;
        histogram.Add(record);
        break;
      case Decoded::kNotFireSite:
        tally.CountOffTablePc(record.pc);
        break;
      case Decoded::kBlank:
        ++tally.blank;
        break;
      case Decoded::kInvalidJson:
        if (strict) throw InputError(tally.name, line.number, decoder.problem());
        ++tally.invalid_json;
        NoteSkipped(tally.first_invalid, line.number, decoder.problem());
        break;
      case Decoded::kUnusable:
        if (strict) throw InputError(tally.name, line.number, decoder.problem());
        ++tally.unusable;
        NoteSkipped(tally.first_unusable, line.number, decoder.problem());
        break;
    }
  }
  tally.bytes = reader.bytes_read();
  histogram.inputs().push_back(std::move(tally));
}

BothSides ScanBothSides(const std::string& canary_path, const std::vector<std::string>& ours_paths,
                        const FiresProfile& profile, bool strict,
                        const std::vector<ReadProgress*>& progress) {
  auto counter = [&](size_t input) { return input < progress.size() ? progress[input] : nullptr; };
  BothSides sides{FireHistogram(profile), FireHistogram(profile)};
  // A canary error stops ours early (it is the one reported). Ours failing does not stop the
  // canary: a canary error further on must still win, whatever the timing.
  std::atomic<bool> canary_failed{false};
  std::exception_ptr ours_error;
  std::thread ours_thread([&] {
    try {
      for (size_t i = 0; i < ours_paths.size(); ++i)
        ScanFireTrace(ours_paths[i], strict, sides.ours, &canary_failed, counter(1 + i));
    } catch (...) {
      ours_error = std::current_exception();
    }
  });
  std::exception_ptr canary_error;
  try {
    ScanFireTrace(canary_path, strict, sides.canary, nullptr, counter(0));
  } catch (...) {
    canary_error = std::current_exception();
    canary_failed = true;
  }
  ours_thread.join();
  if (canary_error) std::rethrow_exception(canary_error);
  if (ours_error) std::rethrow_exception(ours_error);
  return sides;
}

}  // namespace de
