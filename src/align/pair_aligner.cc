#include "diff_events/align/pair_aligner.h"

#include <algorithm>

namespace de {

PairAligner::PairAligner(ThreadStream& canary, ThreadStream& ours, PairingMethod method,
                         size_t context, const ResyncSettings& resync)
    : canary_(canary),
      ours_(ours),
      method_(method),
      context_size_(context),
      ring_size_(context),
      resync_settings_(resync) {
  if (resync.fold_period > 0) {
    tail_.emplace(resync.fold_period);
    ring_size_ = std::max(context, 2 * resync.fold_period);
  }
}

// In the hot path: a few compares per matched event.
void PairAligner::Track(const DecodedEvent& matched) {
  if (tail_) tail_->Push(matched.fingerprint, matched.idx);
}

void PairAligner::Advance(bool canary_ended, bool ours_ended, const ChildPairing& on_children) {
  while (state_ == State::kAligning && !canary_.pending.empty() && !ours_.pending.empty()) {
    if (!Compare(canary_.pending.front(), ours_.pending.front(), on_children)) break;
    canary_.pending.pop_front();
    ours_.pending.pop_front();
  }
  if (state_ == State::kAligning) {
    // One stream is exhausted while the other still has events: a truncation divergence.
    if (ours_ended && ours_.pending.empty() && !canary_.pending.empty()) {
      PendingEvent c = canary_.pending.front();
      Diverge(DivergenceKind::kOursEnds, &c, nullptr);
    } else if (canary_ended && canary_.pending.empty() && !ours_.pending.empty()) {
      PendingEvent o = ours_.pending.front();
      Diverge(DivergenceKind::kCanaryEnds, nullptr, &o);
    }
  }
  if (state_ == State::kAwaitingNext) CaptureNext(canary_ended, ours_ended);
  if (state_ == State::kResyncing) Resync(canary_ended, ours_ended, on_children);
}

void PairAligner::Resync(bool canary_ended, bool ours_ended, const ChildPairing& on_children) {
  resync_->Advance(canary_.pending, ours_.pending, canary_ended, ours_ended,
                   [&](const DecodedEvent& c, const DecodedEvent& o) {
                     if (c.has_child_tid && o.has_child_tid) on_children(c.child_tid, o.child_tid);
                   });
  if (resync_->done()) state_ = State::kDone;
}

bool PairAligner::Swallow(bool from_canary) {
  if (state_ != State::kDone) return false;
  if (resync_) resync_->AddUncompared(from_canary);
  return true;
}

bool PairAligner::Compare(const PendingEvent& canary, const PendingEvent& ours,
                          const ChildPairing& on_children) {
  const DecodedEvent& c = canary.event;
  const DecodedEvent& o = ours.event;
  if (SameEvent(c, o) && (c.idx == o.idx || !resync_settings_.compare_idx)) {
    if (c.has_child_tid && o.has_child_tid) on_children(c.child_tid, o.child_tid);
    ++matched_;
    Track(c);
    RememberContext(canary, ours);
    if (c.event_class == EventClass::kThreadExit) ForgetHistory();
    return true;
  }
  Diverge(DivergenceKind::kEventsDiffer, &canary, &ours);
  return false;
}

// Both threads exited alike: no event should follow, so no divergence will read the matches
// before it. 20 000 exited pairs of a creation chain must not each keep a ring. (An engine that
// reuses the tid starts a new history.)
void PairAligner::ForgetHistory() {
  context_ = std::vector<ContextSlot>();
  context_text_ = std::vector<std::string>();
  context_next_ = 0;
  if (tail_) tail_->Restart();
}

size_t PairAligner::NextContextSlot() {
  if (context_.size() < ring_size_) context_.emplace_back();
  size_t slot = context_next_;
  context_next_ = (context_next_ + 1) % ring_size_;
  return slot;
}

void PairAligner::Remember(size_t slot, bool canary_side, const DecodedEvent& e,
                           std::string_view raw) {
  ContextSlot& s = context_[slot];
  ContextRef& ref = canary_side ? s.canary : s.ours;
  ref.idx = e.idx;
  ref.line = e.line;
  ref.alloc_ordinal = e.alloc_ordinal;
  ref.offset = e.offset;
  ref.size = e.raw_size;
  if (raw.empty() && context_text_.empty()) return;
  // Grows with the ring: a one-event thread holds one slot's text, not a whole ring's.
  if (context_text_.size() < 2 * context_.size()) context_text_.resize(2 * context_.size());
  context_text_[2 * slot + (canary_side ? 0 : 1)].assign(raw);
}

void PairAligner::RememberContext(const PendingEvent& canary, const PendingEvent& ours) {
  if (ring_size_ == 0) return;
  size_t slot = NextContextSlot();
  Remember(slot, true, canary.event, canary.raw);
  Remember(slot, false, ours.event, ours.raw);
}

EventRef PairAligner::ContextEvent(size_t slot, bool canary_side) const {
  const ContextRef& ref = canary_side ? context_[slot].canary : context_[slot].ours;
  EventRef out;
  out.idx = ref.idx;
  out.line = ref.line;
  out.alloc_ordinal = ref.alloc_ordinal;
  out.offset = ref.offset;
  out.size = ref.size;
  size_t text = 2 * slot + (canary_side ? 0 : 1);
  if (text < context_text_.size()) out.raw = context_text_[text];
  return out;
}

bool PairAligner::Offer(bool from_canary, const DecodedEvent& e, std::string_view raw,
                        const ChildPairing& on_children) {
  ThreadStream& own = from_canary ? canary_ : ours_;
  ThreadStream& other = from_canary ? ours_ : canary_;
  if (state_ != State::kAligning || !own.pending.empty() || other.pending.empty()) return false;
  PendingEvent waiting = other.pending.front();
  if (!SameEvent(e, waiting.event) ||
      (e.idx != waiting.event.idx && resync_settings_.compare_idx)) {
    return false;
  }
  const DecodedEvent& c = from_canary ? e : waiting.event;
  const DecodedEvent& o = from_canary ? waiting.event : e;
  if (c.has_child_tid && o.has_child_tid) on_children(c.child_tid, o.child_tid);
  ++matched_;
  Track(e);
  if (ring_size_ > 0) {
    size_t slot = NextContextSlot();
    Remember(slot, from_canary, e, raw);
    Remember(slot, !from_canary, waiting.event, waiting.raw);
  }
  if (e.event_class == EventClass::kThreadExit) ForgetHistory();
  other.pending.pop_front();
  return true;
}

// Oldest first: the ring's next slot is its oldest once it is full (and slot i is the i-th match
// until then).
MatchedPair PairAligner::LastMatched(size_t back) const {
  size_t slot = (context_next_ + context_.size() - back) % context_.size();
  return {ContextEvent(slot, true), ContextEvent(slot, false)};
}

std::optional<LoopSeed> PairAligner::SeedOfDivergence() const {
  if (!tail_) return std::nullopt;
  std::optional<TailLoopTracker::Loop> loop = tail_->Current();
  if (!loop) return std::nullopt;
  LoopSeed seed;
  seed.loop = *loop;
  // The last full repeat and the partial one: at most 2·period - 1 matches, all in the ring.
  size_t tail = loop->period + loop->phase;
  for (size_t back = tail; back > 0; --back) {
    MatchedPair m = LastMatched(back);
    seed.canary_tail.push_back(std::move(m.canary));
    seed.ours_tail.push_back(std::move(m.ours));
  }
  return seed;
}

void PairAligner::Diverge(DivergenceKind kind, const PendingEvent* canary,
                          const PendingEvent* ours) {
  Divergence d;
  d.kind = kind;
  d.position = matched_;
  if (canary) d.canary = MakeEventRef(*canary);
  if (ours) d.ours = MakeEventRef(*ours);
  size_t shown = std::min(context_size_, context_.size());
  for (size_t back = shown; back > 0; --back) d.context.push_back(LastMatched(back));
  if (tail_) {
    if (std::optional<TailLoopTracker::Loop> loop = tail_->Current()) {
      d.loop_period = loop->period;
      d.loop_repeats = loop->repeats;
      d.loop_start = loop->start;
    }
  }
  divergence_ = std::move(d);
  // An ended side's "next" is its end of stream, known already.
  canary_next_known_ = canary == nullptr;
  ours_next_known_ = ours == nullptr;
  state_ = State::kAwaitingNext;
}

// The divergent events are still the queues' fronts (the resynchronizer starts from them):
// the next event of a side is its second queued one.
void PairAligner::CaptureNext(bool canary_ended, bool ours_ended) {
  auto capture = [](ThreadStream& t, bool ended, bool& known, std::optional<EventRef>& next) {
    if (known) return;
    if (t.pending.size() >= 2) {
      next = MakeEventRef(t.pending.at(1));
      known = true;
    } else if (ended) {
      known = true;
    }
  };
  capture(canary_, canary_ended, canary_next_known_, divergence_->canary_next);
  capture(ours_, ours_ended, ours_next_known_, divergence_->ours_next);
  if (canary_next_known_ && ours_next_known_) {
    state_ = State::kResyncing;
    resync_ = std::make_unique<Resynchronizer>(resync_settings_, matched_, SeedOfDivergence());
    // The ring served the divergence and the seed: nothing reads it again.
    context_ = std::vector<ContextSlot>();
    context_text_ = std::vector<std::string>();
  }
}

PairResult PairAligner::TakeResult(bool allow_truncation) {
  PairResult r;
  r.canary_tid = canary_.tid;
  r.ours_tid = ours_.tid;
  r.method = method_;
  r.canary_total = canary_.total;
  r.ours_total = ours_.total;
  r.matched = matched_;
  r.canary_last_idx = canary_.LastIdx();
  r.ours_last_idx = ours_.LastIdx();
  r.divergence = std::move(divergence_);
  if (resync_) {
    r.hunks = resync_->TakeHunks();
    r.hunks_truncated = resync_->truncated();
    r.matched_after_resync = resync_->matched();
    r.resync_window = resync_settings_.window;
    r.reordered_only = !r.hunks.empty() && !r.hunks_truncated &&
                       std::all_of(r.hunks.begin(), r.hunks.end(),
                                   [](const Hunk& h) { return h.cls == HunkClass::kReordered; });
    r.reorder_accepted = r.reordered_only && resync_settings_.ignore_reordered;
  }
  // A thread that never ran on one side did not end early: that stays a divergence.
  const Boxed<Divergence>& d = r.divergence;
  bool ended_side_ran =
      d && (d->kind == DivergenceKind::kOursEnds ? ours_.total > 0 : canary_.total > 0);
  r.truncation_allowed =
      allow_truncation && d && d->kind != DivergenceKind::kEventsDiffer && ended_side_ran;
  return r;
}

}  // namespace de
