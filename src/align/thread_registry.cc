#include "diff_events/align/thread_registry.h"

#include <algorithm>

namespace de {

ThreadStream& ThreadRegistry::Get(uint64_t tid) {
  auto& slot = threads_[tid];
  if (!slot) {
    slot = std::make_unique<ThreadStream>();
    slot->canary_side = canary_side_;
    slot->tid = tid;
    slot->pending.set_keep_text(keep_text_);
    slot->pending.set_memory(memory_, canary_side_);
  }
  return *slot;
}

ThreadStream* ThreadRegistry::Find(uint64_t tid) {
  auto it = threads_.find(tid);
  return it == threads_.end() ? nullptr : it->second.get();
}

const ThreadStream* ThreadRegistry::Find(uint64_t tid) const {
  auto it = threads_.find(tid);
  return it == threads_.end() ? nullptr : it->second.get();
}

void ThreadRegistry::MarkPaired(ThreadStream& t, int pair) {
  t.state = ThreadState::kPaired;
  t.pair = pair;
  t.pending.set_tally(&paired_pending_);
}

void ThreadRegistry::Drop(ThreadStream& t) {
  if (auto first = t.FirstEvent()) t.dropped_first = std::move(*first);
  t.state = ThreadState::kDropped;
  t.pending.clear();
}

std::vector<ThreadStream*> ThreadRegistry::All() const {
  std::vector<ThreadStream*> out;
  out.reserve(threads_.size());
  for (const auto& [tid, t] : threads_) out.push_back(t.get());
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->tid < b->tid; });
  return out;
}

std::vector<ThreadStream*> ThreadRegistry::Buffering() const {
  std::vector<ThreadStream*> out;
  for (const auto& [tid, t] : threads_) {
    if (t->buffering()) out.push_back(t.get());
  }
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->tid < b->tid; });
  return out;
}

void ThreadRegistry::Forget(uint64_t tid) { threads_.erase(tid); }

size_t ThreadRegistry::PairedPending() const { return paired_pending_; }

}  // namespace de
