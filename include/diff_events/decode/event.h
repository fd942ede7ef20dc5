// A decoded, canonicalized event: what alignment compares (a fingerprint) plus the few fields
// that thread pairing needs. The raw line travels with it so reports can show the real event.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
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

// The class of an event's `kind` text (kOther for any kind later stages do not act on).
inline EventClass EventClassOf(std::string_view kind) {
  static constexpr std::pair<std::string_view, EventClass> kClasses[] = {
      {"kernel.call", EventClass::kKernelCall},     {"kernel.return", EventClass::kKernelReturn},
      {"thread.create", EventClass::kThreadCreate}, {"thread.exit", EventClass::kThreadExit},
      {"wait.begin", EventClass::kWaitBegin},       {"wait.end", EventClass::kWaitEnd},
      {"handle.create", EventClass::kHandleCreate}, {"handle.destroy", EventClass::kHandleDestroy},
  };
  for (const auto& [name, cls] : kClasses) {
    if (kind == name) return cls;
  }
  return EventClass::kOther;
}

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
// decoder: handles awaited (wait.begin), created (handle.create) or passed to a signal call or a
// handle.destroy. The strings and keys live in the batch (EventBatch::FactString/FactKey), whose
// buffers keep their capacity from batch to batch: no allocation per event once warm.
struct EventFacts {
  uint32_t event = 0;  // index into EventBatch::events
  // Semantic handle ids as text (wait.begin, handle.create): EventBatch::FactString(i).
  uint32_t strings_begin = 0, strings_end = 0;
  // A signal call's or a handle.destroy's strings as HandleKey()s (EventBatch::FactKey(i)): any
  // of a signal call's strings may name a handle, and keeping them as text would cost more.
  uint32_t keys_begin = 0, keys_end = 0;
  int64_t number = 0;  // wait.begin timeout_ns, handle.create object_type
  bool has_number = false;

  size_t strings() const { return strings_end - strings_begin; }
  size_t keys() const { return keys_end - keys_begin; }
};

// Events of one side in file order, with their raw text, handed from a decoder thread to the
// aligner in one piece.
struct EventBatch {
  std::vector<DecodedEvent> events;
  std::vector<EventFacts> facts;  // for the events that have any, in event order
  std::string fact_text;          // the facts' strings, end to end
  std::vector<std::pair<uint32_t, uint32_t>> fact_strings;  // offset and size in fact_text
  std::vector<uint64_t> fact_keys;
  std::string text;
  // Names interned since the previous batch, in id order: the aligner's EventNames appends them.
  std::vector<std::string> new_names;
  uint64_t bytes = 0;  // input bytes these lines took

  // Empty when the decoder did not keep the lines (inputs that can be read again).
  std::string_view Raw(const DecodedEvent& e) const {
    if (text.empty()) return std::string_view();
    return std::string_view(text).substr(e.raw_offset, e.raw_size);
  }
  // The i-th string / key of `f`, i < f.strings() / f.keys().
  std::string_view FactString(const EventFacts& f, size_t i) const {
    auto [offset, size] = fact_strings[f.strings_begin + i];
    return std::string_view(fact_text).substr(offset, size);
  }
  uint64_t FactKey(const EventFacts& f, size_t i) const { return fact_keys[f.keys_begin + i]; }
  // Appends to the facts being gathered for the last event (`f` ends where the batch does).
  void AddFactString(EventFacts& f, std::string_view s) {
    fact_strings.emplace_back(static_cast<uint32_t>(fact_text.size()),
                              static_cast<uint32_t>(s.size()));
    fact_text.append(s);
    f.strings_end = static_cast<uint32_t>(fact_strings.size());
  }
  void AddFactKey(EventFacts& f, uint64_t key) {
    fact_keys.push_back(key);
    f.keys_end = static_cast<uint32_t>(fact_keys.size());
  }
  // Starts `f` empty at the end of the batch's fact buffers; DropFacts(f) takes it back.
  void BeginFacts(EventFacts& f) const {
    f.strings_begin = f.strings_end = static_cast<uint32_t>(fact_strings.size());
    f.keys_begin = f.keys_end = static_cast<uint32_t>(fact_keys.size());
  }
  void DropFacts(const EventFacts& f) {
    if (f.strings_end != f.strings_begin) {
      fact_text.resize(fact_strings[f.strings_begin].first);
      fact_strings.resize(f.strings_begin);
    }
    if (f.keys_end != f.keys_begin) fact_keys.resize(f.keys_begin);
  }
  void Clear() {
    events.clear();
    facts.clear();
    fact_text.clear();
    fact_strings.clear();
    fact_keys.clear();
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
