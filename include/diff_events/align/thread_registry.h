// One input's threads during a diff, by tid, and the only place their state changes:
// kBuffering → kPaired (a pairing decision) or kBuffering → kDropped (it can never pair).
#pragma once

#include <tsl/robin_map.h>

#include <memory>
#include <vector>

#include "diff_events/align/thread_stream.h"
#include "diff_events/decode/tid_map.h"

namespace de {

class ThreadRegistry {
 public:
  // `keep_text`: false when the input can be reread, so pending events keep offsets only.
  // `memory`: the cap the pending queues share (and spill beyond); null: no cap.
  ThreadRegistry(bool canary_side, bool keep_text, PendingMemory* memory = nullptr)
      : canary_side_(canary_side), keep_text_(keep_text), memory_(memory) {}
  // The paired threads' queues point at paired_pending_: the registry stays where it is.
  ThreadRegistry(const ThreadRegistry&) = delete;
  ThreadRegistry& operator=(const ThreadRegistry&) = delete;

  bool canary_side() const { return canary_side_; }
  ThreadStream& Get(uint64_t tid);  // creates a buffering thread on first use
  ThreadStream* Find(uint64_t tid);
  const ThreadStream* Find(uint64_t tid) const;

  void MarkPaired(ThreadStream& t, int pair);
  void Drop(ThreadStream& t);
  // The thread's pair result is taken: nothing asks for its stream again. Frees it.
  void Forget(uint64_t tid);

  // Sorted by tid: every choice made from these lists is deterministic.
  std::vector<ThreadStream*> All() const;
  std::vector<ThreadStream*> Buffering() const;
  // Events queued in paired threads, waiting for the other side: the scheduler's measure.
  size_t PairedPending() const;

 private:
  bool canary_side_;
  bool keep_text_;
  PendingMemory* memory_;
  size_t paired_pending_ = 0;  // the paired threads' queues keep it (before them: outlives them)
  TidMap<std::unique_ptr<ThreadStream>> threads_;
};

}  // namespace de
