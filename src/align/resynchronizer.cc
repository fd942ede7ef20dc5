#include "diff_events/align/resynchronizer.h"

#include <algorithm>

#include "diff_events/align/sequence_diff.h"

namespace de {
namespace {

EventRef RefOf(const DecodedEvent& e, const std::string& raw) {
  EventRef ref;
  ref.idx = e.idx;
  ref.line = e.line;
  ref.alloc_ordinal = e.alloc_ordinal;
  ref.offset = e.offset;
  ref.size = e.raw_size;
  ref.raw = raw;
  return ref;
}

}  // namespace

Resynchronizer::Resynchronizer(const ResyncSettings& settings, uint64_t canary_pos,
                               uint64_t ours_pos)
    : settings_(settings), canary_pos_(canary_pos), ours_pos_(ours_pos) {}

void Resynchronizer::Fill(PendingQueue& from, Window& into) {
  while (into.size() < settings_.window && !from.empty()) {
    PendingEvent p = from.front();
    into.push_back({p.event, std::string(p.raw)});
    from.pop_front();
  }
}

void Resynchronizer::PopMatched(size_t a_count, size_t b_count, const OnMatched& on_matched) {
  size_t n = std::min({a_count, b_count, canary_.size(), ours_.size()});
  for (size_t i = 0; i < n; ++i) {
    on_matched(canary_.front().event, ours_.front().event);
    canary_.pop_front();
    ours_.pop_front();
  }
  matched_ += n;
  canary_pos_ += n;
  ours_pos_ += n;
}

void Resynchronizer::StripMatching(const OnMatched& on_matched) {
  size_t n = 0;
  while (n < canary_.size() && n < ours_.size() && SameEvent(canary_[n].event, ours_[n].event)) {
    ++n;
  }
  PopMatched(n, n, on_matched);
}

void Resynchronizer::Emit(size_t a_start, size_t a_count, size_t b_start, size_t b_count,
                          bool resynced, HunkClass cls) {
  Hunk h;
  h.cls = cls;
  h.canary_start = canary_pos_ + a_start;
  h.canary_count = a_count;
  h.ours_start = ours_pos_ + b_start;
  h.ours_count = b_count;
  h.resynced = resynced;
  auto take = [&](const Window& w, size_t start, size_t count, std::vector<EventRef>& events,
                  std::optional<std::pair<uint64_t, uint64_t>>& idx) {
    size_t present = std::min(count, w.size() > start ? w.size() - start : 0);
    if (present == 0) return;
    idx = std::pair{w[start].event.idx, w[start + present - 1].event.idx};
    for (size_t i = 0; i < std::min(present, settings_.hunk_lines); ++i) {
      events.push_back(RefOf(w[start + i].event, w[start + i].raw));
    }
  };
  take(canary_, a_start, a_count, h.canary_events, h.canary_idx);
  take(ours_, b_start, b_count, h.ours_events, h.ours_idx);
  hunks_.push_back(std::move(h));
}

// One side's stream is over and the other still has events: they form one `ends` hunk that
// keeps growing with whatever the other side still sends.
void Resynchronizer::EndOf(bool canary_ended_first, size_t still_queued) {
  Window& rest = canary_ended_first ? ours_ : canary_;
  if (canary_ended_first) {
    Emit(0, 0, 0, rest.size(), true, HunkClass::kEnds);
    hunks_.back().ours_count += still_queued;
  } else {
    Emit(0, rest.size(), 0, 0, true, HunkClass::kEnds);
    hunks_.back().canary_count += still_queued;
  }
  open_ends_ = static_cast<int>(hunks_.size()) - 1;
  open_ends_canary_ = !canary_ended_first;
  rest.clear();
  done_ = true;
}

void Resynchronizer::AddUncompared(bool canary_side) {
  if (open_ends_ < 0 || canary_side != open_ends_canary_) return;
  Hunk& h = hunks_[static_cast<size_t>(open_ends_)];
  (canary_side ? h.canary_count : h.ours_count)++;
}

void Resynchronizer::Advance(PendingQueue& canary, PendingQueue& ours, bool canary_ended,
                             bool ours_ended, const OnMatched& on_matched) {
  while (!done_) {
    Fill(canary, canary_);
    Fill(ours, ours_);
    StripMatching(on_matched);
    bool canary_complete = canary_ended && canary.empty();
    bool ours_complete = ours_ended && ours.empty();
    if (canary_.empty() || ours_.empty()) {
      if (canary_.empty() && ours_.empty()) {
        done_ = canary_complete && ours_complete;
        return;
      }
      if (canary_.empty() && canary_complete) {
        EndOf(true, ours.size());
      } else if (ours_.empty() && ours_complete) {
        EndOf(false, canary.size());
      }
      if (done_) break;
      return;  // the empty side has more to come
    }
    bool decidable = (canary_.size() >= settings_.window || canary_complete) &&
                     (ours_.size() >= settings_.window || ours_complete);
    if (!decidable) return;
    std::vector<uint64_t> a, b;
    for (const WindowEvent& w : canary_) a.push_back(w.event.fingerprint);
    for (const WindowEvent& w : ours_) b.push_back(w.event.fingerprint);
    ResyncOptions options;
    options.a_complete = canary_complete;
    options.b_complete = ours_complete;
    ResyncResult r = FindResync(a, b, options);
    if (r.hunks.empty()) return;  // nothing settled yet (cannot happen with full windows)
    bool resynced = r.status != ResyncStatus::kNoResync;
    size_t a_done = 0, b_done = 0;  // window positions already dropped
    for (const EditHunk& h : r.hunks) {
      PopMatched(h.a_start - a_done, h.b_start - b_done, on_matched);
      a_done = h.a_start;
      b_done = h.b_start;
      HunkClass cls = h.a_count && h.b_count ? HunkClass::kReplaced
                      : h.a_count            ? HunkClass::kDeleted
                                             : HunkClass::kInserted;
      // Only one side left, running past the other's end: that stream ended here.
      bool ours_over = ours_complete && h.b_count == 0 && h.b_start == b.size();
      bool canary_over = canary_complete && h.a_count == 0 && h.a_start == a.size();
      if (ours_over || canary_over) cls = HunkClass::kEnds;
      Emit(0, h.a_count, 0, h.b_count, resynced, cls);
      canary_.erase(canary_.begin(), canary_.begin() + static_cast<std::ptrdiff_t>(h.a_count));
      ours_.erase(ours_.begin(), ours_.begin() + static_cast<std::ptrdiff_t>(h.b_count));
      canary_pos_ += h.a_count;
      ours_pos_ += h.b_count;
      a_done += h.a_count;
      b_done += h.b_count;
      if (Full()) {
        truncated_ = !(canary_complete && ours_complete && canary_.size() == ours_.size());
        done_ = true;
        break;
      }
    }
  }
  // Done: what is still queued is never compared.
  canary.clear();
  ours.clear();
}

}  // namespace de
