// Text of Chrome JSON trace events (the "Trace Event Format"), one event per line. Times are
// engine nanoseconds written as microseconds with the nanoseconds kept as decimals, so nothing
// is rounded and the same input gives the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace de {

// 1935435457 → "1935435.457", 1000 → "1".
std::string TraceMicros(int64_t ns);
// A JSON string literal: quotes, backslashes and control characters escaped.
std::string JsonQuoted(std::string_view text);

// The members of one "args" object, added in order.
class JsonArgs {
 public:
  JsonArgs& Str(std::string_view key, std::string_view value);
  JsonArgs& Num(std::string_view key, uint64_t value);
  JsonArgs& Bool(std::string_view key, bool value);
  JsonArgs& Raw(std::string_view key, std::string_view json);  // a JSON value as written
  JsonArgs& Append(const JsonArgs& more);
  std::string Object() const { return "{" + members_ + "}"; }

 private:
  void Key(std::string_view key);
  std::string members_;
};

struct TraceTrack {
  int pid = 0;
  uint64_t tid = 0;
};

// ph "X": a slice with its duration (dur >= 0; a negative one is written as 0).
std::string CompleteEvent(TraceTrack track, std::string_view name, std::string_view cat,
                          int64_t ts_ns, int64_t dur_ns, std::string_view args_json);
// ph "i", thread scope: a mark on the thread's track.
std::string InstantEvent(TraceTrack track, std::string_view name, std::string_view cat,
                         int64_t ts_ns, std::string_view args_json);
// ph "M": process_name, thread_name, process_sort_index, thread_sort_index.
std::string ProcessMetadata(int pid, std::string_view name, std::string_view key,
                            std::string_view value_json);
std::string ThreadMetadata(TraceTrack track, std::string_view name, std::string_view key,
                           std::string_view value_json);

}  // namespace de
