// Which input the session reads next. Two inputs are read by one consumer; reading the side
// that is behind keeps the pending queues at the local skew between the engines' schedules
// instead of a drift that grows with the trace.
#pragma once

#include <cstddef>
#include <cstdint>

namespace de {

struct InputProgress {
  bool ended = false;
  uint64_t bytes = 0;         // input bytes consumed so far
  size_t paired_pending = 0;  // events of paired threads waiting for the other side
};

// True to read canary next. Behind = its paired threads have clearly fewer events waiting
// (by more than about one batch), else the side that has read fewer bytes. It depends on the
// inputs' content only, never on timing: the result is deterministic.
bool ReadCanaryNext(const InputProgress& canary, const InputProgress& ours);

}  // namespace de
