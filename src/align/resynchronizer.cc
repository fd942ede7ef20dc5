#include "diff_events/align/resynchronizer.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

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

// Of an item's events (one repeat), the key they have as written.
uint64_t RawKeyOf(const std::vector<Resynchronizer::WindowEvent>& events) {
  std::vector<uint64_t> raw;
  raw.reserve(events.size());
  for (const Resynchronizer::WindowEvent& w : events) raw.push_back(w.event.raw_fingerprint);
  return raw.empty() ? 0 : CycleKey(raw);
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
  for (const EventRef& ref : tail) {
    Undecided u{pos, FromRef(ref)};
    // Lockstep comparison kept only what reports show; the key comes from the cycle, so that a
    // split loop's loose events compare as what they are.
    u.w.event.fingerprint = u.w.event.raw_fingerprint =
        loop.cycle[(pos - loop.start) % loop.cycle.size()];
    undecided_.push_back(std::move(u));
    ++pos;
  }
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
    // A short loop keeps all its events: it may be unfolded (UnfoldShortLoops).
    bool keep_later = f.repeats >= 2 && f.length() <= kShortLoop;
    while (!undecided_.empty() && undecided_.front().pos < f.end()) {
      Undecided& u = undecided_.front();
      if (u.pos == f.end() - 1) item.last_idx = u.w.event.idx;
      if (keep_later && u.pos >= f.start + f.period) item.later.push_back(std::move(u.w));
      undecided_.pop_front();
    }
    if (item.later.size() != f.length() - f.period) item.later.clear();
    if (seeded) seed_start_.reset();
    item.raw_key = item.events.size() == f.period ? RawKeyOf(item.events) : f.key;
    items.push_back(std::move(item));
  }
  out_.clear();
}

void Resynchronizer::Side::SplitAt(size_t index, const LoopCut& cut) {
  Item whole = std::move(items[index]);
  items.erase(items.begin() + static_cast<std::ptrdiff_t>(index));
  const uint64_t period = whole.fold.period;
  // The idx of the event `offset` events into the loop: known inside when the loop's idx run
  // has no gap (its events numbered one after another), else the nearest end's.
  bool contiguous = whole.last_idx - whole.first_idx + 1 == whole.fold.length();
  auto idx_at = [&](uint64_t offset) {
    if (contiguous) return whole.first_idx + offset;
    return offset + 1 == whole.fold.length() ? whole.last_idx : whole.first_idx;
  };
  // The event at `offset`, shown by the same place in the kept repeat.
  auto event_at = [&](uint64_t offset) {
    if (offset >= period && offset - period < whole.later.size())
      return whole.later[offset - period];
    WindowEvent w = whole.events[offset % period];
    w.representative = true;
    w.event.idx = idx_at(offset);
    // Compared as a canonical event only: what was written belongs to another iteration.
    w.event.raw_fingerprint = w.event.fingerprint;
    return w;
  };
  auto loop_piece = [&](uint64_t key, uint64_t offset, uint64_t repeats) {
    Item piece;
    piece.fold = {key, static_cast<uint32_t>(period), repeats, whole.fold.start + offset};
    for (uint64_t k = 0; k < period; ++k) piece.events.push_back(event_at(offset + k));
    piece.first_idx = idx_at(offset);
    piece.last_idx = idx_at(offset + repeats * period - 1);
    piece.raw_key = key;  // other iterations' events: compared canonically only
    piece.split = true;
    return piece;
  };
  auto lone_piece = [&](uint64_t offset) {
    Item lone;
    lone.events.push_back(event_at(offset));
    lone.fold = {lone.events[0].event.fingerprint, 1, 1, whole.fold.start + offset};
    lone.first_idx = lone.last_idx = lone.events[0].event.idx;
    lone.raw_key = lone.events[0].event.raw_fingerprint;
    lone.split = true;
    return lone;
  };
  std::vector<Item> pieces;
  uint64_t offset = cut.first * period;
  if (cut.first > 0) {
    Item head = loop_piece(whole.fold.key, 0, cut.first);
    head.events = whole.events;  // the repeat kept is the head's own first one
    head.raw_key = whole.raw_key;
    pieces.push_back(std::move(head));
  } else {
    // The repeat kept is the loop's first: its events are lone as they are.
    for (; offset < period && offset < whole.fold.length(); ++offset) {
      Item lone;
      lone.events.push_back(whole.events[offset]);
      lone.fold = {lone.events[0].event.fingerprint, 1, 1, whole.fold.start + offset};
      lone.first_idx = lone.last_idx = lone.events[0].event.idx;
      lone.raw_key = lone.events[0].event.raw_fingerprint;
      lone.split = true;
      pieces.push_back(std::move(lone));
    }
  }
  for (uint64_t end = offset + cut.loose; offset < end; ++offset)
    pieces.push_back(lone_piece(offset));
  if (cut.again > 0) {
    pieces.push_back(loop_piece(cut.again_key, offset, cut.again));
    offset += cut.again * period;
  }
  for (; offset < whole.fold.length(); ++offset) pieces.push_back(lone_piece(offset));
  items.insert(items.begin() + static_cast<std::ptrdiff_t>(index),
               std::make_move_iterator(pieces.begin()), std::make_move_iterator(pieces.end()));
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
    // A split loop's later pieces show another iteration's events: those pairs were seen.
    if (c.events[i].representative || o.events[i].representative) break;
    if (c.fold.start + i >= divergence_pos_) on_matched(c.events[i].event, o.events[i].event);
  }
  matched_ += c.fold.length() - before;
  canary_.items.pop_front();
  ours_.items.pop_front();
}

