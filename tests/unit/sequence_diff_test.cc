#include "diff_events/align/sequence_diff.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

using de::EditHunk;
using de::KeySpan;
using de::ResyncOptions;
using de::ResyncStatus;
using Keys = std::vector<uint64_t>;
using Hunks = std::vector<EditHunk>;

namespace {

// The textbook O(NM) dynamic programme, two rows at a time.
size_t BruteForceLcs(const Keys& a, const Keys& b) {
  std::vector<size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// Empty when the script is well formed and turns a into b; otherwise what is wrong.
std::string ScriptProblem(const Keys& a, const Keys& b, const Hunks& hunks) {
  size_t a_pos = 0, b_pos = 0;
  for (size_t i = 0; i <= hunks.size(); ++i) {
    size_t a_next = i < hunks.size() ? hunks[i].a_start : a.size();
    size_t b_next = i < hunks.size() ? hunks[i].b_start : b.size();
    if (a_next < a_pos || b_next < b_pos) return "hunks out of order";
    if (a_next - a_pos != b_next - b_pos) return "matched stretches differ in length";
    if (i > 0 && i < hunks.size() && a_next == a_pos) return "adjacent hunks";
    for (size_t k = 0; k < a_next - a_pos; ++k) {
      if (a[a_pos + k] != b[b_pos + k]) return "a matched pair differs";
    }
    if (i == hunks.size()) break;
    const EditHunk& h = hunks[i];
    if (h.a_count == 0 && h.b_count == 0) return "empty hunk";
    if (h.a_end() > a.size() || h.b_end() > b.size()) return "hunk past the end";
    a_pos = h.a_end();
    b_pos = h.b_end();
  }
  return "";
}

// The canonical placement: no pure insertion or deletion could move one element later.
bool PlacedLate(const Keys& a, const Keys& b, const Hunks& hunks) {
  for (size_t i = 0; i < hunks.size(); ++i) {
    const EditHunk& h = hunks[i];
    size_t next_a = i + 1 < hunks.size() ? hunks[i + 1].a_start : a.size();
    if (next_a == h.a_end()) continue;
    if (h.a_count == 0 && b[h.b_start] == b[h.b_end()]) return false;
    if (h.b_count == 0 && a[h.a_start] == a[h.a_end()]) return false;
  }
  return true;
}

Keys RandomKeys(std::mt19937_64& rng, size_t size, uint64_t alphabet) {
  std::uniform_int_distribution<uint64_t> pick(0, alphabet - 1);
  Keys keys(size);
  for (uint64_t& k : keys) k = pick(rng);
  return keys;
}

// b = a with sparse random deletions, insertions and replacements.
Keys Mutate(std::mt19937_64& rng, const Keys& a, uint64_t alphabet, double rate) {
  std::uniform_real_distribution<double> coin(0, 1);
  std::uniform_int_distribution<uint64_t> pick(0, alphabet - 1);
  Keys b;
  for (uint64_t k : a) {
    double c = coin(rng);
    if (c < rate / 3) continue;
    if (c < 2 * rate / 3) b.push_back(pick(rng));
    b.push_back(c < rate ? pick(rng) : k);
  }
  return b;
}

void CheckMinimalScript(const Keys& a, const Keys& b) {
  Hunks hunks = de::DiffSequences(a, b);
  INFO("a size " << a.size() << ", b size " << b.size() << ", " << hunks.size() << " hunks");
  REQUIRE(ScriptProblem(a, b, hunks).empty());
  REQUIRE(de::MatchedCount(hunks, a.size()) == BruteForceLcs(a, b));
  REQUIRE(PlacedLate(a, b, hunks));
}

Hunks Diff(const Keys& a, const Keys& b) { return de::DiffSequences(a, b); }

}  // namespace

TEST_CASE("DiffSequences is minimal on random small sequences", "[sequence_diff]") {
  std::mt19937_64 rng(20240601);
  std::uniform_int_distribution<size_t> size(0, 40);
  for (uint64_t alphabet = 1; alphabet <= 5; ++alphabet) {
    for (int round = 0; round < 1500; ++round) {
      Keys a = RandomKeys(rng, size(rng), alphabet);
      Keys b = RandomKeys(rng, size(rng), alphabet);
      INFO("alphabet " << alphabet << ", round " << round);
      CheckMinimalScript(a, b);
      CheckMinimalScript(b, a);
      // Near-equal pairs exercise the snakes and the sliding more than unrelated ones.
      CheckMinimalScript(a, Mutate(rng, a, alphabet, 0.2));
    }
  }
}

TEST_CASE("DiffSequences gives the same script for the same input", "[sequence_diff]") {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200; ++round) {
    Keys a = RandomKeys(rng, 30, 3), b = RandomKeys(rng, 25, 3);
    CHECK(Diff(a, b) == Diff(Keys(a), Keys(b)));
  }
}

