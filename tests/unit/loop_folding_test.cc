#include "diff_events/align/loop_folding.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

using de::ClassifiedHunk;
using de::EditHunk;
using de::FoldedItem;
using de::FoldOptions;
using de::KeySpan;
using Keys = std::vector<uint64_t>;
using Items = std::vector<FoldedItem>;

namespace Catch {
template <>
struct StringMaker<FoldedItem> {
  static std::string convert(const FoldedItem& item) {
    return "{key " + std::to_string(item.key) + ", period " + std::to_string(item.period) +
           ", repeats " + std::to_string(item.repeats) + ", start " + std::to_string(item.start) +
           "}";
  }
};
}  // namespace Catch

namespace {

FoldedItem Item(uint64_t key, uint32_t period, uint64_t repeats, uint64_t start) {
  return {key, period, repeats, start};
}

uint64_t Key2(uint64_t x, uint64_t y) { return de::CycleKey(Keys{x, y}); }

Keys Repeat(const Keys& cycle, size_t times) {
  Keys keys;
  for (size_t i = 0; i < times; ++i) keys.insert(keys.end(), cycle.begin(), cycle.end());
  return keys;
}

Keys Concat(std::initializer_list<Keys> parts) {
  Keys keys;
  for (const Keys& part : parts) keys.insert(keys.end(), part.begin(), part.end());
  return keys;
}

// The folding rule with the whole stream in view: at each position the qualifying primitive
// cycle covering the most elements, ties to the shorter period.
Items ReferenceFold(const Keys& keys, size_t max_period, uint64_t min_repeats) {
  Items items;
  size_t s = 0;
  while (s < keys.size()) {
    size_t best = 1, best_cover = 0;
    for (size_t p = 1; p <= max_period && s + p <= keys.size(); ++p) {
      size_t agree = s + p;
      while (agree < keys.size() && keys[agree] == keys[agree - p]) ++agree;
      agree -= s;
      bool primitive = true;
      for (size_t g = 1; g < p; ++g) {
        bool has_period_g = p % g == 0;
        for (size_t i = g; has_period_g && i < p; ++i)
          has_period_g = keys[s + i] == keys[s + i - g];
        if (has_period_g) primitive = false;
      }
      size_t repeats = agree / p;
      if (primitive && repeats >= min_repeats && repeats * p > best_cover) {
        best = p;
        best_cover = repeats * p;
      }
    }
    uint64_t repeats = best_cover > 0 ? best_cover / best : 1;
    items.push_back(
        {de::CycleKey(KeySpan(keys.data() + s, best)), static_cast<uint32_t>(best), repeats, s});
    s += best * repeats;
  }
  return items;
}

// The unfolded stream rebuilt from the items, each repeating the cycle found at its start.
Keys UnfoldFrom(const Items& items, const Keys& keys) {
  Keys out;
  for (const FoldedItem& item : items) {
    for (uint64_t r = 0; r < item.repeats; ++r) {
      for (size_t i = 0; i < item.period; ++i) out.push_back(keys[item.start + i]);
    }
  }
  return out;
}

void CheckTiling(const Items& items, const Keys& keys) {
  uint64_t pos = 0;
  for (const FoldedItem& item : items) {
    REQUIRE(item.start == pos);
    REQUIRE(item.repeats >= 1);
    REQUIRE(item.key == de::CycleKey(KeySpan(keys.data() + item.start, item.period)));
    if (item.period > 1) REQUIRE(item.repeats >= 2);
    pos = item.end();
  }
  REQUIRE(pos == keys.size());
  REQUIRE(UnfoldFrom(items, keys) == keys);
}

Keys RandomWithLoops(std::mt19937_64& rng, size_t target, uint64_t alphabet) {
  std::uniform_int_distribution<uint64_t> pick(0, alphabet - 1);
  std::uniform_int_distribution<size_t> period(1, 10), times(1, 6), coin(0, 2);
  Keys keys;
  while (keys.size() < target) {
    if (coin(rng) == 0) {
      Keys cycle(period(rng));
      for (uint64_t& k : cycle) k = pick(rng);
      Keys loop = Repeat(cycle, times(rng));
      keys.insert(keys.end(), loop.begin(), loop.end());
    } else {
      keys.push_back(pick(rng));
    }
  }
  return keys;
}

}  // namespace

