// Differences that are noise rather than divergence, as pure algorithms over 64-bit keys: loops
// folded into one item with a repeat count (a polling loop that ran 5501 times on one side and
// 5300 on the other is one item on each side), and hunks whose two sides hold the same events in
// another order (a scheduling race).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "diff_events/align/sequence_diff.h"

namespace de {

inline constexpr size_t kDefaultFoldPeriod = 8;
inline constexpr size_t kDefaultReorderGap = 8;

struct FoldOptions {
  // Longest cycle folded, in elements (8 covers a call/return pair with the waits inside it).
  // 0 turns folding off: every element is its own item.
  size_t max_period = kDefaultFoldPeriod;
  // Full repeats a cycle needs to count as a loop. Two: a cycle seen once is just events, and
  // "A B A B" vs "A B A B A B" is then a repeat-count difference, not an insertion. Clamped to
  // at least 2.
  uint64_t min_repeats = 2;
};

// A stretch of the unfolded stream: `repeats` back-to-back copies of a cycle of `period`
// elements starting at unfolded position `start`. An element outside any loop is an item with
// period 1 and repeats 1.
struct FoldedItem {
  // What the diff compares. It names the cycle but not the count, so the same loop with another
  // count compares equal and the aligner tells the counts apart (a `loop-count` hunk). Period 1:
  // the element's own key (a lone element and a run of it compare equal); else CycleKey.
  uint64_t key = 0;
  uint32_t period = 1;
  uint64_t repeats = 1;
  uint64_t start = 0;

  uint64_t length() const { return period * repeats; }
  uint64_t end() const { return start + length(); }
  bool operator==(const FoldedItem& o) const {
    return key == o.key && period == o.period && repeats == o.repeats && start == o.start;
  }
  bool operator!=(const FoldedItem& o) const { return !(*this == o); }
};

// The key of a loop whose cycle is `cycle`, in order (no rotation is normalized: the aligner
// compares items by key, and equal keys must mean equal events). cycle[0] for a 1-element cycle.
uint64_t CycleKey(KeySpan cycle);

// Folds a stream one key at a time, greedily from the left:
// - At the first unfolded element, among the cycles of period 1..max_period that start there and
//   repeat at least min_repeats times, the loop covering the most elements wins (ties: the
//   shorter period). A cycle that is itself a repetition (A A for period 2) never competes: its
//   root covers at least as much. When none qualifies, the element is emitted alone.
// - The decision waits only as long as it could still change: two different primitive cycles
//   cannot both continue past 2·max_period elements (Fine–Wilf), so once one candidate is left
//   with its repeats it leads for good: the folder commits to it and just counts repeats.
//   Outside loops the front's key does not recur within max_period keys, and the element goes
//   out after max_period compares, with no candidate looked at.
// Deterministic, and the same as deciding with the whole stream in view. Memory: O(max_period)
// keys — about (min_repeats + 2)·max_period while deciding, the cycle itself while counting —
// whatever the loop's length. Items come out in order and tile the stream: each starts where the
// previous one ended.
class LoopFolder {
 public:
  explicit LoopFolder(FoldOptions options = {});

  // Unfolded position of the first key fed, when the stream is not taken from its start. Only on
  // a fresh folder.
  void StartAt(uint64_t position) { base_ = position; }
  // Takes over a loop already in progress (the aligner found it while comparing in lockstep):
  // `cycle` ran `repeats` (>= 2) full times from unfolded position `start`, followed by the first
  // `phase` elements of one more repeat. The next key fed is the one after those. Only on a fresh
  // folder; the result is as if the folder had seen those keys itself and committed to the loop.
  void SeedLoop(KeySpan cycle, uint64_t start, uint64_t repeats, size_t phase);

  // Feeds the next key. Appends the items it completes (zero or more) to `out`.
  void Push(uint64_t key, std::vector<FoldedItem>& out);
  // End of stream: appends every remaining item.
  void Finish(std::vector<FoldedItem>& out);

  // Unfolded position of the first element not yet in an emitted item: the aligner must keep
  // the events from here on (of an open loop, the first repeat is enough to show it).
  uint64_t pending_start() const { return base_; }
  // The loop being counted, repeats so far, while the folder is in one.
  std::optional<FoldedItem> open_loop() const;

 private:
  struct Candidate {
    size_t agree = 0;     // leading elements that repeat with this period
    bool dead = false;    // out of the race: agree is final
    size_t coverage = 0;  // once dead: the elements it would fold
  };
  void Resume(std::vector<uint64_t> keys);
  void Advance(bool at_end, std::vector<FoldedItem>& out);
  void Count(uint64_t key, std::vector<FoldedItem>& out);
  void Extend();
  void Rescan();
  bool RepeatsShorterCycle(size_t period) const;
  void Retire(size_t period);
  size_t Coverage(size_t period) const;
  void Emit(size_t period, uint64_t repeats, std::vector<FoldedItem>& out);
  void EmitFront(size_t period, uint64_t repeats, std::vector<FoldedItem>& out);
  bool DecideFront(bool at_end, std::vector<FoldedItem>& out);