TEST_CASE("DiffSequences hand cases", "[sequence_diff]") {
  SECTION("both empty") { CHECK(Diff({}, {}).empty()); }
  SECTION("equal") { CHECK(Diff({1, 2, 3}, {1, 2, 3}).empty()); }
  SECTION("one empty") {
    CHECK(Diff({}, {1, 2}) == Hunks{{0, 0, 0, 2}});
    CHECK(Diff({1, 2, 3}, {}) == Hunks{{0, 3, 0, 0}});
  }
  SECTION("one inserted") { CHECK(Diff({1, 2, 3}, {1, 2, 9, 3}) == Hunks{{2, 0, 2, 1}}); }
  SECTION("one deleted") { CHECK(Diff({1, 2, 9, 3}, {1, 2, 3}) == Hunks{{2, 1, 2, 0}}); }
  SECTION("one replaced") { CHECK(Diff({1, 2, 3}, {1, 7, 3}) == Hunks{{1, 1, 1, 1}}); }
  SECTION("a shift by two") {
    // b lost the first two elements and gained two at the end.
    CHECK(Diff({1, 2, 3, 4, 5, 6, 7, 8}, {3, 4, 5, 6, 7, 8, 9, 10}) ==
          Hunks{{0, 2, 0, 0}, {8, 0, 6, 2}});
  }
  SECTION("an extra repeat is reported after the matching ones, as lockstep finds it") {
    CHECK(Diff({1, 2, 2, 3}, {1, 2, 2, 2, 3}) == Hunks{{3, 0, 3, 1}});
    // call/return pairs: the third pair is the extra one.
    CHECK(Diff({5, 6, 5, 6, 9}, {5, 6, 5, 6, 5, 6, 9}) == Hunks{{4, 0, 4, 2}});
    CHECK(Diff({5, 6, 5, 6, 5, 6, 9}, {5, 6, 5, 6, 9}) == Hunks{{4, 2, 4, 0}});
  }
  SECTION("separate differences stay separate hunks") {
    CHECK(Diff({1, 2, 3, 4, 5}, {1, 9, 3, 4, 8, 5}) == Hunks{{1, 1, 1, 1}, {4, 0, 4, 1}});
  }
}

TEST_CASE("DiffSequences on 4096 vs 4096 unrelated elements", "[sequence_diff]") {
  // D = N + M, the worst case for Myers: the linear-space recursion keeps two diagonal arrays of
  // N + M + 3 entries whatever D is.
  Keys a(4096), b(4096);
  for (size_t i = 0; i < a.size(); ++i) {
    a[i] = i;
    b[i] = 1000000 + i;
  }
  CHECK(Diff(a, b) == Hunks{{0, 4096, 0, 4096}});
}

TEST_CASE("DiffSequences is minimal on 4096-element windows", "[sequence_diff]") {
  std::mt19937_64 rng(99);
  for (uint64_t alphabet : {4, 1000}) {
    Keys a = RandomKeys(rng, 4096, alphabet);
    Keys b = Mutate(rng, a, alphabet, 0.05);
    INFO("alphabet " << alphabet);
    CheckMinimalScript(a, b);
  }
  Keys a = RandomKeys(rng, 4096, 4), b = RandomKeys(rng, 4096, 4);
  CheckMinimalScript(a, b);
}

