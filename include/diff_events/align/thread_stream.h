// One engine's view of one guest thread during alignment: counts, pairing facts, and the events
// received but not yet compared (only those: memory follows the skew between the two inputs,
// not the length of the trace).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diff_events/align/diff_result.h"
#include "diff_events/decode/event.h"

namespace de {

struct PendingEvent {
  DecodedEvent event;
  std::string raw;
};

EventRef MakeEventRef(const PendingEvent& pending);

// A FIFO of pending events whose slots keep their string capacity: once warm, queueing an event
// copies its text but allocates nothing (this runs once per event on the aligner thread).
class PendingQueue {
 public:
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  PendingEvent& front() { return slots_[head_]; }
  const PendingEvent& front() const { return slots_[head_]; }
  void push_back(const DecodedEvent& event, std::string_view raw);
  void pop_front();
  void clear();

 private:
  void Grow();
  std::vector<PendingEvent> slots_;
  size_t head_ = 0;
  size_t size_ = 0;
};

struct ThreadStream {
  bool canary_side = true;
  uint64_t tid = 0;
  uint64_t total = 0;                // events seen
  uint64_t first_seen = UINT64_MAX;  // the side's event number of its first event
  std::optional<uint64_t> first_idx;
  std::optional<uint64_t> last_idx;
  std::optional<std::string> first_call;  // name of its first kernel.call, once seen
  bool announced = false;                 // named by a thread.create child_tid on its side
  bool mapped = false;                    // paired by --tid-map
  int pair = -1;                          // index of its PairAligner, -1 while unpaired
  bool dropped = false;                   // can never pair: counted, no longer buffered
  std::optional<EventRef> first_event;
  PendingQueue pending;
};

}  // namespace de
