// The seam between the diff session and the rules that pair threads no fixed fact pairs.
// Fixed facts come first and are not policies' business: --tid-map (the user said so) and
// lineage (both engines logged child_tid, and the two parents' thread.create events met in
// the aligner). Whatever remains is offered to one policy, one first-call group at a time:
// `content` (default) pairs by the threads' first K canonical events, `first-call` keeps the
// older rule (ascending tid within a first-call name) for comparison.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "diff_events/align/content_pairing.h"
#include "diff_events/align/diff_result.h"

namespace de {

struct PairingProposal {
  uint64_t canary_tid = 0;
  uint64_t ours_tid = 0;
  PairingMethod method = PairingMethod::kContent;
  PairingConfidence confidence;
};

// What the session knows about a group when it asks.
struct PairingRound {
  // No more candidates will come (end of input): pair all that can be paired. Otherwise only
  // pairs that threads still to come cannot improve.
  bool final = false;
  // Every thread of this group that is still unpaired, on both sides, is a candidate now.
  bool whole_group = false;
};

class PairingPolicy {
 public:
  virtual ~PairingPolicy() = default;
  // Candidates of one first-call group; proposals sorted by canary tid.
  virtual std::vector<PairingProposal> Propose(const std::vector<ContentCandidate>& canary,
                                               const std::vector<ContentCandidate>& ours,
                                               const PairingRound& round) const = 0;
};

enum class PairBy { kContent, kFirstCall };

// `window`: K, the number of leading events scored.
std::unique_ptr<PairingPolicy> MakePairingPolicy(PairBy rule, size_t window);

// "content" / "first-call"; nullopt for anything else.
std::optional<PairBy> ParsePairBy(const std::string& text);

}  // namespace de
