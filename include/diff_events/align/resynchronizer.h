// Past the first divergence: holds up to W items per side, finds where the two streams line
// up again (FindResync, a minimal edit script within the window) and reports each differing
// stretch as a Hunk, until the streams end or --max-hunks is reached. Once streams have
// shifted, tid_event_idx no longer lines up: events match on kind + canonical payload only.
//
// Items: with folding on, each side's events go through a LoopFolder first, so a loop is one
// item (its cycle's key, the count aside) and the edit script is minimal over items; a matched
// item pair whose repeat counts differ is a `loop-count` hunk, unless the shorter loop is broken
// by a differing stretch and goes on after it (SplitBrokenLoop): then the longer loop is cut to
// line up with both parts, and the stretch is compared with the iterations it stands for. With
// folding off an item is one event and the script is minimal over events. Neighbouring hunks that
// together hold the same events in another order become one `reordered` hunk (MergeReorderedHunks).
// Memory is the two windows (an item keeps the events of one repeat), never the trace.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <vector>

#include "diff_events/align/diff_result.h"
#include "diff_events/align/loop_folding.h"
#include "diff_events/align/thread_stream.h"

namespace de {

// Items a broken loop's two parts may be apart (SplitBrokenLoop), and how far ahead a side's
// window must be seen before a loop-count pair is settled.
inline constexpr size_t kBreakLookahead = 64;
// Loops of at most this many events inside a replaced hunk are compared unfolded.
inline constexpr uint64_t kShortLoop = 16;

struct ResyncSettings {
  size_t max_hunks = 10;
  size_t window = 4096;    // items per side (events when folding is off)
  size_t hunk_lines = 20;  // events kept per side and hunk for the reports
  // Lockstep comparison also requires equal tid_event_idx. Off when calls are masked: a capture
  // that never logged a call numbers its events without it, so only positions line up.
  bool compare_idx = true;
  // Longest cycle folded into one item (--fold-period); 0: no folding (--no-fold).
  size_t fold_period = kDefaultFoldPeriod;
  // Matched items between two hunks that may be joined into one reordered hunk (--reorder-gap).
  size_t reorder_gap = kDefaultReorderGap;
  // --reorder-window: 0 off; else a replaced/inserted/deleted hunk whose every item has a
  // distinct equal item among the other side's differing items at most this many window
  // positions away is classed reordered.
  size_t reorder_window = 0;
  bool ignore_reordered = false;  // reordered-only pairs count as matched

  // Matched items that count as in step again: above the reorder gap and window, so that hunks
  // they may join or pair up are settled by the same FindResync call.
  size_t anchor() const;
};

// A loop in progress at the first divergence: lockstep comparison matched it on both sides up to
// there, so both windows start at the loop's start, with the loop open in their folders.
struct LoopSeed {
  TailLoopTracker::Loop loop;
  // Each side's events from the loop's last full repeat up to the divergence, oldest first
  // (period + phase events): what shows the loop, and the partial repeat the folders resume with.
  std::vector<EventRef> canary_tail, ours_tail;
};

class Resynchronizer {
 public:
  using OnMatched = std::function<void(const DecodedEvent&, const DecodedEvent&)>;

  // Starts at the divergence: `divergence_pos` is the stream position of the first differing
  // events on both sides (events before it were matched in lockstep).
  Resynchronizer(const ResyncSettings& settings, uint64_t divergence_pos,
                 const std::optional<LoopSeed>& seed = std::nullopt);

  // Moves events from the pending queues into the windows and reports what is settled.
  // `on_matched` sees every pair matched after the divergence (lineage pairs children there;
  // of a matched loop, the pairs of its first repeat).
  void Advance(PendingQueue& canary, PendingQueue& ours, bool canary_ended, bool ours_ended,
               const OnMatched& on_matched);
  // True once nothing more will be reported: the rest is only counted (AddUncompared).
  bool done() const { return done_; }
  // After done(): an event that arrived on one side; extends an open `ends` hunk.
  void AddUncompared(bool canary_side);

  std::vector<Hunk> TakeHunks() { return std::move(hunks_); }
  bool truncated() const { return truncated_; }
  uint64_t matched() const { return matched_; }

