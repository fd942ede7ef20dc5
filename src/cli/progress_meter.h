// A one-line progress display on stderr (ninja's LinePrinter, zstd's progress): a thread polls
// how far each input has been read and redraws the line with "\r...\x1b[K" at most ~6 times a
// second, then clears it. It never decides whether to draw: the caller asks ShouldShowProgress.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "diff_events/io/read_progress.h"

namespace de {

struct ProgressSample {
  std::string name;    // shown as its last path component
  uint64_t bytes = 0;  // read so far
  uint64_t total = 0;  // 0: unknown size (a pipe, stdin)
};
using ProgressPoll = std::function<std::vector<ProgressSample>()>;

// "canary.jsonl 27% 12.3/45.6 MB 120.0 MB/s ETA 0:03 | ours.jsonl 3.1 MB 80.0 MB/s", cut to
// `max_width` columns so that it never wraps (a wrapped line cannot be redrawn with \r).
std::string FormatProgressLine(const std::vector<ProgressSample>& samples, double elapsed_seconds,
                               size_t max_width);

// Samples of ReadProgress counters (they must outlive the poll).
ProgressPoll PollReadProgress(std::vector<const ReadProgress*> inputs);

class ProgressMeter {
 public:
  // Draws only when `enabled`; otherwise it is inert and costs nothing.
  ProgressMeter(bool enabled, ProgressPoll poll);
  ~ProgressMeter();  // Stop()
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

  // Stops the thread and erases the line (if one was drawn); idempotent.
  void Stop();

 private:
  void Loop();

  ProgressPoll poll_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

}  // namespace de
