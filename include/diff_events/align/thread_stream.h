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

// A queued event as the aligner reads it: a view, valid until its queue changes.
struct PendingEvent {
  DecodedEvent event;
  std::string_view raw;
};

EventRef MakeEventRef(const PendingEvent& pending);

// A FIFO of events received but not yet compared. The raw lines sit back to back in one buffer
// (no allocation per event, no per-string overhead), which is compacted once its consumed front
// outgrows the live part: memory follows the number of waiting events.
class PendingQueue {
 public:
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  PendingEvent front() const { return at(0); }
  PendingEvent at(size_t i) const;
  const DecodedEvent& event_at(size_t i) const { return ring_[(head_ + i) % ring_.size()].event; }
  void push_back(const DecodedEvent& event, std::string_view raw);
  // Off for seekable plain inputs: events are queued without their text (front().raw is empty)
  // and reports fetch the few lines they show by offset (LineFetcher).
  void set_keep_text(bool keep) { keep_text_ = keep; }
  void pop_front();
  void clear();

 private:
  struct Entry {
    DecodedEvent event;
    uint64_t text_pos;  // position of the raw line in the logical byte stream
  };
  void Grow();
  void Resize(size_t slots);

  bool keep_text_ = true;
  std::vector<Entry> ring_;
  size_t head_ = 0;
  size_t size_ = 0;
  std::string text_;        // raw lines from logical position text_base_ on
  uint64_t text_base_ = 0;  // logical position of text_[0]
  uint64_t text_head_ = 0;  // logical position of the first live byte
};

// Where a thread is in its life during a diff. Transitions happen in ThreadRegistry only.
enum class ThreadState : uint8_t {
  kBuffering,  // not paired yet: every event is queued until a pairing decision
  kPaired,     // has a PairAligner: only events waiting for the partner are queued
  kDropped,    // can never pair: counted, no longer buffered
};

struct ThreadStream {
  bool canary_side = true;
  uint64_t tid = 0;
  ThreadState state = ThreadState::kBuffering;
  int pair = -1;                     // index of its PairAligner once kPaired
  uint64_t total = 0;                // events seen
  uint64_t first_seen = UINT64_MAX;  // the side's event number of its first event
  uint64_t last_seen = 0;            // ... and of its latest
  std::optional<uint64_t> first_idx;
  std::optional<uint64_t> last_idx;
  std::optional<std::string> first_call;  // name of its first kernel.call, once seen
  bool announced = false;                 // named by a thread.create child_tid on its side
  uint64_t parent = 0;                    // the announcing thread, when announced
  bool mapped = false;                    // named by --tid-map: no other rule may pair it
  bool offered = false;                   // offered to end-of-input pairing already
  std::optional<EventRef> first_event;
  PendingQueue pending;

  bool buffering() const { return state == ThreadState::kBuffering; }
  bool paired() const { return state == ThreadState::kPaired; }
};

}  // namespace de
