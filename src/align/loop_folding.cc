#include "diff_events/align/loop_folding.h"

#include <algorithm>
#include <unordered_map>

namespace de {
namespace {

// splitmix64's finalizer: a fixed, platform-independent mix (no seeding, no std::hash), so
// cycle keys are the same on every run and machine.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

uint64_t CycleKey(KeySpan cycle) {
  if (cycle.size() == 1) return cycle[0];
  uint64_t h = Mix(cycle.size());
  for (uint64_t key : cycle) h = Mix(h ^ key);
  return h;
}

LoopFolder::LoopFolder(FoldOptions options) : options_(options) {
  options_.min_repeats = std::max<uint64_t>(options_.min_repeats, 2);
  candidates_.resize(options_.max_period);
}

std::optional<FoldedItem> LoopFolder::open_loop() const {
  if (!counting_) return std::nullopt;
  return FoldedItem{cycle_key_, static_cast<uint32_t>(keys_.size()), repeats_, base_};
}

void LoopFolder::SeedLoop(KeySpan cycle, uint64_t start, uint64_t repeats, size_t phase) {
  keys_.assign(cycle.begin(), cycle.end());
  base_ = start;
  counting_ = true;
  tracking_ = false;
  repeats_ = repeats;
  phase_ = phase;
  cycle_key_ = CycleKey(cycle);
}

void LoopFolder::Push(uint64_t key, std::vector<FoldedItem>& out) {
  if (counting_) {
    Count(key, out);
    return;
  }
  keys_.push_back(key);
  if (tracking_) Extend();
  Advance(false, out);
}

void LoopFolder::Finish(std::vector<FoldedItem>& out) {
  if (counting_) {
    // The unfinished repeat goes back to be folded on its own.
    std::vector<uint64_t> partial(keys_.begin(), keys_.begin() + static_cast<ptrdiff_t>(phase_));
    Emit(keys_.size(), repeats_, out);
    Resume(std::move(partial));
  }
  Advance(true, out);
}

// The loop's next element: one more step of the cycle, or the end of the loop.
void LoopFolder::Count(uint64_t key, std::vector<FoldedItem>& out) {
  size_t period = keys_.size();
  if (key == keys_[phase_]) {
    if (++phase_ == period) {
      phase_ = 0;
      ++repeats_;
    }
    return;
  }
  std::vector<uint64_t> rest(keys_.begin(), keys_.begin() + static_cast<ptrdiff_t>(phase_));
  rest.push_back(key);
  Emit(period, repeats_, out);
  Resume(std::move(rest));
  Advance(false, out);
}

// Back to deciding, with `keys` (what followed the loop) undecided.
void LoopFolder::Resume(std::vector<uint64_t> keys) {
  keys_ = std::move(keys);
  counting_ = false;
  tracking_ = false;
}

// Decides for the front as long as it can: alone, as a loop, or by starting to count one.
void LoopFolder::Advance(bool at_end, std::vector<FoldedItem>& out) {
  const size_t horizon = candidates_.size() + 1;  // the front and one full period after it
  while (!counting_ && !keys_.empty()) {
    if (!tracking_) {
      if (!at_end && keys_.size() < horizon) return;
      // Outside loops the front's key does not come back within a period: it is alone, and no
      // candidate needs to be looked at. This keeps the common case at max_period compares.
      if (keys_.size() >= horizon &&
          std::find(keys_.begin() + 1, keys_.begin() + static_cast<ptrdiff_t>(horizon), keys_[0]) ==
              keys_.begin() + static_cast<ptrdiff_t>(horizon)) {
        EmitFront(1, 1, out);
        continue;
      }
      Rescan();
      tracking_ = true;
    }
    if (!DecideFront(at_end, out)) return;
  }
}

// Candidate p's state after keys_.back() arrived.
void LoopFolder::Extend() {
  size_t i = keys_.size() - 1;
  for (size_t p = 1; p <= candidates_.size(); ++p) {
    Candidate& c = candidates_[p - 1];
    if (c.dead) continue;
    if (i >= p && keys_[i] != keys_[i - p]) {
      Retire(p);
      continue;
    }
    c.agree = i + 1;
    if (c.agree == p && RepeatsShorterCycle(p)) Retire(p);
  }
}

// Candidates from scratch for the front of keys_. Each scan stops at the first disagreement.
void LoopFolder::Rescan() {
  size_t n = keys_.size();
  for (size_t p = 1; p <= candidates_.size(); ++p) {
    Candidate& c = candidates_[p - 1];
    c = Candidate{};
    size_t i = std::min(p, n);
    while (i < n && keys_[i] == keys_[i - p]) ++i;
    c.agree = i;
    if (i < n || (n >= p && RepeatsShorterCycle(p))) Retire(p);
  }
}

// A cycle that repeats a shorter one (A A, A B A B) is covered by that one at least as far, and
// the tie goes to the shorter period, so it never has to stay in the race. Only asked of live
// candidates, when their cycle is complete: a finished one loses that tie anyway.
bool LoopFolder::RepeatsShorterCycle(size_t period) const {
  for (size_t g = 1; g < period; ++g) {
    if (period % g == 0 && candidates_[g - 1].agree >= period) return true;
  }
  return false;
}

// The candidate is out of the race; what it would fold is now fixed.
void LoopFolder::Retire(size_t period) {
  Candidate& c = candidates_[period - 1];
  c.dead = true;
  c.coverage = Coverage(period);
}

// Elements the loop of this period would fold, 0 when it has too few repeats.
size_t LoopFolder::Coverage(size_t period) const {
  size_t agree = candidates_[period - 1].agree;
  if (agree < options_.min_repeats * period) return 0;
  return agree / period * period;
}

void LoopFolder::Emit(size_t period, uint64_t repeats, std::vector<FoldedItem>& out) {
  uint64_t key = period == 1 ? keys_[0] : CycleKey(KeySpan(keys_.data(), period));
  out.push_back({key, static_cast<uint32_t>(period), repeats, base_});
  base_ += period * repeats;
}

void LoopFolder::EmitFront(size_t period, uint64_t repeats, std::vector<FoldedItem>& out) {
  Emit(period, repeats, out);
  keys_.erase(keys_.begin(), keys_.begin() + static_cast<ptrdiff_t>(period * repeats));
  tracking_ = false;
}

// With the candidates of the front known: emits its item (true), or waits for more keys, or
// commits to counting a loop (false).
bool LoopFolder::DecideFront(bool at_end, std::vector<FoldedItem>& out) {
  size_t best = 0, best_coverage = 0;  // among the finished candidates (all of them at the end)
  size_t alive = 0, alive_period = 0;
  for (size_t p = 1; p <= candidates_.size(); ++p) {
    const Candidate& c = candidates_[p - 1];
    if (!c.dead && !at_end) {
      ++alive;
      alive_period = p;
      continue;
    }
    size_t coverage = c.dead ? c.coverage : Coverage(p);
    if (coverage > best_coverage) {
      best = p;
      best_coverage = coverage;
    }
  }
  if (alive > 1) return false;
  if (alive == 1) {
    // Once the last candidate has its repeats it already covers more than any finished one
    // (Fine–Wilf: a finished p that agreed for 2p elements with it would make both repeat a
    // shorter cycle, and those were pruned), and it only grows: commit and count.
    if (Coverage(alive_period) == 0) return false;
    repeats_ = keys_.size() / alive_period;
    phase_ = keys_.size() % alive_period;
    cycle_key_ = CycleKey(KeySpan(keys_.data(), alive_period));
    keys_.resize(alive_period);
    counting_ = true;
    return false;
  }
  if (best_coverage == 0) {
    EmitFront(1, 1, out);
  } else {
    EmitFront(best, best_coverage / best, out);
  }
  return true;
}

TailLoopTracker::TailLoopTracker(size_t max_period) : max_period_(max_period) {
  size_t ring = 1;
  while (ring < 2 * std::max<size_t>(max_period, 1)) ring *= 2;
  mask_ = ring - 1;
}

void TailLoopTracker::Allocate() {
  rings_ = std::make_unique<uint64_t[]>(2 * (mask_ + 1) + 2 * (max_period_ + 1));  // zeroed
  keys()[0] = first_key_;
  tags()[0] = first_tag_;
}

void TailLoopTracker::Restart() {
  restarted_at_ += pos_;
  pos_ = 0;
  rings_.reset();
}

std::optional<TailLoopTracker::Loop> TailLoopTracker::Current() const {
  if (!rings_) return std::nullopt;  // fewer than two keys: no loop
  const uint64_t *keys = this->keys(), *run = this->run();
  size_t best = 0;
  uint64_t best_length = 0;
  for (size_t p = 1; p <= max_period_; ++p) {
    uint64_t length = run[p] + p;  // the run compares each element with the one p before it
    if (run[p] >= p && length > best_length) {
      best = p;
      best_length = length;
    }
  }
  if (best == 0) return std::nullopt;
  Loop loop;
  loop.period = static_cast<uint32_t>(best);
  uint64_t start = pos_ - best_length;  // in the ring's numbering
  loop.start = restarted_at_ + start;
  loop.repeats = best_length / best;
  loop.phase = static_cast<size_t>(best_length % best);
  loop.first_idx = start_tag()[best];
  // The last full repeat is in the ring and, the tail being periodic, equals the first.
  uint64_t last_repeat = start + (loop.repeats - 1) * best;
  for (size_t i = 0; i < best; ++i) {
    loop.cycle.push_back(keys[static_cast<size_t>(last_repeat + i) & mask_]);
  }
  return loop;
}

std::vector<FoldedItem> FoldLoops(KeySpan keys, FoldOptions options) {
  LoopFolder folder(options);
  std::vector<FoldedItem> items;
  for (uint64_t key : keys) folder.Push(key, items);
  folder.Finish(items);
  return items;
}

UnfoldedRange Unfold(const std::vector<FoldedItem>& items, size_t first, size_t count,
                     uint64_t base) {
  uint64_t start = first < items.size() ? items[first].start
                   : items.empty()      ? base
                                        : items.back().end();
  uint64_t end = first + count < items.size() ? items[first + count].start
                 : items.empty()              ? base
                                              : items.back().end();
  return {start, end - start};
}

bool IsReordered(KeySpan a, KeySpan b) {
  if (a.size() != b.size() || a.empty() || std::equal(a.begin(), a.end(), b.begin())) {
    return false;
  }
  std::vector<uint64_t> sorted_a(a.begin(), a.end()), sorted_b(b.begin(), b.end());
  std::sort(sorted_a.begin(), sorted_a.end());
  std::sort(sorted_b.begin(), sorted_b.end());
  return sorted_a == sorted_b;
}

namespace {

// How many more of each key one side holds than the other, and how many keys are off.
class MultisetBalance {
 public:
  void Add(KeySpan keys, int sign) {
    for (uint64_t key : keys) {
      int64_t& n = counts_[key];
      if (n == 0) ++uneven_;
      n += sign;
      if (n == 0) --uneven_;
    }
  }
  bool even() const { return uneven_ == 0; }

