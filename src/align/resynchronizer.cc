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

// An event lockstep comparison matched, back as a window event (only what reports show).
Resynchronizer::WindowEvent FromRef(const EventRef& ref) {
  Resynchronizer::WindowEvent w;
  w.event.idx = ref.idx;
  w.event.line = ref.line;
  w.event.alloc_ordinal = ref.alloc_ordinal;
  w.event.offset = ref.offset;
  w.event.raw_size = ref.size;
  w.raw = ref.raw;
  return w;
}

FoldOptions FoldOptionsOf(const ResyncSettings& s) {
  FoldOptions options;
  options.max_period = s.fold_period;
  return options;
}

}  // namespace

size_t ResyncSettings::anchor() const {
  return std::max({kDefaultResyncAnchor, reorder_gap + 1, reorder_window + 1});
}

Resynchronizer::Side::Side(const ResyncSettings& settings, uint64_t start, const LoopSeed* seed,
                           bool canary)
    : folder_(FoldOptionsOf(settings)), next_pos_(start) {
  if (!seed) {
    folder_.StartAt(start);
    return;
  }
  const TailLoopTracker::Loop& loop = seed->loop;
  folder_.SeedLoop(loop.cycle, loop.start, loop.repeats, loop.phase);
  seed_start_ = loop.start;
  seed_first_idx_ = loop.first_idx;
  const std::vector<EventRef>& tail = canary ? seed->canary_tail : seed->ours_tail;
  uint64_t pos = start - tail.size();
  for (const EventRef& ref : tail) undecided_.push_back({pos++, FromRef(ref)});
}

void Resynchronizer::Side::Push(const DecodedEvent& event, std::string_view raw) {
  undecided_.push_back({next_pos_++, {event, std::string(raw)}});
  folder_.Push(event.fingerprint, out_);
  TakeItems();
  DropMiddleOfOpenLoop();
}

void Resynchronizer::Side::Finish() {
  if (finished_) return;
  folder_.Finish(out_);
  TakeItems();
  finished_ = true;
}

// While a loop is counted, only its first repeat (what shows it) and the last events (its last
// element, and the partial repeat the folder resumes with when it ends) are needed: memory stays
// O(period) however long the loop runs.
void Resynchronizer::Side::DropMiddleOfOpenLoop() {
  std::optional<FoldedItem> open = folder_.open_loop();
  if (!open) return;
  size_t period = open->period;
  while (undecided_.size() > 3 * period + 2) {
    undecided_.erase(undecided_.begin() + static_cast<std::ptrdiff_t>(period));
  }
}

void Resynchronizer::Side::TakeItems() {
  for (const FoldedItem& f : out_) {
    Item item;
    item.fold = f;
    // A seeded loop's first repeat was matched long ago: its last matched repeat shows it.
    bool seeded = seed_start_ && *seed_start_ == f.start;
    item.first_idx = seeded ? seed_first_idx_ : undecided_.front().w.event.idx;
    size_t shown = std::min<size_t>(f.period, undecided_.size());
    for (size_t i = 0; i < shown; ++i) item.events.push_back(std::move(undecided_[i].w));
    while (!undecided_.empty() && undecided_.front().pos < f.end()) {
      if (undecided_.front().pos == f.end() - 1) item.last_idx = undecided_.front().w.event.idx;
      undecided_.pop_front();
    }
    if (seeded) seed_start_.reset();
    items.push_back(std::move(item));
  }
  out_.clear();
}

Resynchronizer::Resynchronizer(const ResyncSettings& settings, uint64_t divergence_pos,
                               const std::optional<LoopSeed>& seed)
    : settings_(settings),
      divergence_pos_(divergence_pos),
      canary_(settings, divergence_pos, seed ? &*seed : nullptr, true),
      ours_(settings, divergence_pos, seed ? &*seed : nullptr, false) {}

