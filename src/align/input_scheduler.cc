#include "diff_events/align/input_scheduler.h"

namespace de {

bool ReadCanaryNext(const InputProgress& canary, const InputProgress& ours) {
  if (ours.ended) return true;
  if (canary.ended) return false;
  constexpr size_t kSlack = 4096;  // about one batch of events
  if (canary.paired_pending > ours.paired_pending + kSlack) return false;
  if (ours.paired_pending > canary.paired_pending + kSlack) return true;
  return canary.bytes <= ours.bytes;
}

}  // namespace de
