#include "diff_events/align/pair_aligner.h"

namespace de {

EventRef MakeEventRef(const PendingEvent& pending) {
  EventRef ref;
  ref.idx = pending.event.idx;
  ref.line = pending.event.line;
  ref.alloc_ordinal = pending.event.alloc_ordinal;
  ref.raw = pending.raw;
  return ref;
}

PairAligner::PairAligner(ThreadStream& canary, ThreadStream& ours, PairingMethod method,
                         size_t context)
    : canary_(canary), ours_(ours), method_(method), context_size_(context) {}

void PairAligner::Advance(bool canary_ended, bool ours_ended, const ChildPairing& on_children) {
  while (state_ == State::kAligning && !canary_.pending.empty() && !ours_.pending.empty()) {
    PendingEvent c = std::move(canary_.pending.front());
    PendingEvent o = std::move(ours_.pending.front());
    canary_.pending.pop_front();
    ours_.pending.pop_front();
    Compare(c, o, on_children);
  }
  if (state_ == State::kAligning) {
    // One stream is exhausted while the other still has events: a truncation divergence.
    if (ours_ended && ours_.pending.empty() && !canary_.pending.empty()) {
      PendingEvent c = std::move(canary_.pending.front());
      canary_.pending.pop_front();
      Diverge(DivergenceKind::kOursEnds, std::move(c), std::nullopt);
    } else if (canary_ended && canary_.pending.empty() && !ours_.pending.empty()) {
      PendingEvent o = std::move(ours_.pending.front());
      ours_.pending.pop_front();
      Diverge(DivergenceKind::kCanaryEnds, std::nullopt, std::move(o));
    }
  }
  if (state_ == State::kAwaitingNext) CaptureNext(canary_ended, ours_ended);
}

void PairAligner::Compare(PendingEvent& canary, PendingEvent& ours,
                          const ChildPairing& on_children) {
  const DecodedEvent& c = canary.event;
  const DecodedEvent& o = ours.event;
  if (c.has_child_tid && o.has_child_tid) on_children(c.child_tid, o.child_tid);
  if (c.fingerprint == o.fingerprint && c.idx == o.idx) {
    ++matched_;
    if (context_size_ == 0) return;
    if (context_.size() == context_size_) context_.pop_front();
    context_.push_back(MatchedPair{MakeEventRef(canary), MakeEventRef(ours)});
    return;
  }
  Diverge(DivergenceKind::kEventsDiffer, std::move(canary), std::move(ours));
}

void PairAligner::Diverge(DivergenceKind kind, std::optional<PendingEvent> canary,
                          std::optional<PendingEvent> ours) {
  Divergence d;
  d.kind = kind;
  d.position = matched_;
  if (canary) d.canary = MakeEventRef(*canary);
  if (ours) d.ours = MakeEventRef(*ours);
  d.context.assign(context_.begin(), context_.end());
  divergence_ = std::move(d);
  // An ended side's "next" is its end of stream, known already.
  canary_next_known_ = !canary.has_value();
  ours_next_known_ = !ours.has_value();
  state_ = State::kAwaitingNext;
}

void PairAligner::CaptureNext(bool canary_ended, bool ours_ended) {
  if (!canary_next_known_) {
    if (!canary_.pending.empty()) {
      divergence_->canary_next = MakeEventRef(canary_.pending.front());
      canary_next_known_ = true;
    } else if (canary_ended) {
      canary_next_known_ = true;
    }
  }
  if (!ours_next_known_) {
    if (!ours_.pending.empty()) {
      divergence_->ours_next = MakeEventRef(ours_.pending.front());
      ours_next_known_ = true;
    } else if (ours_ended) {
      ours_next_known_ = true;
    }
  }
  if (canary_next_known_ && ours_next_known_) {
    state_ = State::kDone;
    canary_.pending.clear();
    ours_.pending.clear();
  }
}

PairResult PairAligner::Result(bool allow_truncation) const {
  PairResult r;
  r.canary_tid = canary_.tid;
  r.ours_tid = ours_.tid;
  r.method = method_;
  r.first_call = canary_.first_call.value_or(ours_.first_call.value_or(""));
  r.canary_total = canary_.total;
  r.ours_total = ours_.total;
  r.matched = matched_;
  r.canary_last_idx = canary_.last_idx;
  r.ours_last_idx = ours_.last_idx;
  r.divergence = divergence_;
  r.truncation_allowed =
      allow_truncation && divergence_ && divergence_->kind != DivergenceKind::kEventsDiffer;
  return r;
}

}  // namespace de
