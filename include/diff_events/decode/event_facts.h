// The second, rare walk over an event: handles awaited, created or signalled. Runs only for
// wait.begin, handle.create and signal calls (a few percent of events), after the hashing walk,
// so the hot path stays one pass.
#pragma once

#include <simdjson.h>

#include "diff_events/decode/event.h"

namespace de {

// Rewinds `doc` and reads its payload's facts. Fields of the wrong type are skipped: the
// hashing walk has validated the line already, and facts are best effort.
// The facts go to the end of `batch`'s fact buffers, `facts` covering them.
void ExtractFacts(simdjson::ondemand::document& doc, EventClass cls, EventBatch& batch,
                  EventFacts& facts);

// The key a handle's semantic id is known by in the aggregates.
uint64_t HandleKey(std::string_view semantic_id);

}  // namespace de
