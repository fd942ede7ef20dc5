// Past the first divergence with noise: folded loops (loop-count hunks, a loop in progress at the
// divergence), reordered hunks (merged, --reorder-window) and --ignore-reordered, on in-memory
// logs run end to end, plus the tail tracker lockstep comparison keeps.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "diff_events/align/diff_session.h"
#include "diff_events/align/loop_folding.h"
#include "diff_events/align/resynchronizer.h"
#include "diff_events/io/input.h"

namespace {

using Keys = std::vector<uint64_t>;

// A thread's log from call names: "A" is a call/return pair of A.
std::string Log(uint64_t tid, const std::vector<std::string>& calls) {
  std::string log = R"({"kind":"schema_version","schema_version":1,"engine":"mem"})"
                    "\n";
  uint64_t idx = 0;
  auto line = [&](const char* kind, const std::string& payload) {
    log += R"({"tid":)" + std::to_string(tid) + R"(,"tid_event_idx":)" + std::to_string(idx++) +
           R"(,"kind":")" + kind + R"(","payload":)" + payload + "}\n";
  };
  line("kernel.call", R"({"name":"Start","args_resolved":{}})");
  for (const std::string& name : calls) {
    line("kernel.call", R"({"name":")" + name + R"(","args_resolved":{}})");
    line("kernel.return", R"({"name":")" + name + R"(","return_value":0})");
  }
  return log;
}

std::vector<std::string> Calls(std::initializer_list<std::pair<const char*, size_t>> runs) {
  std::vector<std::string> calls;
  for (const auto& [name, times] : runs) calls.insert(calls.end(), times, name);
  return calls;
}

// Distinct work calls W0.., so that nothing folds or matches by accident.
std::vector<std::string> Work(const std::string& tag, size_t n) {
  std::vector<std::string> calls;
  for (size_t i = 0; i < n; ++i) calls.push_back(tag + std::to_string(i));
  return calls;
}

std::vector<std::string> Cat(std::vector<std::vector<std::string>> parts) {
  std::vector<std::string> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

de::PairResult DiffOne(const std::vector<std::string>& canary, const std::vector<std::string>& ours,
                       de::DiffOptions options = {}) {
  de::DiffResult r = de::RunDiff(de::MemoryInput(Log(5, canary), "c", false),
                                 de::MemoryInput(Log(9, ours), "o", true), options);
  REQUIRE(r.pairs.size() == 1);
  return r.pairs[0];
}

}  // namespace

TEST_CASE("TailLoopTracker: the loop a prefix ends in", "[noise]") {
  de::TailLoopTracker t(8);
  Keys keys{7, 8, 1, 2, 1, 2, 1};  // x y (A B)(A B) A
  for (size_t i = 0; i < keys.size(); ++i) t.Push(keys[i], 100 + i);
  auto loop = t.Current();
  REQUIRE(loop);
  CHECK(loop->period == 2);
  CHECK(loop->start == 2);
  CHECK(loop->repeats == 2);
  CHECK(loop->phase == 1);
  CHECK(loop->first_idx == 102);
  CHECK(loop->cycle == Keys{1, 2});

  de::TailLoopTracker runs(8);
  for (uint64_t k : Keys{1, 3, 3, 3}) runs.Push(k, 0);
  REQUIRE(runs.Current());
  CHECK(runs.Current()->period == 1);  // not 2: the primitive cycle
  CHECK(runs.Current()->repeats == 3);

  de::TailLoopTracker none(8);
  for (uint64_t k : Keys{1, 2, 3, 1, 2}) none.Push(k, 0);  // one repeat and a half: no loop
  CHECK_FALSE(none.Current());
}

TEST_CASE("TailLoopTracker: a restart forgets the keys, not the positions", "[noise]") {
  de::TailLoopTracker t(8);
  for (uint64_t k : Keys{1, 2, 1, 2, 1, 2}) t.Push(k, 0);
  REQUIRE(t.Current());
  t.Restart();
  CHECK_FALSE(t.Current());  // the loop before it is gone
  CHECK(t.position() == 6);
  Keys keys{9, 5, 6, 5, 6};  // after the restart: 9 (5 6)(5 6)
  for (size_t i = 0; i < keys.size(); ++i) t.Push(keys[i], 200 + i);
  auto loop = t.Current();
  REQUIRE(loop);
  CHECK(loop->period == 2);
  CHECK(loop->start == 7);  // positions count on: 6 keys before, then 9
  CHECK(loop->repeats == 2);
  CHECK(loop->first_idx == 201);
  CHECK(loop->cycle == Keys{5, 6});
  CHECK(t.position() == 11);
}

TEST_CASE("LoopFolder: a seeded loop folds like the folder had seen it", "[noise]") {
  std::mt19937 rng(5);
  for (int round = 0; round < 200; ++round) {
    INFO("round " << round);
    Keys keys;
    for (size_t i = rng() % 4; i > 0; --i) keys.push_back(100 + rng() % 50);
    size_t start = keys.size();
    Keys cycle;
    for (size_t i = 1 + rng() % 4; i > 0; --i) cycle.push_back(10 + i);  // distinct: primitive
    size_t repeats = 2 + rng() % 5;
    for (size_t r = 0; r < repeats; ++r) keys.insert(keys.end(), cycle.begin(), cycle.end());
    size_t phase = rng() % cycle.size();
    keys.insert(keys.end(), cycle.begin(), cycle.begin() + static_cast<long>(phase));
    size_t seeded_until = keys.size();
    for (size_t i = rng() % 12; i > 0; --i) keys.push_back(10 + rng() % 6);

    de::LoopFolder folder;
    folder.SeedLoop(cycle, start, repeats, phase);
    std::vector<de::FoldedItem> items;
    for (size_t i = seeded_until; i < keys.size(); ++i) folder.Push(keys[i], items);
    folder.Finish(items);
    std::vector<de::FoldedItem> whole =
        de::FoldLoops(de::KeySpan(keys).subspan(start, keys.size() - start));
    REQUIRE(items.size() >= 1);
    REQUIRE(whole.size() >= 1);
    // The seeded loop is at least as long as the one folding from its start finds (the tracker
    // commits where the folder would still weigh a longer cycle), and both tile the stream.
    CHECK(items[0].start == start);
    CHECK(items[0].period == cycle.size());
    CHECK(items[0].repeats >= repeats);
    CHECK(items.back().end() == keys.size());
    for (size_t i = 1; i < items.size(); ++i) CHECK(items[i].start == items[i - 1].end());
  }
}

TEST_CASE("Noise: a loop that ran longer on one side is one loop-count hunk", "[noise]") {
  // The divergence falls in the middle of canary's loop, after 300 matched repeats.
  auto canary = Cat({Work("a", 3), Calls({{"Poll", 420}}), Work("b", 20)});
  auto ours = Cat({Work("a", 3), Calls({{"Poll", 300}}), Work("b", 20)});
  de::PairResult p = DiffOne(canary, ours);
  REQUIRE(p.hunks.size() == 1);
  const de::Hunk& h = p.hunks[0];
  CHECK(h.cls == de::HunkClass::kLoopCount);
  REQUIRE(h.loop);
  CHECK(h.loop->period == 2);
  CHECK(h.loop->canary_repeats == 420);
  CHECK(h.loop->ours_repeats == 300);
  CHECK(h.canary_start == 7);  // Start and three work pairs
  CHECK(h.canary_count == 840);
  CHECK(h.ours_start == 7);
  CHECK(h.ours_count == 600);
  CHECK(h.canary_idx == std::pair<uint64_t, uint64_t>{7, 846});
  CHECK(h.ours_idx == std::pair<uint64_t, uint64_t>{7, 606});
  CHECK(h.canary_events.size() == 2);  // one repeat
  CHECK(h.canary_events[0].loop_repeats == 420);
  CHECK(h.canary_shown_span == 840);
  REQUIRE(p.divergence);
  CHECK(p.divergence->position == 607);
  CHECK(p.divergence->loop_repeats == 300);
  CHECK(p.matched_after_resync == 40);

  SECTION("longer than the window, and with folding off the plain minimal script") {
    de::DiffOptions small;
    small.resync.window = 16;
    de::PairResult q = DiffOne(canary, ours, small);
    REQUIRE(q.hunks.size() == 1);
    CHECK(q.hunks[0].cls == de::HunkClass::kLoopCount);
    CHECK(q.hunks[0].canary_count == 840);

    de::DiffOptions off;
    off.resync.fold_period = 0;
    de::PairResult r = DiffOne(canary, ours, off);
    REQUIRE(r.hunks.size() == 1);
    CHECK(r.hunks[0].cls == de::HunkClass::kDeleted);
    CHECK(r.hunks[0].canary_start == 607);
    CHECK(r.hunks[0].canary_count == 240);
  }
}

TEST_CASE("Noise: loops inside the resync window, and a side ending in its loop", "[noise]") {
  // A replaced call first, then a loop with other counts that lockstep never reached.
  auto canary = Cat({Work("a", 2), {"X"}, Calls({{"Poll", 30}}), Work("b", 20)});
  auto ours = Cat({Work("a", 2), {"Y"}, Calls({{"Poll", 20}}), Work("b", 20)});
  de::PairResult p = DiffOne(canary, ours);
  REQUIRE(p.hunks.size() == 2);
  CHECK(p.hunks[0].cls == de::HunkClass::kReplaced);
  CHECK(p.hunks[1].cls == de::HunkClass::kLoopCount);
  CHECK(p.hunks[1].canary_start == 7);
  CHECK(p.hunks[1].canary_count == 60);
  CHECK(p.hunks[1].ours_count == 40);

  // The streams end in the loop: the loop-count hunk, then nothing left.
  de::PairResult e = DiffOne(Cat({Work("a", 2), Calls({{"Poll", 10}})}),
                             Cat({Work("a", 2), Calls({{"Poll", 7}})}));
  REQUIRE(e.hunks.size() == 1);
  CHECK(e.hunks[0].cls == de::HunkClass::kLoopCount);
  CHECK(e.hunks[0].loop->canary_repeats == 10);
  CHECK(e.hunks[0].loop->ours_repeats == 7);
}

TEST_CASE("Noise: swapped pairs are one reordered hunk; --ignore-reordered", "[noise]") {
  auto canary = Cat({Work("a", 5), {"A", "B"}, Work("b", 20), {"C", "D"}, Work("c", 20)});
  auto ours = Cat({Work("a", 5), {"B", "A"}, Work("b", 20), {"D", "C"}, Work("c", 20)});
  de::DiffOptions options;
  de::PairResult p = DiffOne(canary, ours, options);
  REQUIRE(p.hunks.size() == 2);
  for (const de::Hunk& h : p.hunks) {
    CHECK(h.cls == de::HunkClass::kReordered);
    CHECK(h.canary_count == 4);
    CHECK(h.ours_count == 4);
  }
  CHECK(p.reordered_only);
  CHECK_FALSE(p.reorder_accepted);
  CHECK(p.Diverged());

  options.resync.ignore_reordered = true;
  de::PairResult q = DiffOne(canary, ours, options);
  CHECK(q.reorder_accepted);
  CHECK_FALSE(q.Diverged());

  // Cut by --max-hunks: what follows is unknown, so the pair still diverges.
  options.resync.max_hunks = 1;
  de::PairResult cut = DiffOne(canary, ours, options);
  CHECK(cut.hunks_truncated);
  CHECK_FALSE(cut.reorder_accepted);

  // A real difference beside the race.
  options.resync.max_hunks = 10;
  auto other = ours;
  other.back() = "Z";
  CHECK_FALSE(DiffOne(canary, other, options).reorder_accepted);
}

TEST_CASE("ClassifyHunks: --reorder-window pairs differing events only", "[noise]") {
  de::ResyncSettings s;
  s.reorder_window = 4;
  // A duplicate deleted: its twin on the other side is matched, so it stays a deletion.
  Keys a{1, 1, 2, 3}, b{1, 2, 3};
  auto dup = de::ClassifyHunks(de::DiffSequences(a, b), a, b, s, true, true);
  REQUIRE(dup.size() == 1);
  CHECK(dup[0].cls == de::HunkClass::kDeleted);

  // An element moved 3 places: a deletion and an insertion 2 matched apart; with the reorder
  // gap 0 they are not joined, the window classes both.
  Keys c{9, 5, 6, 7}, d{5, 6, 9, 7};
  s.reorder_gap = 0;
  auto moved = de::ClassifyHunks(de::DiffSequences(c, d), c, d, s, true, true);
  REQUIRE(moved.size() == 2);
  CHECK(moved[0].cls == de::HunkClass::kReordered);
  CHECK(moved[1].cls == de::HunkClass::kReordered);
  s.reorder_window = 1;
  auto far = de::ClassifyHunks(de::DiffSequences(c, d), c, d, s, true, true);
  CHECK(far[0].cls == de::HunkClass::kDeleted);
  CHECK(far[1].cls == de::HunkClass::kInserted);
  // The anchor stays above the gap and the window: what they join is settled in one answer.
  s.reorder_window = 40;
  CHECK(s.anchor() == 41);
}

TEST_CASE("Noise: with folding on, hunks and matches still tile both streams", "[noise]") {
  std::mt19937 rng(23);
  de::DiffOptions options;
  options.resync.max_hunks = 100000;
  for (int round = 0; round < 150; ++round) {
    INFO("round " << round);
    std::vector<std::string> a, b;
    auto fill = [&](std::vector<std::string>& calls) {
      for (size_t n = rng() % 12; n > 0; --n) {
        std::string name(1, static_cast<char>('A' + rng() % 3));
        calls.insert(calls.end(), 1 + rng() % 6, name);  // runs: loops to fold
        if (rng() % 4 == 0) calls.push_back(rng() % 2 ? "Break" : name + "x");  // broken loops
      }
    };
    fill(a);
    fill(b);
    de::PairResult p = DiffOne(a, b, options);
    uint64_t d = p.divergence ? p.divergence->position : p.matched;
    uint64_t canary_in = 0, ours_in = 0, canary_before = 0, ours_before = 0;
    uint64_t canary_end = 0, ours_end = 0;
    for (const de::Hunk& h : p.hunks) {
      CHECK(h.canary_start >= canary_end);
      CHECK(h.ours_start >= ours_end);
      canary_end = h.canary_start + h.canary_count;
      ours_end = h.ours_start + h.ours_count;
      canary_in += h.canary_count;
      ours_in += h.ours_count;
      // A loop-count hunk starts where its loop starts, possibly before the divergence.
      if (h.canary_start < d) canary_before += std::min(d, canary_end) - h.canary_start;
      if (h.ours_start < d) ours_before += std::min(d, ours_end) - h.ours_start;
    }
    uint64_t matched = p.matched + p.matched_after_resync;
    CHECK(matched + canary_in - canary_before == p.canary_total);
    CHECK(matched + ours_in - ours_before == p.ours_total);
  }
}

TEST_CASE("Noise: a loop broken once in the middle is matched around the break", "[noise]") {
  // Seeded (the break is where lockstep stops) and inside the window (after another hunk).
  for (bool seeded : {true, false}) {
    INFO("seeded " << seeded);
    auto lead_c = seeded ? Work("a", 3) : Cat({Work("a", 3), {"X"}});
    auto lead_o = seeded ? Work("a", 3) : Cat({Work("a", 3), {"Y"}});
    size_t first = seeded ? 0 : 1;  // hunks before the broken loop's
    // ×100 against ×50, one other call, ×49: one replaced call, the loop matched on both sides.
    de::PairResult p =
        DiffOne(Cat({lead_c, Calls({{"Poll", 100}}), Work("b", 20)}),
                Cat({lead_o, Calls({{"Poll", 50}, {"Other", 1}, {"Poll", 49}}), Work("b", 20)}));
    REQUIRE(p.hunks.size() == first + 1);
    const de::Hunk& h = p.hunks[first];
    CHECK(h.cls == de::HunkClass::kReplaced);
    CHECK(h.canary_count == 2);
    CHECK(h.ours_count == 2);
    uint64_t at = 7 + 2 * first + 100;  // Start, work, the lead hunk, 50 repeats
    CHECK(h.canary_start == at);
    CHECK(h.ours_start == at);
    CHECK(h.canary_idx == std::pair<uint64_t, uint64_t>{at, at + 1});
    REQUIRE(h.canary_events.size() == 2);
    CHECK(h.canary_events[0].representative);  // iteration 51 of the loop: its events not kept
    CHECK(h.canary_events[0].idx == at);
    CHECK_FALSE(h.ours_events[0].representative);
    // An extra call between two halves: inserted, nothing else.
    de::PairResult q =
        DiffOne(Cat({lead_c, Calls({{"Poll", 100}}), Work("b", 20)}),
                Cat({lead_o, Calls({{"Poll", 50}, {"Yield", 1}, {"Poll", 50}}), Work("b", 20)}));
    REQUIRE(q.hunks.size() == first + 1);
    CHECK(q.hunks[first].cls == de::HunkClass::kInserted);
    CHECK(q.hunks[first].ours_count == 2);
    CHECK(q.hunks[first].ours_start == at);
  }
}

TEST_CASE("Noise: a loop re-entered at another event of its cycle is matched too", "[noise]") {
  // The break replaces the call of iteration 51 only: ours then runs return, call, … (the cycle
  // entered at its second event) — one replaced event, as without folding.
  std::string c = Log(5, Cat({Work("a", 3), Calls({{"Poll", 100}}), Work("b", 20)}));
  std::string o = Log(9, Cat({Work("a", 3), Calls({{"Poll", 100}}), Work("b", 20)}));
  std::string poll_call = R"("name":"Poll","args_resolved":{})";
  size_t at = 0;
  for (int i = 0; i < 51; ++i) at = o.find(poll_call, at + 1);
  o.replace(at, poll_call.size(), R"("name":"Poll","args_resolved":{"x":1})");
  de::DiffResult r = de::RunDiff(de::MemoryInput(c, "c", false), de::MemoryInput(o, "o", true), {});
  REQUIRE(r.pairs.size() == 1);
  const de::PairResult& p = r.pairs[0];
  REQUIRE(p.hunks.size() == 1);
  CHECK(p.hunks[0].cls == de::HunkClass::kReplaced);
  CHECK(p.hunks[0].canary_count == 1);
  CHECK(p.hunks[0].ours_count == 1);
  CHECK(p.hunks[0].canary_start == 107);
}

TEST_CASE("Noise: a loop that really ran longer is not split", "[noise]") {
  // Both sides go on with the same work after the loop, then poll again: a loop-count hunk.
  de::PairResult p = DiffOne(Cat({Work("a", 3), Calls({{"Poll", 101}}), Work("b", 5),
                                  Calls({{"Poll", 30}}), Work("c", 20)}),
                             Cat({Work("a", 3), Calls({{"Poll", 100}}), Work("b", 5),
                                  Calls({{"Poll", 30}}), Work("c", 20)}));
  REQUIRE(p.hunks.size() == 1);
  CHECK(p.hunks[0].cls == de::HunkClass::kLoopCount);
  // A short break cannot stand in for 150 more iterations.
  de::PairResult q = DiffOne(
      Cat({Work("a", 3), Calls({{"Poll", 250}}), Work("b", 20)}),
      Cat({Work("a", 3), Calls({{"Poll", 50}, {"Other", 1}, {"Poll", 50}}), Work("b", 20)}));
  REQUIRE_FALSE(q.hunks.empty());
  CHECK(q.hunks[0].cls == de::HunkClass::kLoopCount);
}

TEST_CASE("Noise: a short loop inside a replaced hunk is compared unfolded", "[noise]") {
  // Ours replaced S by its neighbour R: R R folds into a loop of two, which must not turn the
  // replaced pair into a four-event hunk.
  de::PairResult p = DiffOne(Cat({Work("a", 3), {"X"}, Work("m", 20), {"S", "R"}, Work("b", 20)}),
                             Cat({Work("a", 3), {"Y"}, Work("m", 20), {"R", "R"}, Work("b", 20)}));
  REQUIRE(p.hunks.size() == 2);
  const de::Hunk& h = p.hunks[1];
  CHECK(h.cls == de::HunkClass::kReplaced);
  CHECK(h.canary_count == 2);
  CHECK(h.ours_count == 2);
  REQUIRE(h.ours_events.size() == 2);
  CHECK_FALSE(h.ours_events[0].representative);  // a short loop keeps its own events
  CHECK(h.ours_events[0].loop_repeats == 1);
}
