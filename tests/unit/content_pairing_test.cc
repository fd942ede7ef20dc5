// Content pairing: the prefix trie's assignment and confidence, the policies built on it, and
// the other parts of the diff path's pairing (registry transitions, the input scheduler).
#include "diff_events/align/content_pairing.h"

#include <catch2/catch.hpp>
#include <random>

#include "diff_events/align/input_scheduler.h"
#include "diff_events/align/pairing_policy.h"
#include "diff_events/align/thread_registry.h"

namespace {

using de::ContentCandidate;
using Assignment = std::vector<std::pair<size_t, size_t>>;

ContentCandidate Cand(uint64_t tid, std::vector<uint64_t> prefix, uint64_t order = 0) {
  return ContentCandidate{tid, order ? order : tid, std::move(prefix)};
}

// Brute force over every assignment of small groups: the best summed common prefix.
size_t Lcp(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b, size_t k) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && i < k && a[i] == b[i]) ++i;
  return i;
}
size_t BestTotal(const std::vector<ContentCandidate>& c, const std::vector<ContentCandidate>& o,
                 size_t k, size_t ci = 0, std::vector<bool> used = {}) {
  if (used.empty()) used.assign(o.size(), false);
  if (ci == c.size()) return 0;
  size_t best = BestTotal(c, o, k, ci + 1, used);  // c[ci] left unpaired
  for (size_t oi = 0; oi < o.size(); ++oi) {
    if (used[oi]) continue;
    used[oi] = true;
    best = std::max(best, Lcp(c[ci].prefix, o[oi].prefix, k) + BestTotal(c, o, k, ci + 1, used));
    used[oi] = false;
  }
  return best;
}

}  // namespace

TEST_CASE("Content pairing undoes a swapped worker pool", "[content]") {
  // Workers tell themselves apart at their first event; ours hands out tids the other way.
  std::vector<ContentCandidate> canary{Cand(17, {1, 50, 9}), Cand(18, {1, 51, 9})};
  std::vector<ContentCandidate> ours{Cand(37, {1, 51, 9}), Cand(40, {1, 50, 9})};
  de::ContentScorer scorer(canary, ours, 256);
  CHECK(scorer.BestAssignment() == Assignment{{0, 1}, {1, 0}});
  de::PairingConfidence c = scorer.Confidence(0, 1);
  CHECK(c.score == 3);
  CHECK(c.window == 3);
  REQUIRE(c.runner_up);
  CHECK(*c.runner_up == 1);
  CHECK_FALSE(c.ambiguous);
}

TEST_CASE("One early difference does not sink a true pair", "[content]") {
  // Both pairs differ at event 0; what follows tells them apart (shifted by one in ours).
  std::vector<ContentCandidate> canary{Cand(1, {7, 10, 11, 12, 13}), Cand(2, {7, 20, 21, 22, 23})};
  std::vector<ContentCandidate> ours{Cand(5, {8, 99, 20, 21, 22}), Cand(6, {8, 10, 11, 12, 13})};
  de::ContentScorer scorer(canary, ours, 256);
  CHECK(scorer.BestAssignment() == Assignment{{0, 1}, {1, 0}});
  CHECK(scorer.Confidence(0, 1).ambiguous);  // the prefix alone could not tell: say so
}

TEST_CASE("Confidence: no other candidate, ties and full matches", "[content]") {
  std::vector<ContentCandidate> one{Cand(1, {1, 2})};
  de::ContentScorer alone(one, one, 256);
  CHECK_FALSE(alone.Confidence(0, 0).runner_up);
  CHECK(alone.Confidence(0, 0).score == 2);

  // Identical threads: every choice is as good, and nothing differs within the window.
  std::vector<ContentCandidate> twins{Cand(1, {1, 2}), Cand(2, {1, 2})};
  de::ContentScorer same(twins, twins, 256);
  CHECK(same.BestAssignment() == Assignment{{0, 0}, {1, 1}});
  CHECK(*same.Confidence(0, 0).runner_up == 2);
  CHECK_FALSE(same.Confidence(0, 0).ambiguous);

  // The window caps what is compared.
  std::vector<ContentCandidate> longer{Cand(1, {1, 2, 3, 4})};
  std::vector<ContentCandidate> other{Cand(2, {1, 2, 3, 9})};
  CHECK(de::ContentScorer(longer, other, 2).Confidence(0, 0).score == 2);
  CHECK(de::ContentScorer(longer, other, 2).Confidence(0, 0).window == 2);
}