TEST_CASE("LoopFolder hand cases", "[loop_folding]") {
  SECTION("empty") { CHECK(de::FoldLoops(Keys{}).empty()); }
  SECTION("no loops: one item per element, its own key") {
    CHECK(de::FoldLoops(Keys{7, 8, 9}) ==
          Items{Item(7, 1, 1, 0), Item(8, 1, 1, 1), Item(9, 1, 1, 2)});
  }
  SECTION("a run of one key") {
    CHECK(de::FoldLoops(Keys{1, 5, 5, 5, 5, 2}) ==
          Items{Item(1, 1, 1, 0), Item(5, 1, 4, 1), Item(2, 1, 1, 5)});
  }
  SECTION("call/return pairs") {
    CHECK(de::FoldLoops(Concat({{9}, Repeat({3, 4}, 3), {9}})) ==
          Items{Item(9, 1, 1, 0), Item(Key2(3, 4), 2, 3, 1), Item(9, 1, 1, 7)});
  }
  SECTION("a cycle seen once is not a loop") { CHECK(de::FoldLoops(Keys{3, 4, 9}).size() == 3); }
  SECTION("the longest cover wins over a shorter period's") {
    // A A B A A B A A B: the period-3 loop, not A×2 then B.
    Keys keys = Repeat({1, 1, 2}, 3);
    CHECK(de::FoldLoops(keys) == Items{Item(de::CycleKey(Keys{1, 1, 2}), 3, 3, 0)});
  }
  SECTION("a repeated cycle is folded at its root period") {
    CHECK(de::FoldLoops(Keys{5, 5, 5, 5}) == Items{Item(5, 1, 4, 0)});
    CHECK(de::FoldLoops(Repeat({3, 4}, 4)) == Items{Item(Key2(3, 4), 2, 4, 0)});
  }
  SECTION("an unfinished last repeat is folded on its own") {
    CHECK(de::FoldLoops(Concat({Repeat({3, 4}, 3), {3, 8}})) ==
          Items{Item(Key2(3, 4), 2, 3, 0), Item(3, 1, 1, 6), Item(8, 1, 1, 7)});
    CHECK(de::FoldLoops(Concat({Repeat({3, 4}, 3), {3}})) ==
          Items{Item(Key2(3, 4), 2, 3, 0), Item(3, 1, 1, 6)});
  }
  SECTION("a loop right after another") {
    CHECK(de::FoldLoops(Concat({Repeat({3, 4}, 2), Repeat({6}, 3)})) ==
          Items{Item(Key2(3, 4), 2, 2, 0), Item(6, 1, 3, 4)});
  }
  SECTION("options") {
    FoldOptions three;
    three.min_repeats = 3;
    CHECK(de::FoldLoops(Repeat({3, 4}, 2), three).size() == 4);
    CHECK(de::FoldLoops(Repeat({3, 4}, 3), three) == Items{Item(Key2(3, 4), 2, 3, 0)});
    FoldOptions off;
    off.max_period = 0;
    CHECK(de::FoldLoops(Keys{5, 5, 5}, off).size() == 3);
    FoldOptions short_cycles;
    short_cycles.max_period = 2;
    CHECK(de::FoldLoops(Repeat({1, 2, 3}, 4), short_cycles).size() == 12);
  }
}

