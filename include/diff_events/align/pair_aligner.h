// Aligns one thread pair: compares the two streams event by event as events arrive, keeps the
// last N matching events as context, records the first divergence with the event after it on
// each side, then hands both streams to a Resynchronizer that reports the differing stretches
// (hunks) until --max-hunks. States: aligning → awaiting the next events → resynchronizing →
// done (later events are only counted).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diff_events/align/diff_result.h"
#include "diff_events/align/resynchronizer.h"
#include "diff_events/align/thread_stream.h"

namespace de {

// Called with (canary child tid, ours child tid) when both sides' thread.create events meet.
using ChildPairing = std::function<void(uint64_t, uint64_t)>;

class PairAligner {
 public:
  // `resync` is kept by reference: the session's settings, alive as long as the aligner.
  PairAligner(ThreadStream& canary, ThreadStream& ours, PairingMethod method, size_t context,
              const ResyncSettings& resync);

  // Compares what both streams have pending. `canary_ended`/`ours_ended`: that side's input has
  // no more events, so an empty pending queue there is the end of its stream.
  void Advance(bool canary_ended, bool ours_ended, const ChildPairing& on_children);

  // The common case, without queueing: an event arrives while the other side has events
  // waiting and compares equal to the first of them. Returns false (nothing done) otherwise;
  // the caller then queues the event and calls Advance.
  bool Offer(bool from_canary, const DecodedEvent& event, std::string_view raw,
             const ChildPairing& on_children);

  uint64_t canary_tid() const { return canary_.tid; }

  // True once nothing more is compared: later events are only counted.
  bool done() const { return state_ == State::kDone; }
  // When done, takes an arriving event (it only extends an open `ends` hunk) and returns true.
  bool Swallow(bool from_canary);

  // The pair's result; call once, after both inputs ended (Advance with both flags set): the
  // divergence and hunks move out.
  PairResult TakeResult(bool allow_truncation);

 private:
  enum class State { kAligning, kAwaitingNext, kResyncing, kDone };

  // True when they match (both are then consumed); otherwise the pair diverges there.
  bool Compare(const PendingEvent& canary, const PendingEvent& ours,
               const ChildPairing& on_children);
  void Resync(bool canary_ended, bool ours_ended, const ChildPairing& on_children);
  // One side of a remembered match: where its line is, its text only when the input keeps it
  // (in context_text_). A third of an EventRef: every thread pair holds a ring of them.
  struct ContextRef {
    uint64_t idx = 0;
    uint64_t line = 0;
    int64_t alloc_ordinal = -1;
    uint64_t offset = 0;
    uint32_t size = 0;
  };
  struct ContextSlot {
    ContextRef canary;
    ContextRef ours;
  };
  void ForgetHistory();
  size_t NextContextSlot();  // the slot to fill; only when ring_size_ > 0
  void Remember(size_t slot, bool canary_side, const DecodedEvent& e, std::string_view raw);
  void RememberContext(const PendingEvent& canary, const PendingEvent& ours);
  EventRef ContextEvent(size_t slot, bool canary_side) const;
  void Diverge(DivergenceKind kind, const PendingEvent* canary, const PendingEvent* ours);
  void CaptureNext(bool canary_ended, bool ours_ended);
  void Track(const DecodedEvent& matched);
  MatchedPair LastMatched(size_t back) const;  // 1: the latest
  std::optional<LoopSeed> SeedOfDivergence() const;

  ThreadStream& canary_;
  ThreadStream& ours_;
  PairingMethod method_;
  size_t context_size_;
  size_t ring_size_;  // matches kept: the context, and with folding one loop repeat and a part
  State state_ = State::kAligning;
  uint64_t matched_ = 0;
  std::vector<ContextSlot> context_;  // ring of the last matches
  // The matches' text, 2 per slot (canary, ours), once a kept line is remembered (the input
  // cannot be read again); slots keep their capacity: no allocation once warm.
  std::vector<std::string> context_text_;
  size_t context_next_ = 0;
  Boxed<Divergence> divergence_;
  bool canary_next_known_ = false;
  bool ours_next_known_ = false;
  const ResyncSettings& resync_settings_;  // the session's: outlives every aligner
  std::unique_ptr<Resynchronizer> resync_;
  // With folding on: the loop lockstep comparison is in, so that a divergence in the middle of
  // a loop that ran longer on one side is one loop-count hunk from the loop's start.
  std::optional<TailLoopTracker> tail_;
};

}  // namespace de