TEST_CASE("FindResync reports the hunks before the sides agree for anchor elements",
          "[sequence_diff]") {
  ResyncOptions options;
  options.anchor = 4;
  SECTION("an insertion, then in step") {
    auto r = de::FindResync(Keys{1, 2, 3, 4, 5, 6}, Keys{9, 1, 2, 3, 4, 5}, options);
    CHECK(r.status == ResyncStatus::kResynced);
    CHECK(r.hunks == Hunks{{0, 0, 0, 1}});
    CHECK(r.a_resume == 0);
    CHECK(r.b_resume == 1);
  }
  SECTION("short agreement between two differences does not settle the first one alone") {
    auto r = de::FindResync(Keys{7, 1, 8, 2, 3, 4, 5}, Keys{6, 1, 9, 2, 3, 4, 5}, options);
    CHECK(r.status == ResyncStatus::kResynced);
    CHECK(r.hunks == Hunks{{0, 1, 0, 1}, {2, 1, 2, 1}});
    CHECK(r.a_resume == 3);
    CHECK(r.b_resume == 3);
  }
  SECTION("no anchor: the open trailing hunk is left for the next window") {
    auto r = de::FindResync(Keys{7, 1, 2, 8, 8}, Keys{6, 1, 2, 9, 9}, options);
    CHECK(r.status == ResyncStatus::kNoResync);
    CHECK(r.hunks == Hunks{{0, 1, 0, 1}});
    CHECK(r.a_resume == 1);
  }
  SECTION("no anchor and nothing else: the whole window is one hunk") {
    auto r = de::FindResync(Keys{7, 7, 7}, Keys{6, 6}, options);
    CHECK(r.status == ResyncStatus::kNoResync);
    CHECK(r.hunks == Hunks{{0, 3, 0, 2}});
    CHECK(r.a_resume == 3);
    CHECK(r.b_resume == 2);
  }
  SECTION("both sides complete: everything is settled") {
    options.a_complete = options.b_complete = true;
    auto r = de::FindResync(Keys{7, 1, 2, 8}, Keys{6, 1, 2}, options);
    CHECK(r.status == ResyncStatus::kSettled);
    CHECK(r.hunks == Hunks{{0, 1, 0, 1}, {3, 1, 3, 0}});
    CHECK(r.a_resume == 4);
    CHECK(r.b_resume == 3);
  }
  SECTION("a complete side fully matched: settled, the other side's tail left open") {
    options.a_complete = true;
    auto r = de::FindResync(Keys{1, 2}, Keys{9, 1, 2, 5, 6}, options);
    CHECK(r.status == ResyncStatus::kSettled);
    CHECK(r.hunks == Hunks{{0, 0, 0, 1}});
    CHECK(r.a_resume == 0);
    CHECK(r.b_resume == 1);
  }
  SECTION("a complete side not fully matched is not settled: later input could match it") {
    options.a_complete = true;
    auto r = de::FindResync(Keys{8, 2}, Keys{2, 5, 6}, options);
    CHECK(r.status == ResyncStatus::kNoResync);
  }
}

namespace {

// The aligner's loop as sequence_diff.h describes it: lockstep, and at each divergence a window
// of up to `window` elements per side.
Hunks StreamingDiff(const Keys& a, const Keys& b, size_t window, size_t anchor) {
  Hunks out;
  auto emit = [&out](EditHunk h) {
    if (!out.empty() && out.back().a_end() == h.a_start && out.back().b_end() == h.b_start) {
      out.back().a_count += h.a_count;
      out.back().b_count += h.b_count;
    } else {
      out.push_back(h);
    }
  };
  size_t pa = 0, pb = 0;
  for (;;) {
    while (pa < a.size() && pb < b.size() && a[pa] == b[pb]) ++pa, ++pb;
    if (pa == a.size() || pb == b.size()) {
      if (pa < a.size() || pb < b.size()) emit({pa, a.size() - pa, pb, b.size() - pb});
      return out;
    }
    size_t la = std::min(window, a.size() - pa), lb = std::min(window, b.size() - pb);
    ResyncOptions options;
    options.anchor = anchor;
    options.a_complete = pa + la == a.size();
    options.b_complete = pb + lb == b.size();
    auto r = de::FindResync(KeySpan(a.data() + pa, la), KeySpan(b.data() + pb, lb), options);
    REQUIRE(r.a_resume + r.b_resume > 0);  // progress
    for (EditHunk h : r.hunks) emit({pa + h.a_start, h.a_count, pb + h.b_start, h.b_count});
    pa += r.a_resume;
    pb += r.b_resume;
  }
}

}  // namespace

TEST_CASE("FindResync in the aligner's loop gives a valid script, minimal for sparse differences",
          "[sequence_diff]") {
  std::mt19937_64 rng(4242);
  for (int round = 0; round < 40; ++round) {
    // A large alphabet: a chance run of `anchor` equal elements does not happen, so each stretch
    // fits in its window and the result must be minimal over the whole streams.
    Keys a = RandomKeys(rng, 1500, 100000);
    Keys b = Mutate(rng, a, 100000, 0.03);
    Hunks hunks = StreamingDiff(a, b, 256, de::kDefaultResyncAnchor);
    INFO("round " << round);
    REQUIRE(ScriptProblem(a, b, hunks).empty());
    CHECK(de::MatchedCount(hunks, a.size()) == BruteForceLcs(a, b));
  }
  for (uint64_t alphabet = 1; alphabet <= 5; ++alphabet) {
    for (int round = 0; round < 200; ++round) {
      // Small alphabets and windows: only validity is promised.
      Keys a = RandomKeys(rng, 120, alphabet);
      Keys b = Mutate(rng, a, alphabet, 0.3);
      INFO("alphabet " << alphabet << ", round " << round);
      REQUIRE(ScriptProblem(a, b, StreamingDiff(a, b, 16, 4)).empty());
    }
  }
}
