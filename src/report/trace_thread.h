// One thread's part of the trace, built as its events stream by in the second read: slices
// for kernel calls and waits (kept properly nested: an end closes everything opened inside its
// slice, an end without a start is dropped, whatever is open at a window's or the thread's end
// closes there), instants for the other events and the marks, and one slice per stretch left
// out between windows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trace_plan.h"
#include "trace_writer.h"

namespace de {

enum class TraceKind { kCall, kReturn, kWaitBegin, kWaitEnd, kOther };

// The few fields of an exported event the trace shows.
struct TraceFields {
  std::optional<int64_t> host_ns;
  uint64_t idx = 0;
  TraceKind kind = TraceKind::kOther;
  std::string kind_text;     // "handle.create"
  std::string name;          // payload.name
  std::string return_value;  // as written (strings unquoted)
  std::string status;
  std::string handles_json;  // payload.handles as written, "" when absent
};

class ThreadTracer {
 public:
  ThreadTracer(const ThreadTrack& track, int pid);

  // Whether the next event is needed: exported, at a gap's edge, or carrying a mark. The others
  // are only counted (Skip), so a long matched stretch costs one field lookup per event.
  bool WantsNext() const;
  void Skip() { Advance(); }
  void Add(const TraceFields& event);
  // The thread's trace lines; throws InputError when the read did not see the counted events.
  std::string Finish(const std::string& input_name);

 private:
  struct OpenSlice {
    std::string name;
    std::string call;  // payload.name of a kernel call, which its return names too
    const char* cat;
    int64_t begin_ns;
    JsonArgs args;
    size_t slot;  // its line's place in pending_
  };

  bool InWindow() const;
  uint64_t GapBegin() const;
  uint64_t GapEnd() const;
  void Advance();
  int64_t Tick(const std::optional<int64_t>& host_ns);
  void Export(const TraceFields& event, int64_t ts);
  void GapEdge(int64_t ts);
  void Open(std::string name, std::string call, const char* cat, int64_t ts, JsonArgs args);
  void CloseMatching(const char* cat, const std::string& call, int64_t ts, const JsonArgs& extra);
  void PlaceMarks(int64_t ts);
  void CloseTop(int64_t ts, const JsonArgs& extra);
  void CloseAll(int64_t ts, const JsonArgs& extra);
  void Emit(std::string line);

  const ThreadTrack& track_;
  TraceTrack where_;
  uint64_t position_ = 0;
  size_t window_ = 0;  // the first window that ends after position_
  size_t mark_ = 0;    // the first mark not placed yet
  int64_t now_ = 0;    // the thread's clock, never going back (slices must nest)
  bool clock_started_ = false;
  int64_t gap_first_ns_ = 0;
  std::vector<OpenSlice> open_;
  // Lines in begin order while a slice is open: a slice's line is written when it closes.
  std::vector<std::string> pending_;
  std::string out_;
};

}  // namespace de
