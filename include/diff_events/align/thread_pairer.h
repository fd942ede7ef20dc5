// Thread pairing rules that need no event stream: parsing --tid-map, and the first-call rule
// (group threads by the name of their first kernel.call, pair within a group in ascending tid
// order). Lineage pairing (children of paired threads pair through their thread.create events)
// happens during alignment, in DiffSession.
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

struct PairingCandidate {
  uint64_t tid = 0;
  std::string first_call;  // "" for a thread that made no kernel.call
};

// Pairs candidates by first call name, ascending tid within a name; deterministic. Candidates
// left over in a group (one side has more) stay unpaired.
std::vector<TidPair> PairByFirstCall(std::vector<PairingCandidate> canary,
                                     std::vector<PairingCandidate> ours);

}  // namespace de