// `pairs` front item pairs the script matched (equal keys): matched, or a loop that ran another
// number of times, or a broken loop, split to line up with the other side (the script is then
// out of date: kRestart). kWait: a loop-count pair whose shorter side may still turn out broken.
Resynchronizer::Step Resynchronizer::MatchFront(size_t pairs, const OnMatched& on_matched) {
  for (size_t i = 0; i < pairs; ++i) {
    const Item& c = canary_.items.front();
    const Item& o = ours_.items.front();
    if (c.fold.repeats == o.fold.repeats) {
      MatchPair(on_matched);
      continue;
    }
    const Side& shorter = c.fold.repeats < o.fold.repeats ? canary_ : ours_;
    const Side& longer = c.fold.repeats < o.fold.repeats ? ours_ : canary_;
    bool seen =
        [&](const Side& side, size_t needed) {
          return side.finished() || side.items.size() >= std::min(settings_.window, needed);
        }(shorter, kBreakLookahead + 2) &&
        (longer.finished() || longer.items.size() >= 2);
    if (!seen) return Step::kWait;
    if (!c.split && !o.split && SplitBrokenLoop(0, 0, c.fold.repeats > o.fold.repeats)) {
      MatchPair(on_matched);
      return Step::kRestart;
    }
    Emit(1, 1, true, HunkClass::kLoopCount);
    if (Full()) return Step::kFull;
  }
  return Step::kGoOn;
}