  struct WindowEvent {
    DecodedEvent event;
    std::string raw;
    // An iteration of a split loop whose own events were not kept (a loop's middle is dropped
    // while it is counted): shown by the same place in a kept iteration, with its own idx.
    bool representative = false;
  };
  // One folded item of a window: a lone event, or a loop shown by one repeat.
  struct Item {
    FoldedItem fold;
    std::vector<WindowEvent> events;  // one repeat of the cycle (the only event when alone)
    // A short loop's events after its first repeat (kShortLoop): kept, so that it can be
    // unfolded into its own events. Empty otherwise.
    std::vector<WindowEvent> later;
    uint64_t first_idx = 0;
    uint64_t last_idx = 0;
    // The key of its events as written (raw_fingerprint; of a loop, of the repeat kept): two
    // items are the same when either key is (SameEvent), e.g. a constant that lies inside a
    // block on one side only.
    uint64_t raw_key = 0;
    bool split = false;  // a piece of a split loop (SplitBrokenLoop): never split again
  };

  // One engine's window: the folder turning its events into items, the events it has not
  // decided about yet, and the items waiting to be compared.
  class Side {
   public:
    Side(const ResyncSettings& settings, uint64_t start, const LoopSeed* seed, bool canary);
    void Push(const DecodedEvent& event, std::string_view raw);
    void Finish();  // end of stream: every event is in an item
    bool finished() const { return finished_; }
    // Stream position of the first event not yet compared.
    uint64_t front_pos() const {
      return items.empty() ? folder_.pending_start() : items.front().fold.start;
    }
    // How SplitBrokenLoop cuts a loop item: `first` repeats, then `loose` events as lone items
    // (compared one by one), then `again` repeats of the cycle entered where they end (its key
    // `again_key`), then the events left, lone.
    struct LoopCut {
      uint64_t first = 0;
      uint64_t loose = 0;
      uint64_t again = 0;
      uint64_t again_key = 0;
    };
    void SplitAt(size_t index, const LoopCut& cut);

    std::deque<Item> items;

   private:
    struct Undecided {
      uint64_t pos;
      WindowEvent w;
    };
    void TakeItems();
    void DropMiddleOfOpenLoop();

    LoopFolder folder_;
    std::deque<Undecided> undecided_;  // events not in an emitted item, by position
    uint64_t next_pos_;
    std::optional<uint64_t> seed_start_;  // the seeded loop's start while it is open
    uint64_t seed_first_idx_ = 0;
    std::vector<FoldedItem> out_;
    bool finished_ = false;
  };

 private:
  // What settling front items led to: go on, --max-hunks reached, or the windows changed
  // (a loop was split) and the edit script must be found again.
  // kWait: more events are needed to decide (a loop-count pair whose shorter loop may turn out
  // to be broken a little further on).
  enum class Step { kGoOn, kFull, kRestart, kWait };
  void Fill(PendingQueue& from, Side& into, bool ended);
  Step StripMatching(const OnMatched& on_matched);
  void ScriptKeys(std::vector<uint64_t>& a, std::vector<uint64_t>& b) const;
  Step MatchFront(size_t pairs, const OnMatched& on_matched);
  bool SplitBrokenLoop(size_t canary_at, size_t ours_at, bool canary_longer);
  bool SplitBrokenLoops();
  bool UnfoldShortLoops(size_t canary_count, size_t ours_count);
  void MatchPair(const OnMatched& on_matched);
  void Emit(size_t a_count, size_t b_count, bool resynced, HunkClass cls);
  void EndOf(bool canary_ended_first, size_t still_queued);
  Step Settle(const std::vector<EditHunk>& hunks, bool resynced, KeySpan a, KeySpan b,
              bool canary_complete, bool ours_complete, const OnMatched& on_matched);
  bool Full() const { return hunks_.size() >= settings_.max_hunks; }
  void Stop(bool canary_complete, bool ours_complete);

  ResyncSettings settings_;
  uint64_t divergence_pos_;
  Side canary_, ours_;
  std::vector<Hunk> hunks_;
  uint64_t matched_ = 0;
  bool truncated_ = false;
  bool done_ = false;
  int open_ends_ = -1;  // index of an `ends` hunk still growing, -1 when none
  bool open_ends_canary_ = false;
};

// Classes the hunks of one FindResync answer over item keys a and b: replaced, inserted,
// deleted, ends (a side complete and past the other's end), reordered (merged by
// MergeReorderedHunks within `reorder_gap`, or a permutation, or within `reorder_window`).
// Returns the hunks as they are to be reported, in order.
struct ClassedHunk {
  EditHunk hunk;
  HunkClass cls = HunkClass::kReplaced;
};
std::vector<ClassedHunk> ClassifyHunks(const std::vector<EditHunk>& hunks, KeySpan a, KeySpan b,
                                       const ResyncSettings& settings, bool a_complete,
                                       bool b_complete);

}  // namespace de