  FoldOptions options_;
  bool counting_ = false;
  bool tracking_ = false;  // candidates_ describe the current front
  // Deciding: the undecided keys, from base_ on. Counting: the loop's cycle.
  std::vector<uint64_t> keys_;
  uint64_t base_ = 0;
  std::vector<Candidate> candidates_;  // [p - 1] for period p
  // Counting.
  uint64_t cycle_key_ = 0;
  uint64_t repeats_ = 0;
  size_t phase_ = 0;  // elements of the next repeat seen so far
};

// The loop a stream prefix ends in, tracked one key at a time while two streams are compared in
// lockstep (the hot path: a handful of compares per key, no allocation). For each period p it
// keeps the length of the current run where key[i] == key[i - p]; at a divergence the longest
// periodic tail that holds at least two full repeats is the loop in progress. Memory: a ring of
// the last 2·max_period keys.
class TailLoopTracker {
 public:
  struct Loop {
    uint32_t period = 0;
    uint64_t start = 0;           // position of the loop's first element
    uint64_t repeats = 0;         // full repeats up to the current position
    size_t phase = 0;             // elements of the next repeat already seen
    uint64_t first_idx = 0;       // the tag (tid_event_idx) given with the loop's first element
    std::vector<uint64_t> cycle;  // the keys of one repeat, from the loop's start
  };

  explicit TailLoopTracker(size_t max_period = kDefaultFoldPeriod);

  // The next key and a tag kept for the loop's first element.
  void Push(uint64_t key, uint64_t tag) {
    // The rings come with the second key: 100 000 one-event threads must not each hold them.
    if (!rings_) {
      if (pos_ == 0) {
        first_key_ = key;
        first_tag_ = tag;
        pos_ = 1;
        return;
      }
      Allocate();
    }
    uint64_t *keys = this->keys(), *tags = this->tags(), *run = this->run();
    for (size_t p = 1; p <= max_period_; ++p) {
      size_t back = static_cast<size_t>(pos_ - p) & mask_;
      if (pos_ >= p && keys[back] == key) {
        if (run[p] == 0) start_tag()[p] = tags[back];
        ++run[p];
      } else {
        run[p] = 0;
      }
    }
    keys[pos_ & mask_] = key;
    tags[pos_ & mask_] = tag;
    ++pos_;
  }
  uint64_t position() const { return restarted_at_ + pos_; }
  // Forgets the keys so far (and frees the rings): the next loop starts after them. Positions
  // keep counting.
  void Restart();
  // The loop the keys so far end in, if any: the periodic tail covering the most elements with at
  // least two full repeats (ties: the shorter period, so the cycle is primitive).
  std::optional<Loop> Current() const;

 private:
  void Allocate();

  size_t max_period_;
  size_t mask_;
  uint64_t pos_ = 0;                        // keys since the last restart: the rings' numbering
  uint64_t restarted_at_ = 0;               // keys before it
  uint64_t first_key_ = 0, first_tag_ = 0;  // until the rings exist
  // One allocation (every aligner has a tracker): the rings of the last keys and their tags,
  // then per period p the current run's length and the tag of its first element.
  std::unique_ptr<uint64_t[]> rings_;
  uint64_t* keys() const { return rings_.get(); }
  uint64_t* tags() const { return rings_.get() + mask_ + 1; }
  uint64_t* run() const { return tags() + mask_ + 1; }
  uint64_t* start_tag() const { return run() + max_period_ + 1; }
};

// The whole stream at once (tests, small inputs).
std::vector<FoldedItem> FoldLoops(KeySpan keys, FoldOptions options = {});

// Unfolded [start, start + count) of items[first, first + count). `base` is where the items'
// window starts in the unfolded stream, used when the window is empty.
struct UnfoldedRange {
  uint64_t start = 0;
  uint64_t count = 0;
};
UnfoldedRange Unfold(const std::vector<FoldedItem>& items, size_t first, size_t count,
                     uint64_t base);

// Two stretches holding the same multiset of keys in a different order.
bool IsReordered(KeySpan a, KeySpan b);

struct ClassifiedHunk {
  EditHunk hunk;
  bool reordered = false;

  bool operator==(const ClassifiedHunk& o) const {
    return hunk == o.hunk && reordered == o.reordered;
  }
};

// A minimal script splits a swap (A a B b vs B b A a) into a deletion and an insertion around
// the matched part. Joins hunks separated by at most `max_gap` matched elements into one hunk
// (the matched elements between them become part of it) when the joined stretch holds the same
// multiset on both sides, and marks it reordered; a single hunk that is a permutation is marked
// too. From each hunk on, the shortest such group is taken, so two separate swaps stay two
// hunks. `hunks` must be a script over a and b (in order, not overlapping).
std::vector<ClassifiedHunk> MergeReorderedHunks(const std::vector<EditHunk>& hunks, KeySpan a,
                                                KeySpan b, size_t max_gap = kDefaultReorderGap);

}  // namespace de