TEST_CASE("Loops that ran a different number of times differ only in the count", "[loop_folding]") {
  Keys canary = Concat({{1, 2}, Repeat({30, 31}, 5501), {7}});
  Keys ours = Concat({{1, 2}, Repeat({30, 31}, 5300), {7}});
  Items a = de::FoldLoops(canary), b = de::FoldLoops(ours);
  REQUIRE(a.size() == 4);
  REQUIRE(b.size() == 4);
  CHECK(a[2] == Item(Key2(30, 31), 2, 5501, 2));
  CHECK(b[2] == Item(Key2(30, 31), 2, 5300, 2));
  CHECK(a[3].start == 11004);
  CHECK(b[3].start == 10602);
  // Compared by key, the folded streams are equal: the aligner tells the counts apart.
  Keys a_keys, b_keys;
  for (const FoldedItem& item : a) a_keys.push_back(item.key);
  for (const FoldedItem& item : b) b_keys.push_back(item.key);
  CHECK(de::DiffSequences(a_keys, b_keys).empty());
}

TEST_CASE("LoopFolder streams the same items as folding with the whole stream in view",
          "[loop_folding]") {
  std::mt19937_64 rng(1234);
  for (uint64_t alphabet : {1, 2, 3, 5, 50}) {
    for (size_t max_period : {1, 3, 8}) {
      for (uint64_t min_repeats : {2, 3}) {
        for (int round = 0; round < 60; ++round) {
          Keys keys = RandomWithLoops(rng, 150, alphabet);
          INFO("alphabet " << alphabet << ", period " << max_period << ", repeats " << min_repeats
                           << ", round " << round);
          FoldOptions options;
          options.max_period = max_period;
          options.min_repeats = min_repeats;
          Items items = de::FoldLoops(keys, options);
          CheckTiling(items, keys);
          REQUIRE(items == ReferenceFold(keys, max_period, min_repeats));
        }
      }
    }
  }
}

TEST_CASE("LoopFolder holds O(period) keys however long the loop", "[loop_folding]") {
  std::mt19937_64 rng(77);
  FoldOptions options;  // period 8, 2 repeats
  const uint64_t bound = (options.min_repeats + 2) * options.max_period;
  Keys keys = Concat({RandomWithLoops(rng, 3000, 4), Repeat({1, 2, 3}, 20000), {9}});
  de::LoopFolder folder(options);
  Items items;
  for (size_t n = 0; n < keys.size(); ++n) {
    folder.Push(keys[n], items);
    uint64_t pushed = n + 1;
    if (auto loop = folder.open_loop()) {
      // Counting: only the cycle is kept, and the unfinished repeat is shorter than it.
      REQUIRE(loop->start == folder.pending_start());
      REQUIRE(pushed - loop->end() < loop->period);
    } else {
      REQUIRE(pushed - folder.pending_start() <= bound);
    }
    REQUIRE((items.empty() ? 0 : items.back().end()) == folder.pending_start());
  }
  folder.Finish(items);
  CheckTiling(items, keys);
  REQUIRE(items.size() >= 2);
  CHECK(items.back() == Item(9, 1, 1, keys.size() - 1));
  CHECK(items[items.size() - 2].key == de::CycleKey(Keys{1, 2, 3}));
  CHECK(items[items.size() - 2].repeats >= 20000);
}

TEST_CASE("open_loop shows the loop being counted", "[loop_folding]") {
  de::LoopFolder folder;
  Items items;
  folder.Push(9, items);
  for (int i = 0; i < 50; ++i) folder.Push(i % 2 == 0 ? 3 : 4, items);
  auto loop = folder.open_loop();
  REQUIRE(loop);
  CHECK(*loop == Item(Key2(3, 4), 2, 25, 1));
  CHECK(items == Items{Item(9, 1, 1, 0)});
  folder.Push(8, items);
  CHECK_FALSE(folder.open_loop());
  folder.Finish(items);
  CHECK(items == Items{Item(9, 1, 1, 0), Item(Key2(3, 4), 2, 25, 1), Item(8, 1, 1, 51)});
}