namespace {

// Where a broken loop goes on: the item `again` of its side, the same loop entered at its event
// `rotation`, after `stretch` events that are not the loop.
struct LoopBreak {
  size_t again = 0;
  uint32_t rotation = 0;
  uint64_t stretch = 0;
};

// The loop entered at its event r: `item`'s cycle is `loop`'s, rotated by r.
std::optional<uint32_t> Entry(const Resynchronizer::Item& loop, const Resynchronizer::Item& item) {
  if (item.fold.key == loop.fold.key) return 0;
  const uint32_t period = loop.fold.period;
  if (item.fold.period != period || item.events.size() != period || item.fold.repeats < 2 ||
      loop.events.size() != period) {
    return std::nullopt;
  }
  for (uint32_t r = 1; r < period; ++r) {
    bool same = true;
    for (uint64_t k = 0; k < period && same; ++k) {
      same = item.events[k].event.fingerprint == loop.events[(k + r) % period].event.fingerprint;
    }
    if (same) return r;
  }
  return std::nullopt;
}

// The loop items[at] is broken: within kBreakLookahead items, after a stretch, it goes on.
std::optional<LoopBreak> FindBreak(const std::deque<Resynchronizer::Item>& items, size_t at) {
  LoopBreak b;
  const Resynchronizer::Item& loop = items[at];
  size_t end = std::min(items.size(), at + 2 + kBreakLookahead);
  for (size_t j = at + 1; j < end; ++j) {
    if (std::optional<uint32_t> r = Entry(loop, items[j])) {
      if (j == at + 1) return std::nullopt;
      b.again = j;
      b.rotation = *r;
      return b;
    }
    b.stretch += items[j].fold.length();
  }
  return std::nullopt;
}

// How to cut `loop` (the longer one) so that it lines up with a broken loop of `before` repeats
// then the loop again as `second`: the shorter's count, the events the stretch stands in for,
// the second part's count and entry, what is left. None when the stretch could not stand in for
// those events (a cycle's worth more than it holds, at least one): the loop really ran more
// often.
std::optional<Resynchronizer::Side::LoopCut> PlanCut(const Resynchronizer::Item& loop,
                                                     uint64_t before, const LoopBreak& b,
                                                     const Resynchronizer::Item& second) {
  const uint64_t period = loop.fold.period;
  if (loop.events.size() != period || loop.fold.repeats <= before) return std::nullopt;
  uint64_t rest = (loop.fold.repeats - before) * period;
  if (rest < b.rotation) return std::nullopt;
  Resynchronizer::Side::LoopCut cut;
  cut.first = before;
  cut.again = std::min(second.fold.repeats, (rest - b.rotation) / period);
  cut.again_key = second.fold.key;
  // Lone events before the second part: as many as leave less than a cycle after it.
  cut.loose = b.rotation + (rest - b.rotation - cut.again * period) / period * period;
  if (cut.loose > ((b.stretch + period - 1) / period + 1) * period) return std::nullopt;
  return cut;
}

}  // namespace

// The loop at shorter_at on the shorter side is broken: it goes on, after a stretch, with the
// same cycle again, possibly entered at another of its events (×50, one other iteration, ×49
// against ×100; ×50, an extra call, ×50; ×50, an iteration whose first event differs, then the
// rest of it and the cycle from its second event on). If the longer side's loop at longer_at
// goes on with something other than that stretch, it is cut into the shorter's count, the
// events the stretch stands in for (lone, so that they are compared with it one by one), the
// same loop again with the second part's count and entry, and what is left (lone). A loop that
// really ran more often stays whole: a loop-count hunk. Returns whether it split.
bool Resynchronizer::SplitBrokenLoop(size_t canary_at, size_t ours_at, bool canary_longer) {
  Side& longer = canary_longer ? canary_ : ours_;
  const Side& shorter = canary_longer ? ours_ : canary_;
  size_t longer_at = canary_longer ? canary_at : ours_at;
  size_t shorter_at = canary_longer ? ours_at : canary_at;
  const Item& loop = longer.items[longer_at];
  if (loop.split || shorter.items[shorter_at].fold.key != loop.fold.key) return false;
  std::optional<LoopBreak> b = FindBreak(shorter.items, shorter_at);
  if (!b) return false;
  // What the longer side does next must be known, and differ from the shorter side's stretch.
  if (longer_at + 1 < longer.items.size()) {
    if (longer.items[longer_at + 1].fold.key == shorter.items[shorter_at + 1].fold.key) {
      return false;
    }
  } else if (!longer.finished()) {
    return false;
  }
  std::optional<Side::LoopCut> cut =
      PlanCut(loop, shorter.items[shorter_at].fold.repeats, *b, shorter.items[b->again]);
  if (!cut) return false;
  longer.SplitAt(longer_at, *cut);
  return true;
}

