// A canonical 64-bit fingerprint of a JSON value, computed while simdjson walks it once.
// Equal JSON values get equal hashes regardless of object key order; null members count as
// absent (a field present on one side only differs unless it is null); numbers compare by value
// (1 == 1.0); fields named by the ignore rules are skipped.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string_view>

#include "diff_events/canon/field_filter.h"

namespace de {

uint64_t HashBytes(std::string_view bytes);
// Order-dependent combination (arrays, the parts of an event).
uint64_t MixHash(uint64_t a, uint64_t b);
// The contribution of one object member; members are summed, so key order does not matter.
uint64_t MemberHash(std::string_view key, uint64_t value_hash);
uint64_t StringValueHash(std::string_view s);

// Nesting deeper than this is rejected as invalid input.
constexpr int kMaxJsonDepth = 1000;

// Hashes `value` (consuming it). `rules` is the ignore-rule node for this value, or nullptr;
// `depth` is the value's nesting depth in its document.
uint64_t HashJsonValue(simdjson::ondemand::value value, const PathNode* rules, int depth);

}  // namespace de