void Resynchronizer::Fill(PendingQueue& from, Side& into, bool ended) {
  while (into.items.size() < settings_.window && !from.empty()) {
    PendingEvent p = from.front();
    into.Push(p.event, p.raw);
    from.pop_front();
  }
  if (ended && from.empty()) into.Finish();
}

// The front items of both windows match: their events pair up. Events before the divergence
// (a seeded loop's) were matched and counted in lockstep already.
void Resynchronizer::MatchPair(const OnMatched& on_matched) {
  const Item& c = canary_.items.front();
  const Item& o = ours_.items.front();
  uint64_t before = divergence_pos_ > c.fold.start
                        ? std::min(divergence_pos_ - c.fold.start, c.fold.length())
                        : 0;
  for (size_t i = 0; i < c.events.size() && i < o.events.size(); ++i) {
    if (c.fold.start + i >= divergence_pos_) on_matched(c.events[i].event, o.events[i].event);
  }
  matched_ += c.fold.length() - before;
  canary_.items.pop_front();
  ours_.items.pop_front();
}

// `pairs` front item pairs the script matched (equal keys): matched, or a loop that ran another
// number of times. False once --max-hunks is reached.
bool Resynchronizer::MatchFront(size_t pairs, const OnMatched& on_matched) {
  for (size_t i = 0; i < pairs; ++i) {
    if (canary_.items.front().fold.repeats == ours_.items.front().fold.repeats) {
      MatchPair(on_matched);
      continue;
    }
    Emit(1, 1, true, HunkClass::kLoopCount);
    if (Full()) return false;
  }
  return true;
}

// Items compare by key; two lone events also when they are equal as written (SameEvent: a
// constant inside a block on one side only).
static bool SameItem(const FoldedItem& a, const FoldedItem& b, const DecodedEvent* a_event,
                     const DecodedEvent* b_event) {
  if (a.key == b.key) return true;
  return a.period == 1 && a.repeats == 1 && b.period == 1 && b.repeats == 1 && a_event && b_event &&
         SameEvent(*a_event, *b_event);
}

bool Resynchronizer::StripMatching(const OnMatched& on_matched) {
  size_t n = 0;
  auto first = [](const Item& item) {
    return item.events.empty() ? nullptr : &item.events.front().event;
  };
  while (n < canary_.items.size() && n < ours_.items.size() &&
         SameItem(canary_.items[n].fold, ours_.items[n].fold, first(canary_.items[n]),
                  first(ours_.items[n]))) {
    ++n;
  }
  return MatchFront(n, on_matched);
}

void Resynchronizer::Emit(size_t a_count, size_t b_count, bool resynced, HunkClass cls) {
  Hunk h;
  h.cls = cls;
  h.resynced = resynced;
  auto take = [&](Side& side, size_t count, uint64_t& start, uint64_t& total,
                  std::vector<EventRef>& events, uint64_t& span,
                  std::optional<std::pair<uint64_t, uint64_t>>& idx) {
    start = side.front_pos();
    count = std::min(count, side.items.size());
    if (count == 0) return;
    idx = std::pair{side.items.front().first_idx, side.items[count - 1].last_idx};
    bool room = true;
    for (size_t i = 0; i < count; ++i) {
      const Item& item = side.items.front();
      total += item.fold.length();
      size_t lines = item.events.size();
      room = room && (item.fold.repeats == 1 ? events.size() < settings_.hunk_lines
                                             : events.size() + lines <= settings_.hunk_lines);
      if (room) {
        for (size_t k = 0; k < lines; ++k) {
          events.push_back(RefOf(item.events[k].event, item.events[k].raw));
          events.back().loop_repeats = item.fold.repeats;
          events.back().loop_pos = static_cast<uint32_t>(k);
        }
        span += item.fold.length();
      }
      side.items.pop_front();
    }
  };
  uint64_t canary_repeats = a_count ? canary_.items.front().fold.repeats : 0;
  uint64_t ours_repeats = b_count ? ours_.items.front().fold.repeats : 0;
  uint32_t period = a_count ? canary_.items.front().fold.period : 1;
  take(canary_, a_count, h.canary_start, h.canary_count, h.canary_events, h.canary_shown_span,
       h.canary_idx);
  take(ours_, b_count, h.ours_start, h.ours_count, h.ours_events, h.ours_shown_span, h.ours_idx);
  if (cls == HunkClass::kLoopCount) h.loop = LoopCounts{period, canary_repeats, ours_repeats};
  hunks_.push_back(std::move(h));
}