// Before an edit script is looked for: a minimal script over items may match the longer loop
// with either part of a broken one (the same key twice), so broken loops are split first. Of
// the longer side's unsplit loops of that key near the same place, the first that fits.
bool Resynchronizer::SplitBrokenLoops() {
  bool any = false;
  for (bool canary_longer : {true, false}) {
    Side& longer = canary_longer ? canary_ : ours_;
    const Side& shorter = canary_longer ? ours_ : canary_;
    for (size_t i = 0; i < shorter.items.size(); ++i) {
      const Item& broken = shorter.items[i];
      if (broken.fold.repeats < 2 || broken.split || !FindBreak(shorter.items, i)) continue;
      size_t lo = i > kBreakLookahead ? i - kBreakLookahead : 0;
      size_t hi = std::min(longer.items.size(), i + kBreakLookahead + 1);
      for (size_t k = lo; k < hi; ++k) {
        const Item& loop = longer.items[k];
        if (loop.split || loop.fold.key != broken.fold.key ||
            loop.fold.repeats <= broken.fold.repeats) {
          continue;
        }
        if (SplitBrokenLoop(canary_longer ? k : i, canary_longer ? i : k, canary_longer)) {
          any = true;
          break;
        }
      }
    }
  }
  return any;
}

// Items compare by key, or by their events as written (SameEvent: a constant inside a block on
// one side only), cycle for cycle.
static bool SameItem(const Resynchronizer::Item& a, const Resynchronizer::Item& b) {
  return a.fold.key == b.fold.key || (a.fold.period == b.fold.period && a.raw_key == b.raw_key);
}

// The keys the edit script compares: an item's key, or, when an item of the other side has the
// same events as written under another key, the written one on both sides (so that the script
// sees them equal, as lockstep comparison does).
void Resynchronizer::ScriptKeys(std::vector<uint64_t>& a, std::vector<uint64_t>& b) const {
  std::unordered_map<uint64_t, uint64_t> canary_key_of_raw;
  for (const Item& item : canary_.items) {
    if (item.raw_key != item.fold.key) canary_key_of_raw.emplace(item.raw_key, item.fold.key);
  }
  std::unordered_set<uint64_t> by_raw;
  for (const Item& item : ours_.items) {
    auto it = canary_key_of_raw.find(item.raw_key);
    if (it != canary_key_of_raw.end() && it->second != item.fold.key) by_raw.insert(item.raw_key);
  }
  // Both directions: an ours item written like a canary item whose key differs.
  std::unordered_map<uint64_t, uint64_t> ours_key_of_raw;
  for (const Item& item : ours_.items) {
    if (item.raw_key != item.fold.key) ours_key_of_raw.emplace(item.raw_key, item.fold.key);
  }
  for (const Item& item : canary_.items) {
    auto it = ours_key_of_raw.find(item.raw_key);
    if (it != ours_key_of_raw.end() && it->second != item.fold.key) by_raw.insert(item.raw_key);
  }
  // Written keys are salted apart from canonical ones: they are different hashes of the events.
  constexpr uint64_t kWrittenSalt = 0x5851f42d4c957f2dULL;
  auto key = [&](const Item& item) {
    return by_raw.count(item.raw_key) ? item.raw_key ^ kWrittenSalt : item.fold.key;
  };
  a.clear();
  b.clear();
  for (const Item& item : canary_.items) a.push_back(key(item));
  for (const Item& item : ours_.items) b.push_back(key(item));
}

