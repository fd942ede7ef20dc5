// Scores candidate thread pairs by what they do: the common prefix of their first K canonical
// fingerprints. Built on a trie of the prefixes, so pairing n threads costs O(n·K), never
// O(n²): the pair with the deepest common node is best, and greedy bottom-up matching on a trie
// maximises the summed common-prefix length. Within one node (candidates that agree equally
// far), the longest common subsequence of the rest of the prefix breaks the tie for small
// groups, so one early difference does not sink a true pair; larger groups pair in order of
// first appearance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "diff_events/align/diff_result.h"

namespace de {

struct ContentCandidate {
  uint64_t tid = 0;
  uint64_t order = 0;            // tie-break: the side's event number of the thread's first event
  std::vector<uint64_t> prefix;  // its first (at most K) canonical fingerprints
};

// A trie of both sides' prefixes: node depth = common-prefix length of the candidates below it.
class ContentScorer {
 public:
  ContentScorer(const std::vector<ContentCandidate>& canary,
                const std::vector<ContentCandidate>& ours, size_t window);

  // (canary index, ours index) pairs, best first, as many as possible; deterministic.
  std::vector<std::pair<size_t, size_t>> BestAssignment() const;
  // The score of pairing canary[c] with ours[o], and the best either had with anyone else.
  PairingConfidence Confidence(size_t c, size_t o) const;

 private:
  struct Node {
    uint32_t parent = 0;
    uint32_t depth = 0;
    uint32_t canary_below = 0;  // candidates whose prefix runs through this node
    uint32_t ours_below = 0;
  };
  uint32_t Insert(const std::vector<uint64_t>& prefix);
  uint32_t CommonDepth(size_t c, size_t o) const;
  std::optional<uint64_t> RunnerUp(uint32_t from, uint32_t shared_depth, bool other_is_ours) const;
  void PairWithin(std::vector<size_t>& cs, std::vector<size_t>& os, uint32_t depth,
                  std::vector<std::pair<size_t, size_t>>& out) const;

  const std::vector<ContentCandidate>& canary_;
  const std::vector<ContentCandidate>& ours_;
  size_t window_;
  std::vector<Node> nodes_;
  std::vector<uint32_t> canary_end_;  // each candidate's last node
  std::vector<uint32_t> ours_end_;
};

}  // namespace de