// One side's stream is over and the other still has events: they form one `ends` hunk that
// keeps growing with whatever the other side still sends.
void Resynchronizer::EndOf(bool canary_ended_first, size_t still_queued) {
  Side& rest = canary_ended_first ? ours_ : canary_;
  rest.Finish();
  size_t n = rest.items.size();
  if (canary_ended_first) {
    Emit(0, n, true, HunkClass::kEnds);
    hunks_.back().ours_count += still_queued;
  } else {
    Emit(n, 0, true, HunkClass::kEnds);
    hunks_.back().canary_count += still_queued;
  }
  open_ends_ = static_cast<int>(hunks_.size()) - 1;
  open_ends_canary_ = !canary_ended_first;
  done_ = true;
}

void Resynchronizer::AddUncompared(bool canary_side) {
  if (open_ends_ < 0 || canary_side != open_ends_canary_) return;
  Hunk& h = hunks_[static_cast<size_t>(open_ends_)];
  (canary_side ? h.canary_count : h.ours_count)++;
}

// --max-hunks reached: the list is cut unless everything left is known to match (the same
// length is not enough: a second swap would go unreported, and --ignore-reordered trusts the list).
void Resynchronizer::Stop(bool canary_complete, bool ours_complete) {
  bool rest_matches =
      canary_complete && ours_complete &&
      std::equal(canary_.items.begin(), canary_.items.end(), ours_.items.begin(), ours_.items.end(),
                 [](const Item& c, const Item& o) {
                   return c.fold.key == o.fold.key && c.fold.repeats == o.fold.repeats;
                 });
  truncated_ = !rest_matches;
  done_ = true;
}

// Reports the hunks of one FindResync answer, with the matched items before each of them.
bool Resynchronizer::Settle(const std::vector<EditHunk>& hunks, bool resynced, KeySpan a, KeySpan b,
                            bool canary_complete, bool ours_complete, const OnMatched& on_matched) {
  size_t a_done = 0;  // window positions already dropped
  for (const ClassedHunk& ch :
       ClassifyHunks(hunks, a, b, settings_, canary_complete, ours_complete)) {
    const EditHunk& h = ch.hunk;
    if (!MatchFront(h.a_start - a_done, on_matched)) return false;
    Emit(h.a_count, h.b_count, resynced, ch.cls);
    a_done = h.a_end();
    if (Full()) return false;
  }
  return true;
}

void Resynchronizer::Advance(PendingQueue& canary, PendingQueue& ours, bool canary_ended,
                             bool ours_ended, const OnMatched& on_matched) {
  while (!done_) {
    Fill(canary, canary_, canary_ended);
    Fill(ours, ours_, ours_ended);
    bool canary_complete = canary_.finished();
    bool ours_complete = ours_.finished();
    if (!StripMatching(on_matched)) {
      Stop(canary_complete, ours_complete);
      break;
    }
    if (canary_.items.empty() || ours_.items.empty()) {
      if (canary_.items.empty() && ours_.items.empty()) {
        done_ = canary_complete && ours_complete;
        return;
      }
      if (canary_.items.empty() && canary_complete) {
        EndOf(true, ours.size());
      } else if (ours_.items.empty() && ours_complete) {
        EndOf(false, canary.size());
      }
      if (done_) break;
      return;  // the empty side has more to come
    }
    bool decidable = (canary_.items.size() >= settings_.window || canary_complete) &&
                     (ours_.items.size() >= settings_.window || ours_complete);
    if (!decidable) return;
    std::vector<uint64_t> a, b;
    for (const Item& item : canary_.items) a.push_back(item.fold.key);
    for (const Item& item : ours_.items) b.push_back(item.fold.key);
    ResyncOptions options;
    options.anchor = settings_.anchor();
    options.a_complete = canary_complete;
    options.b_complete = ours_complete;
    ResyncResult r = FindResync(a, b, options);
    if (r.hunks.empty()) return;  // nothing settled yet (cannot happen with full windows)
    if (!Settle(r.hunks, r.status != ResyncStatus::kNoResync, a, b, canary_complete, ours_complete,
                on_matched)) {
      Stop(canary_complete, ours_complete);
      break;
    }
  }
  // Done: what is still queued is never compared.
  canary.clear();
  ours.clear();
}