Resynchronizer::Step Resynchronizer::StripMatching(const OnMatched& on_matched) {
  for (;;) {
    size_t n = 0;
    while (n < canary_.items.size() && n < ours_.items.size() &&
           SameItem(canary_.items[n], ours_.items[n])) {
      ++n;
    }
    Step step = MatchFront(n, on_matched);
    if (step != Step::kRestart) return step;
  }
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
          events.back().representative = item.events[k].representative;
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
  bool rest_matches = canary_complete && ours_complete &&
                      std::equal(canary_.items.begin(), canary_.items.end(), ours_.items.begin(),
                                 ours_.items.end(), [](const Item& c, const Item& o) {
                                   return SameItem(c, o) && c.fold.repeats == o.fold.repeats;
                                 });
  truncated_ = !rest_matches;
  done_ = true;
}

// A replaced hunk at the front holding short loops (a call replaced by its neighbour makes a
// loop of two): those are not the noise folding is for, and as items they cannot match the
// same events lone on the other side. They are unfolded into lone events and the script is
// found again, so that the hunk is the unfolded script's. Loops that began before the
// divergence stay whole (lockstep matched them). Returns whether any was unfolded.
bool Resynchronizer::UnfoldShortLoops(size_t canary_count, size_t ours_count) {
  bool any = false;
  for (auto [side, count] :
       {std::pair<Side*, size_t>{&canary_, canary_count}, {&ours_, ours_count}}) {
    for (size_t i = 0; i < count && i < side->items.size(); ++i) {
      const Item& item = side->items[i];
      if (item.fold.repeats < 2 || item.split || item.fold.length() > kShortLoop ||
          item.fold.start < divergence_pos_ || item.events.size() != item.fold.period) {
        continue;
      }
      uint64_t length = item.fold.length();
      Side::LoopCut cut;  // no repeats kept whole: every event lone
      side->SplitAt(i, cut);
      i += length - 1;
      count += length - 1;
      any = true;
    }
  }
  return any;
}

// Reports the hunks of one FindResync answer, with the matched items before each of them.
Resynchronizer::Step Resynchronizer::Settle(const std::vector<EditHunk>& hunks, bool resynced,
                                            KeySpan a, KeySpan b, bool canary_complete,
                                            bool ours_complete, const OnMatched& on_matched) {
  size_t a_done = 0;  // window positions already dropped
  for (const ClassedHunk& ch :
       ClassifyHunks(hunks, a, b, settings_, canary_complete, ours_complete)) {
    const EditHunk& h = ch.hunk;
    Step step = MatchFront(h.a_start - a_done, on_matched);
    if (step != Step::kGoOn) return step;
    if (ch.cls == HunkClass::kReplaced && UnfoldShortLoops(h.a_count, h.b_count)) {
      return Step::kRestart;
    }
    Emit(h.a_count, h.b_count, resynced, ch.cls);
    a_done = h.a_end();
    if (Full()) return Step::kFull;
  }
  return Step::kGoOn;
}

void Resynchronizer::Advance(PendingQueue& canary, PendingQueue& ours, bool canary_ended,
                             bool ours_ended, const OnMatched& on_matched) {
  while (!done_) {
    Fill(canary, canary_, canary_ended);
    Fill(ours, ours_, ours_ended);
    bool canary_complete = canary_.finished();
    bool ours_complete = ours_.finished();
    Step strip = StripMatching(on_matched);
    if (strip == Step::kFull) {
      Stop(canary_complete, ours_complete);
      break;
    }
    if (strip == Step::kWait) return;
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
    if (SplitBrokenLoops()) continue;
    std::vector<uint64_t> a, b;
    ScriptKeys(a, b);
    ResyncOptions options;
    options.anchor = settings_.anchor();
    options.a_complete = canary_complete;
    options.b_complete = ours_complete;
    ResyncResult r = FindResync(a, b, options);
    if (r.hunks.empty()) return;  // nothing settled yet (cannot happen with full windows)
    Step settled = Settle(r.hunks, r.status != ResyncStatus::kNoResync, a, b, canary_complete,
                          ours_complete, on_matched);
    if (settled == Step::kFull) {
      Stop(canary_complete, ours_complete);
      break;
    }
    if (settled == Step::kWait) return;
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
