// --tid-map: pairs the user fixed by hand. The automatic rules are in pairing_policy.h.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace de {

using TidPair = std::pair<uint64_t, uint64_t>;  // (canary tid, ours tid)

// Parses "6=1,17=13" (decimal or 0x-hex). Throws UsageError on malformed text or a tid mapped
// twice.
std::vector<TidPair> ParseTidMap(const std::string& text);

}  // namespace de
