#include "diff_events/align/thread_stream.h"

namespace de {

std::optional<EventRef> ThreadStream::FirstEvent() {
  if (dropped_first) return *dropped_first;
  if (!buffering() || pending.empty()) return std::nullopt;
  return MakeEventRef(pending.front());  // nothing is compared before pairing
}

}  // namespace de
