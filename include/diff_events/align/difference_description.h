// Says in one line what differs at a divergence ("payload.name: canary='NtSetEvent'
// ours='NtReleaseSemaphore'"). Runs once per divergent pair, so it reparses the two raw events
// with nlohmann_json and applies the same canonicalization the hashes were computed under.
#pragma once

#include <string>

#include "diff_events/align/diff_result.h"
#include "diff_events/canon/profile.h"

namespace de {

// Fills pair.divergence->field and ->summary.
void DescribeDivergence(PairResult& pair, const Profile& profile);

// "[435] kernel.return NtWaitForSingleObjectEx" — idx, kind and payload.name of a raw event.
std::string EventSummary(const EventRef& event);

}  // namespace de