 private:
  std::unordered_map<uint64_t, int64_t> counts_;
  size_t uneven_ = 0;
};

}  // namespace

std::vector<ClassifiedHunk> MergeReorderedHunks(const std::vector<EditHunk>& hunks, KeySpan a,
                                                KeySpan b, size_t max_gap) {
  std::vector<ClassifiedHunk> out;
  for (size_t i = 0; i < hunks.size();) {
    // The matched elements between hunks are equal pairwise, so only the hunks' own elements
    // can unbalance the joined stretch.
    MultisetBalance balance;
    size_t last = i;
    for (size_t j = i; j < hunks.size(); ++j) {
      if (j > i && hunks[j].a_start - hunks[j - 1].a_end() > max_gap) break;
      balance.Add(a.subspan(hunks[j].a_start, hunks[j].a_count), 1);
      balance.Add(b.subspan(hunks[j].b_start, hunks[j].b_count), -1);
      if (balance.even()) {
        last = j;
        break;
      }
    }
    if (last > i) {
      const EditHunk& first = hunks[i];
      out.push_back({{first.a_start, hunks[last].a_end() - first.a_start, first.b_start,
                      hunks[last].b_end() - first.b_start},
                     true});
    } else {
      const EditHunk& h = hunks[i];
      out.push_back(
          {h, IsReordered(a.subspan(h.a_start, h.a_count), b.subspan(h.b_start, h.b_count))});
    }
    i = last + 1;
  }
  return out;
}

}  // namespace de