TEST_CASE("Unfold maps item ranges back to the unfolded stream", "[loop_folding]") {
  Items items = de::FoldLoops(Concat({{1}, Repeat({3, 4}, 10), {5}, Repeat({6}, 4)}));
  REQUIRE(items.size() == 4);
  CHECK(de::Unfold(items, 0, 1, 0).start == 0);
  CHECK(de::Unfold(items, 1, 1, 0).count == 20);
  CHECK(de::Unfold(items, 1, 2, 0).start == 1);
  CHECK(de::Unfold(items, 1, 2, 0).count == 21);
  CHECK(de::Unfold(items, 3, 1, 0).start == 22);
  CHECK(de::Unfold(items, 3, 1, 0).count == 4);
  // Empty ranges (one side of an insertion) sit between items, or at the end.
  CHECK(de::Unfold(items, 2, 0, 0).start == 21);
  CHECK(de::Unfold(items, 2, 0, 0).count == 0);
  CHECK(de::Unfold(items, 4, 0, 0).start == 26);
  CHECK(de::Unfold({}, 0, 0, 500).start == 500);
}

TEST_CASE("IsReordered", "[loop_folding]") {
  CHECK(de::IsReordered(Keys{1, 2}, Keys{2, 1}));
  CHECK(de::IsReordered(Keys{1, 2, 2, 3}, Keys{2, 3, 1, 2}));
  CHECK_FALSE(de::IsReordered(Keys{1, 2}, Keys{1, 2}));
  CHECK_FALSE(de::IsReordered(Keys{1, 2, 2}, Keys{2, 1, 1}));
  CHECK_FALSE(de::IsReordered(Keys{1, 2}, Keys{2, 1, 1}));
  CHECK_FALSE(de::IsReordered(Keys{}, Keys{}));
}

namespace {

std::vector<ClassifiedHunk> Merged(const Keys& a, const Keys& b, size_t gap = 8) {
  return de::MergeReorderedHunks(de::DiffSequences(a, b), a, b, gap);
}

}  // namespace

TEST_CASE("MergeReorderedHunks joins a swap into one reordered hunk", "[loop_folding]") {
  using Classified = std::vector<ClassifiedHunk>;
  SECTION("two call/return pairs swapped") {
    Keys a = {9, 1, 2, 3, 4, 9}, b = {9, 3, 4, 1, 2, 9};
    REQUIRE(de::DiffSequences(a, b).size() == 2);  // a deletion and an insertion
    CHECK(Merged(a, b) == Classified{{{1, 4, 1, 4}, true}});
  }
  SECTION("two adjacent events swapped") {
    CHECK(Merged({1, 2, 7}, {2, 1, 7}) == Classified{{{0, 2, 0, 2}, true}});
  }
  SECTION("further apart than the gap: left alone") {
    Keys middle = {10, 11, 12, 13, 14, 15, 16, 17, 18};
    Keys a = Concat({{1, 2}, middle}), b = Concat({middle, {1, 2}});
    CHECK(Merged(a, b) == Classified{{{0, 2, 0, 0}, false}, {{11, 0, 9, 2}, false}});
    CHECK(Merged(a, b, 9) == Classified{{{0, 11, 0, 11}, true}});
  }
  SECTION("two separate swaps stay two hunks") {
    Keys a = {1, 2, 3, 4, 9, 5, 6, 7, 8}, b = {3, 4, 1, 2, 9, 7, 8, 5, 6};
    CHECK(Merged(a, b) == Classified{{{0, 4, 0, 4}, true}, {{5, 4, 5, 4}, true}});
  }
  SECTION("real differences are not reordered") {
    CHECK(Merged({1, 2, 3, 4}, {1, 7, 3, 8}) ==
          Classified{{{1, 1, 1, 1}, false}, {{3, 1, 3, 1}, false}});
    // The second hunk cannot balance the first: it stays a replacement.
    CHECK(Merged({1, 2, 5, 3}, {2, 1, 5, 4}) ==
          Classified{{{0, 2, 0, 2}, true}, {{3, 1, 3, 1}, false}});
  }
  SECTION("a single hunk that is a permutation") {
    Keys a = {1, 2, 3}, b = {3, 1, 2};
    CHECK(de::MergeReorderedHunks({{0, 3, 0, 3}}, a, b) == Classified{{{0, 3, 0, 3}, true}});
  }
}
