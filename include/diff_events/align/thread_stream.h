// One engine's view of one guest thread during alignment: counts, pairing facts, and the events
// received but not yet compared (only those: memory follows the skew between the two inputs,
// not the length of the trace).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "diff_events/align/boxed.h"
#include "diff_events/align/diff_result.h"
#include "diff_events/align/pending_queue.h"
#include "diff_events/decode/event.h"

namespace de {

// Where a thread is in its life during a diff. Transitions happen in ThreadRegistry only.
enum class ThreadState : uint8_t {
  kBuffering,  // not paired yet: every event is queued until a pairing decision
  kPaired,     // has a PairAligner: only events waiting for the partner are queued
  kDropped,    // can never pair: counted, no longer buffered
};

struct ThreadStream {
  uint64_t tid = 0;
  uint64_t total = 0;                // events seen
  uint64_t first_seen = UINT64_MAX;  // the side's event number of its first event
  uint64_t last_seen = 0;            // ... and of its latest
  uint64_t first_idx = 0;            // tid_event_idx of its first event and of its latest
  uint64_t last_idx = 0;             // (both only once total > 0)
  // Its first kernel.call's name id in its side's EventNames, once seen: an id, not the text,
  // because 100 000 threads may buffer at once.
  std::optional<uint32_t> first_call_id;
  uint64_t parent = 0;  // the announcing thread, when announced
  // While buffering, the thread's first event is its queue's front; a dropped thread's queue is
  // gone, so its first event moves here (reports show it for threads that never pair).
  Boxed<EventRef> dropped_first;
  PendingQueue pending;
  int pair = -1;  // index of its PairAligner once kPaired
  ThreadState state = ThreadState::kBuffering;
  // The flags last, packed: every thread of a trace has a stream.
  bool canary_side = true;
  bool announced = false;  // named by a thread.create child_tid on its side
  bool mapped = false;     // named by --tid-map: no other rule may pair it
  bool offered = false;    // offered to end-of-input pairing already

  bool buffering() const { return state == ThreadState::kBuffering; }
  bool paired() const { return state == ThreadState::kPaired; }
  std::optional<uint64_t> FirstIdx() const {
    return total ? std::optional<uint64_t>(first_idx) : std::nullopt;
  }
  std::optional<uint64_t> LastIdx() const {
    return total ? std::optional<uint64_t>(last_idx) : std::nullopt;
  }
  // The first event, for the report of a thread that never paired (buffering or dropped).
  std::optional<EventRef> FirstEvent();
};

}  // namespace de
