// Past the first divergence: holds up to W events per side, finds where the two streams line
// up again (FindResync, a minimal edit script within the window) and reports each differing
// stretch as a Hunk, until the streams end or --max-hunks is reached. Once streams have
// shifted, tid_event_idx no longer lines up: events match on kind + canonical payload only.
// Memory is the two windows, never the trace.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "diff_events/align/diff_result.h"
#include "diff_events/align/thread_stream.h"

namespace de {

struct ResyncSettings {
  size_t max_hunks = 10;
  size_t window = 4096;    // events per side
  size_t hunk_lines = 20;  // events kept per side and hunk for the reports
  // Lockstep comparison also requires equal tid_event_idx. Off when calls are masked: a capture
  // that never logged a call numbers its events without it, so only positions line up.
  bool compare_idx = true;
};

class Resynchronizer {
 public:
  using OnMatched = std::function<void(const DecodedEvent&, const DecodedEvent&)>;

  // Starts at the divergence: the thread's stream positions of the first differing events.
  Resynchronizer(const ResyncSettings& settings, uint64_t canary_pos, uint64_t ours_pos);

  // Moves events from the pending queues into the windows and reports what is settled.
  // `on_matched` sees every pair matched after the divergence (lineage pairs children there).
  void Advance(PendingQueue& canary, PendingQueue& ours, bool canary_ended, bool ours_ended,
               const OnMatched& on_matched);
  // True once nothing more will be reported: the rest is only counted (AddUncompared).
  bool done() const { return done_; }
  // After done(): an event that arrived on one side; extends an open `ends` hunk.
  void AddUncompared(bool canary_side);

  std::vector<Hunk> TakeHunks() { return std::move(hunks_); }
  bool truncated() const { return truncated_; }
  uint64_t matched() const { return matched_; }

 private:
  struct WindowEvent {
    DecodedEvent event;
    std::string raw;
  };
  using Window = std::deque<WindowEvent>;

  void Fill(PendingQueue& from, Window& into);
  void StripMatching(const OnMatched& on_matched);
  void Emit(size_t a_start, size_t a_count, size_t b_start, size_t b_count, bool resynced,
            HunkClass cls);
  void PopMatched(size_t a_count, size_t b_count, const OnMatched& on_matched);
  void EndOf(bool canary_ended_first, size_t still_queued);
  bool Full() const { return hunks_.size() >= settings_.max_hunks; }

  ResyncSettings settings_;
  Window canary_, ours_;
  uint64_t canary_pos_, ours_pos_;  // stream position of each window's front
  std::vector<Hunk> hunks_;
  uint64_t matched_ = 0;
  bool truncated_ = false;
  bool done_ = false;
  int open_ends_ = -1;  // index of an `ends` hunk still growing, -1 when none
  bool open_ends_canary_ = false;
};

}  // namespace de
