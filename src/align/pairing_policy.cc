#include "diff_events/align/pairing_policy.h"

#include <algorithm>
#include <numeric>

namespace de {
namespace {

// A group of one thread on each side, with nobody else waiting in it, pairs at once: no later
// thread can make that choice better or worse than a --tid-map would.
bool LoneCouple(const std::vector<ContentCandidate>& canary,
                const std::vector<ContentCandidate>& ours, const PairingRound& round) {
  return round.whole_group && canary.size() == 1 && ours.size() == 1;
}

class ContentPolicy : public PairingPolicy {
 public:
  explicit ContentPolicy(size_t window) : window_(window) {}

  std::vector<PairingProposal> Propose(const std::vector<ContentCandidate>& canary,
                                       const std::vector<ContentCandidate>& ours,
                                       const PairingRound& round) const override {
    ContentScorer scorer(canary, ours, window_);
    bool lone = LoneCouple(canary, ours, round);
    std::vector<PairingProposal> out;
    for (const auto& [c, o] : scorer.BestAssignment()) {
      PairingConfidence conf = scorer.Confidence(c, o);
      // Mid-stream, only a match over the whole window (candidates are ripe: K events known,
      // or quiet for a pairing window) is safe from a better partner that has not run yet;
      // anything less waits for the end of input.
      bool settled = round.final || lone || conf.score == conf.window;
      if (settled) out.push_back({canary[c].tid, ours[o].tid, PairingMethod::kContent, conf});
    }
    return out;
  }

 private:
  size_t window_;
};

class FirstCallPolicy : public PairingPolicy {
 public:
  explicit FirstCallPolicy(size_t window) : window_(window) {}

  std::vector<PairingProposal> Propose(const std::vector<ContentCandidate>& canary,
                                       const std::vector<ContentCandidate>& ours,
                                       const PairingRound& round) const override {
    if (!round.final && !LoneCouple(canary, ours, round)) return {};
    auto by_tid = [](const std::vector<ContentCandidate>& side) {
      std::vector<size_t> order(side.size());
      std::iota(order.begin(), order.end(), 0);
      std::sort(order.begin(), order.end(),
                [&](size_t a, size_t b) { return side[a].tid < side[b].tid; });
      return order;
    };
    std::vector<size_t> cs = by_tid(canary), os = by_tid(ours);
    ContentScorer scorer(canary, ours, window_);  // scores only: the order decides
    std::vector<PairingProposal> out;
    for (size_t i = 0; i < std::min(cs.size(), os.size()); ++i) {
      out.push_back({canary[cs[i]].tid, ours[os[i]].tid, PairingMethod::kFirstCall,
                     scorer.Confidence(cs[i], os[i])});
    }
    return out;
  }

 private:
  size_t window_;
};

}  // namespace

std::unique_ptr<PairingPolicy> MakePairingPolicy(PairBy rule, size_t window) {
  if (rule == PairBy::kFirstCall) return std::make_unique<FirstCallPolicy>(window);
  return std::make_unique<ContentPolicy>(window);
}

std::optional<PairBy> ParsePairBy(const std::string& text) {
  if (text == "content") return PairBy::kContent;
  if (text == "first-call") return PairBy::kFirstCall;
  return std::nullopt;
}

}  // namespace de