namespace {

// Every item of keys[from_start, from_start + from_count) has a distinct item of equal key among
// `other`'s differing items at most `window` positions away. Both windows start where the sides
// last lined up, so a position on one side compares with the same position on the other.
bool EachHasNearbyTwin(KeySpan keys, size_t from_start, size_t from_count, KeySpan other,
                       const std::vector<bool>& differing, size_t window) {
  std::vector<bool> claimed(other.size(), false);
  for (size_t k = 0; k < from_count; ++k) {
    size_t target = from_start + k;
    size_t lo = target > window ? target - window : 0;
    size_t hi = std::min(other.size(), target + window + 1);
    bool found = false;
    for (size_t j = lo; j < hi && !found; ++j) {
      if (differing[j] && !claimed[j] && other[j] == keys[from_start + k]) {
        claimed[j] = true;
        found = true;
      }
    }
    if (!found) return false;
  }
  return true;
}

std::vector<bool> DifferingMask(const std::vector<EditHunk>& hunks, size_t size, bool a_side) {
  std::vector<bool> mask(size, false);
  for (const EditHunk& h : hunks) {
    size_t start = a_side ? h.a_start : h.b_start;
    size_t count = a_side ? h.a_count : h.b_count;
    for (size_t i = start; i < start + count && i < size; ++i) mask[i] = true;
  }
  return mask;
}

}  // namespace

std::vector<ClassedHunk> ClassifyHunks(const std::vector<EditHunk>& hunks, KeySpan a, KeySpan b,
                                       const ResyncSettings& settings, bool a_complete,
                                       bool b_complete) {
  std::vector<bool> a_differing, b_differing;
  if (settings.reorder_window > 0) {
    a_differing = DifferingMask(hunks, a.size(), true);
    b_differing = DifferingMask(hunks, b.size(), false);
  }
  std::vector<ClassedHunk> out;
  for (const ClassifiedHunk& c : MergeReorderedHunks(hunks, a, b, settings.reorder_gap)) {
    const EditHunk& h = c.hunk;
    HunkClass cls = h.a_count && h.b_count ? HunkClass::kReplaced
                    : h.a_count            ? HunkClass::kDeleted
                                           : HunkClass::kInserted;
    // Only one side left, running past the other's end: that stream ended here.
    bool b_over = b_complete && h.b_count == 0 && h.b_start == b.size();
    bool a_over = a_complete && h.a_count == 0 && h.a_start == a.size();
    if (b_over || a_over) {
      cls = HunkClass::kEnds;
    } else if (c.reordered) {
      cls = HunkClass::kReordered;
    } else if (settings.reorder_window > 0 &&
               EachHasNearbyTwin(a, h.a_start, h.a_count, b, b_differing,
                                 settings.reorder_window) &&
               EachHasNearbyTwin(b, h.b_start, h.b_count, a, a_differing,
                                 settings.reorder_window)) {
      cls = HunkClass::kReordered;
    }
    out.push_back({h, cls});
  }
  return out;
}

}  // namespace de
