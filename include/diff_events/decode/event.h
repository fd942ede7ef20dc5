// A decoded, canonicalized event: what alignment compares (a fingerprint) plus the few fields
// that thread pairing needs. The raw line travels with it so reports can show the real event.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace de {

// The event kinds later stages act on; everything else is kOther (compared all the same).
enum class EventClass : uint8_t {
  kOther,
  kKernelCall,
  kKernelReturn,
  kThreadCreate,
  kThreadExit,
  kWaitBegin,
  kWaitEnd,
  kHandleCreate,
  kHandleDestroy,
};

struct DecodedEvent;
// Whether the aligner counts two events as the same (see raw_fingerprint).
inline bool SameEvent(const DecodedEvent& a, const DecodedEvent& b);

struct DecodedEvent {
  uint64_t tid = 0;
  uint64_t idx = 0;          // tid_event_idx
  uint64_t fingerprint = 0;  // kind + compared payload + other compared top-level fields
  // The same with pointers as written, not as the allocations they point into. Two events are
  // equal when either hash is: a constant that happens to lie inside a block on one side only
  // (an NTSTATUS code inside a physical block at 0xC0000000) is equal as written, a pointer
  // to the same allocation at other addresses is equal canonically. Keys (hunks, pairing) use
  // `fingerprint`. Equal to it when no pointer was canonicalized.
  uint64_t raw_fingerprint = 0;
  uint64_t line = 0;           // 1-based line number in its file
  uint64_t offset = 0;         // byte offset of the line in its (decompressed) input
  int64_t alloc_ordinal = -1;  // >= 0: an allocator return, canonicalized to this ordinal
  int64_t host_ns = 0;         // the engine's clock (never compared), 0 when absent
  EventClass event_class = EventClass::kOther;
  bool first_call_of_thread = false;  // the thread's first kernel.call
  bool masked = false;                // a --mask call, its return or its waits: not aligned
  bool has_child_tid = false;         // thread.create naming the created thread's tid
  uint64_t child_tid = 0;
  uint32_t raw_offset = 0;  // the line's text in EventBatch::text
  uint32_t raw_size = 0;
  uint32_t name_id = 0;  // payload.name interned per input (EventNames), 0 when it has none
};

inline bool SameEvent(const DecodedEvent& a, const DecodedEvent& b) {
  return a.fingerprint == b.fingerprint || a.raw_fingerprint == b.raw_fingerprint;
}

// What the thread analyses need of a few events beyond their fingerprint, pulled out by the
// decoder: handles awaited (wait.begin), created (handle.create) or passed to a signal call.
struct EventFacts {
  uint32_t event = 0;                // index into EventBatch::events
  std::vector<std::string> handles;  // semantic handle ids (wait.begin, handle.create)
  // A signal call's string arguments, as HandleKey()s: any of them may name a handle, and
  // keeping them as text would cost an allocation each.
  std::vector<uint64_t> handle_keys;
  int64_t number = 0;  // wait.begin timeout_ns, handle.create object_type
  bool has_number = false;
};

// Events of one side in file order, with their raw text, handed from a decoder thread to the
// aligner in one piece.
struct EventBatch {
  std::vector<DecodedEvent> events;
  std::vector<EventFacts> facts;  // for the events that have any, in event order
  std::string text;
  // Names interned since the previous batch, in id order: the aligner's EventNames appends them.
  std::vector<std::string> new_names;
  uint64_t bytes = 0;  // input bytes these lines took

  std::string_view Raw(const DecodedEvent& e) const {
    return std::string_view(text).substr(e.raw_offset, e.raw_size);
  }
  void Clear() {
    events.clear();
    facts.clear();
    text.clear();
    new_names.clear();
    bytes = 0;
  }
};

// One input's interned payload names, as the aligner sees them: id 0 is "no name".
class EventNames {
 public:
  EventNames() : names_(1) {}
  void Append(const EventBatch& batch) {
    names_.insert(names_.end(), batch.new_names.begin(), batch.new_names.end());
  }
  const std::string& operator[](uint32_t id) const { return names_[id]; }
  size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
};

}  // namespace de
