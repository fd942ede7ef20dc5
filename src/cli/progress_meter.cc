#include "progress_meter.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>

#include "terminal.h"

namespace de {
namespace {

// ~6 redraws a second: smooth enough to read, cheap enough to never show in a profile.
constexpr std::chrono::milliseconds kRedrawInterval(166);

std::string BaseName(const std::string& path) {
  if (path == "-") return "<stdin>";
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string Megabytes(uint64_t bytes) { return fmt::format("{:.1f}", bytes / 1e6); }

std::string Duration(double seconds) {
  auto s = static_cast<uint64_t>(seconds + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

std::string DescribeInput(const ProgressSample& s, double elapsed) {
  double rate = elapsed > 0 ? s.bytes / elapsed : 0;
  std::string text = BaseName(s.name) + " ";
  if (s.total > 0) {
    uint64_t shown = std::min(s.bytes, s.total);
    text +=
        fmt::format("{}% {}/{} MB", shown * 100 / s.total, Megabytes(shown), Megabytes(s.total));
  } else {
    text += Megabytes(s.bytes) + " MB";
  }
  text += fmt::format(" {:.1f} MB/s", rate / 1e6);
  if (s.total > 0 && rate > 0) {
    double left = s.bytes >= s.total ? 0 : (s.total - s.bytes) / rate;
    text += " ETA " + Duration(left);
  }
  return text;
}

void WriteStderr(const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(STDERR_FILENO, text.data() + done, text.size() - done);
    if (n <= 0) return;  // a closed or failing stderr only loses the progress line
    done += static_cast<size_t>(n);
  }
}

}  // namespace

std::string FormatProgressLine(const std::vector<ProgressSample>& samples, double elapsed_seconds,
                               size_t max_width) {
  std::string line;
  for (const ProgressSample& s : samples) {
    if (!line.empty()) line += " | ";
    line += DescribeInput(s, elapsed_seconds);
  }
  if (line.size() > max_width) line.resize(max_width);
  return line;
}

ProgressPoll PollReadProgress(std::vector<const ReadProgress*> inputs) {
  return [inputs = std::move(inputs)] {
    std::vector<ProgressSample> samples;
    for (const ReadProgress* in : inputs)
      samples.push_back({in->path, in->bytes.load(std::memory_order_relaxed), in->total});
    return samples;
  };
}

ProgressMeter::ProgressMeter(bool enabled, ProgressPoll poll) : poll_(std::move(poll)) {
  if (enabled) thread_ = std::thread([this] { Loop(); });
}

ProgressMeter::~ProgressMeter() { Stop(); }

void ProgressMeter::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (drawn_) {
    WriteStderr("\r\x1b[K");
    drawn_ = false;
  }
}

void ProgressMeter::Loop() {
  auto start = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, kRedrawInterval, [this] { return stop_; })) {
    double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // One column short of the width: writing the last column makes some terminals wrap.
    size_t width = static_cast<size_t>(TerminalColumns(STDERR_FILENO)) - 1;
    WriteStderr("\r" + FormatProgressLine(poll_(), elapsed, width) + "\x1b[K");
    drawn_ = true;
  }
}

}  // namespace de
