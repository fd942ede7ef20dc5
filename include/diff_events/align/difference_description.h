// Says in one line what differs between two events ("payload.name: canary='NtSetEvent'
// ours='NtReleaseSemaphore'"). The events are read by the same walker and rules the decoder
// hashed them with (decode/json_hash.h), so a pair that hashes differently always has a field to
// show; the work is linear in the size of the two events.
#pragma once

#include <string>

#include "diff_events/align/diff_result.h"
#include "diff_events/canon/pointer_identity.h"
#include "diff_events/canon/profile.h"

namespace de {

struct EventDifference {
  std::string field;    // the first differing field as a dotted path ("payload.args[2]"); may
                        // be empty when the events are equal under the profile
  std::string summary;  // "payload.name: canary='A' ours='B'"
};

// What each side's pointers stood for (SideDecoder::pointers()) and the threads of the two
// events. Without both, pointers are described as written.
struct PointerSides {
  const SidePointers* canary = nullptr;
  uint64_t canary_tid = 0;
  const SidePointers* ours = nullptr;
  uint64_t ours_tid = 0;
};

// The first difference between two events (from their raw lines, alloc_ordinal and idx) under
// `profile`. Keys are escaped in `field` as in profile paths: a '.' or '\' in a key is "\." or
// "\\". Values longer than 120 bytes are cut at a character boundary. With pointer
// canonicalization and `sides` known, the field named is one whose canonical value differs, and
// a pointer shows the block it stood for beside its value ("'0x40001010'
// (<ALLOC_RtlAllocateHeap_3>+0x10)").
EventDifference DescribeDifference(const EventRef& canary, const EventRef& ours,
                                   const Profile& profile, const PointerSides& sides = {});

// Fills pair.divergence->field and ->summary; `canary`, `ours`: as in PointerSides.
void DescribeDivergence(PairResult& pair, const Profile& profile,
                        const SidePointers* canary = nullptr, const SidePointers* ours = nullptr);

// "[435] kernel.return NtWaitForSingleObjectEx" — idx, kind and payload.name of a raw event.
std::string EventSummary(const EventRef& event);
// Fills event.summary (reports show it and never parse the raw line themselves).
void Summarize(EventRef& event);

// Cuts `text` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string_view Utf8Prefix(std::string_view text, size_t max_bytes);

}  // namespace de