TEST_CASE("The trie assignment maximises the summed common prefix", "[content]") {
  std::mt19937 rng(7);
  for (int round = 0; round < 500; ++round) {
    auto make = [&](uint64_t base) {
      std::vector<ContentCandidate> side;
      size_t n = rng() % 5;
      for (size_t i = 0; i < n; ++i) {
        std::vector<uint64_t> prefix(1 + rng() % 4);
        for (auto& v : prefix) v = rng() % 2;
        side.push_back(Cand(base + i, prefix));
      }
      return side;
    };
    std::vector<ContentCandidate> c = make(1), o = make(100);
    de::ContentScorer scorer(c, o, 3);
    size_t total = 0;
    std::vector<bool> c_used(c.size()), o_used(o.size());
    for (auto [ci, oi] : scorer.BestAssignment()) {
      REQUIRE_FALSE(c_used[ci]);
      REQUIRE_FALSE(o_used[oi]);
      c_used[ci] = o_used[oi] = true;
      total += scorer.Confidence(ci, oi).score;
    }
    CHECK(scorer.BestAssignment().size() == std::min(c.size(), o.size()));
    CHECK(total == BestTotal(c, o, 3));
  }
}

TEST_CASE("A large group pairs in linear time and in order of appearance", "[content]") {
  std::vector<ContentCandidate> c, o;
  for (uint64_t i = 0; i < 100000; ++i) {
    c.push_back(Cand(i + 1, {i % 1000}, i + 1));
    o.push_back(Cand(i + 1000000, {i % 1000}, i + 1));
  }
  de::ContentScorer scorer(c, o, 256);
  Assignment a = scorer.BestAssignment();
  REQUIRE(a.size() == 100000);
  for (auto [ci, oi] : a) CHECK(ci == oi);
}

TEST_CASE("Policies: content settles mid-stream only on whole-window matches", "[content]") {
  auto content = de::MakePairingPolicy(de::PairBy::kContent, 4);
  std::vector<ContentCandidate> c{Cand(1, {1, 2, 3, 4}), Cand(2, {5, 6, 7, 8})};
  std::vector<ContentCandidate> o{Cand(10, {1, 2, 3, 4}), Cand(11, {5, 6, 0, 0})};
  de::PairingRound mid;
  auto settled = content->Propose(c, o, mid);
  REQUIRE(settled.size() == 1);
  CHECK(settled[0].canary_tid == 1);
  CHECK(settled[0].ours_tid == 10);
  de::PairingRound end;
  end.final = true;
  CHECK(content->Propose(c, o, end).size() == 2);
}

TEST_CASE("Policies: first-call pairs in ascending tid order, scores kept", "[content]") {
  auto first_call = de::MakePairingPolicy(de::PairBy::kFirstCall, 256);
  std::vector<ContentCandidate> c{Cand(8, {2}), Cand(7, {1})};
  std::vector<ContentCandidate> o{Cand(30, {1}), Cand(20, {2})};
  de::PairingRound end;
  end.final = true;
  auto pairs = first_call->Propose(c, o, end);
  REQUIRE(pairs.size() == 2);
  CHECK(pairs[0].canary_tid == 7);
  CHECK(pairs[0].ours_tid == 20);
  CHECK(pairs[0].confidence.score == 0);
  CHECK(pairs[0].confidence.ambiguous);  // the swap a content pairing would avoid
  CHECK(first_call->Propose(c, o, de::PairingRound{}).empty());  // mid-stream: not a lone couple
  de::PairingRound lone;
  lone.whole_group = true;
  CHECK(first_call->Propose({c[0]}, {o[0]}, lone).size() == 1);
  CHECK(de::ParsePairBy("content") == de::PairBy::kContent);
  CHECK_FALSE(de::ParsePairBy("tid"));
}

TEST_CASE("Thread registry: states change only through its transitions", "[content]") {
  de::ThreadRegistry registry(true, false);
  de::ThreadStream& a = registry.Get(5);
  de::ThreadStream& b = registry.Get(3);
  CHECK(a.buffering());
  CHECK(&registry.Get(5) == &a);
  CHECK(registry.Find(4) == nullptr);
  CHECK(registry.Buffering() == std::vector<de::ThreadStream*>{&b, &a});  // by tid
  de::DecodedEvent e;
  b.pending.push_back(e, "text");
  CHECK(b.pending.front().raw.empty());  // rereadable input: offsets only
  registry.MarkPaired(b, 0);
  CHECK(b.paired());
  CHECK(registry.PairedPending() == 1);
  registry.Drop(a);
  CHECK(a.state == de::ThreadState::kDropped);
  CHECK(registry.Buffering().empty());
  CHECK(registry.All().size() == 2);
}

TEST_CASE("Input scheduler reads the side that is behind", "[content]") {
  CHECK(de::ReadCanaryNext({false, 100, 0}, {true, 0, 0}));
  CHECK_FALSE(de::ReadCanaryNext({true, 0, 0}, {false, 100, 0}));
  CHECK(de::ReadCanaryNext({false, 10, 0}, {false, 20, 0}));           // fewer bytes
  CHECK_FALSE(de::ReadCanaryNext({false, 10, 9000}, {false, 20, 0}));  // canary has waiting
  CHECK(de::ReadCanaryNext({false, 50, 0}, {false, 20, 9000}));        // ours has waiting
}
