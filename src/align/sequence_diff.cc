#include "diff_events/align/sequence_diff.h"

#include <algorithm>
#include <cstddef>
#include <limits>

namespace de {
namespace {

// A stretch of matched elements: a[a, a + len) == b[b, b + len).
struct MatchedRun {
  size_t a;
  size_t b;
  size_t len;
};

// Myers' linear-space divide and conquer, in the shape of GNU diff's diffseq.h: find a point on
// an optimal path halfway through (by edit count) with a forward and a backward search of
// furthest-reaching paths, recurse on both halves. The two diagonal arrays are shared by every
// level (a level is done with them before it recurses), so memory is O(N+M) in total.
class LinearSpaceMyers {
 public:
  LinearSpaceMyers(KeySpan a, KeySpan b)
      : a_(a),
        b_(b),
        offset_(static_cast<ptrdiff_t>(b.size()) + 1),
        forward_(a.size() + b.size() + 3),
        backward_(a.size() + b.size() + 3) {}

  std::vector<MatchedRun> Run() {
    Compare(0, static_cast<ptrdiff_t>(a_.size()), 0, static_cast<ptrdiff_t>(b_.size()));
    return std::move(runs_);
  }

 private:
  struct Point {
    ptrdiff_t x;
    ptrdiff_t y;
  };

  bool Same(ptrdiff_t x, ptrdiff_t y) const {
    return a_[static_cast<size_t>(x)] == b_[static_cast<size_t>(y)];
  }
  ptrdiff_t& Forward(ptrdiff_t diagonal) {
    return forward_[static_cast<size_t>(diagonal + offset_)];
  }
  ptrdiff_t& Backward(ptrdiff_t diagonal) {
    return backward_[static_cast<size_t>(diagonal + offset_)];
  }

  void AddRun(ptrdiff_t x, ptrdiff_t y, ptrdiff_t len) {
    if (len == 0) return;
    size_t ax = static_cast<size_t>(x), by = static_cast<size_t>(y), n = static_cast<size_t>(len);
    if (!runs_.empty() && runs_.back().a + runs_.back().len == ax &&
        runs_.back().b + runs_.back().len == by) {
      runs_.back().len += n;
    } else {
      runs_.push_back({ax, by, n});
    }
  }

  // Appends the matched runs of a minimal script of a[xoff, xlim) vs b[yoff, ylim), in order.
  void Compare(ptrdiff_t xoff, ptrdiff_t xlim, ptrdiff_t yoff, ptrdiff_t ylim) {
    ptrdiff_t prefix = 0;
    while (xoff + prefix < xlim && yoff + prefix < ylim && Same(xoff + prefix, yoff + prefix)) {
      ++prefix;
    }
    AddRun(xoff, yoff, prefix);
    xoff += prefix;
    yoff += prefix;
    ptrdiff_t suffix = 0;
    while (xlim - suffix > xoff && ylim - suffix > yoff &&
           Same(xlim - suffix - 1, ylim - suffix - 1)) {
      ++suffix;
    }
    xlim -= suffix;
    ylim -= suffix;
    // With the ends stripped, a non-empty pair differs at both ends: the midpoint search needs
    // that (no snake on the start diagonals), and it guarantees each half costs less than the
    // whole, so the recursion ends.
    if (xoff < xlim && yoff < ylim) {
      Point mid = Midpoint(xoff, xlim, yoff, ylim);
      Compare(xoff, mid.x, yoff, mid.y);
      Compare(mid.x, xlim, mid.y, ylim);
    }
    AddRun(xlim, ylim, suffix);
  }

  // A point on a minimal path from (xoff, yoff) to (xlim, ylim). Diagonal k holds the points
  // with x - y == k; Forward(k) is the furthest x a path with c edits reaches on it, Backward(k)
  // the smallest x from which (xlim, ylim) is reachable with c edits.
  Point Midpoint(ptrdiff_t xoff, ptrdiff_t xlim, ptrdiff_t yoff, ptrdiff_t ylim) {
    constexpr ptrdiff_t kBelow = -1;
    constexpr ptrdiff_t kAbove = std::numeric_limits<ptrdiff_t>::max();
    const ptrdiff_t dmin = xoff - ylim, dmax = xlim - yoff;
    const ptrdiff_t fmid = xoff - yoff, bmid = xlim - ylim;
    const bool odd = ((fmid - bmid) & 1) != 0;
    ptrdiff_t fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
    Forward(fmid) = xoff;
    Backward(bmid) = xlim;
    for (;;) {
      // One more edit forward; on a tie take the deletion (a's element first), like diff.
      if (fmin > dmin) {
        Forward(--fmin - 1) = kBelow;
      } else {
        ++fmin;
      }
      if (fmax < dmax) {
        Forward(++fmax + 1) = kBelow;
      } else {
        --fmax;
      }
      for (ptrdiff_t d = fmax; d >= fmin; d -= 2) {
        ptrdiff_t lo = Forward(d - 1), hi = Forward(d + 1);
        ptrdiff_t x = lo >= hi ? lo + 1 : hi;
        // A move off the grid stands for the grid's edge on that diagonal, which a path with no
        // more edits also reaches.
        x = std::min({x, xlim, ylim + d});
        ptrdiff_t y = x - d;
        while (x < xlim && y < ylim && Same(x, y)) {
          ++x;
          ++y;
        }
        Forward(d) = x;
        if (odd && bmin <= d && d <= bmax && Backward(d) <= x) return {x, y};
      }
      // One more edit backward.
      if (bmin > dmin) {
        Backward(--bmin - 1) = kAbove;
      } else {
        ++bmin;
      }
      if (bmax < dmax) {
        Backward(++bmax + 1) = kAbove;
      } else {
        --bmax;
      }
      for (ptrdiff_t d = bmax; d >= bmin; d -= 2) {
        ptrdiff_t lo = Backward(d - 1), hi = Backward(d + 1);
        ptrdiff_t x = lo < hi ? lo : hi - 1;
        x = std::max({x, xoff, yoff + d});
        ptrdiff_t y = x - d;
        while (x > xoff && y > yoff && Same(x - 1, y - 1)) {
          --x;
          --y;
        }
        Backward(d) = x;
        if (!odd && fmin <= d && d <= fmax && x <= Forward(d)) return {x, y};
      }
    }
  }

  KeySpan a_;
  KeySpan b_;
  ptrdiff_t offset_;  // diagonals run from -|b| - 1 to |a| + 1
  std::vector<ptrdiff_t> forward_;
  std::vector<ptrdiff_t> backward_;
  std::vector<MatchedRun> runs_;
};

std::vector<EditHunk> HunksBetween(const std::vector<MatchedRun>& runs, size_t a_size,
                                   size_t b_size) {
  std::vector<EditHunk> hunks;
  size_t a_pos = 0, b_pos = 0;
  for (const MatchedRun& run : runs) {
    if (run.a > a_pos || run.b > b_pos) {
      hunks.push_back({a_pos, run.a - a_pos, b_pos, run.b - b_pos});
    }
    a_pos = run.a + run.len;
    b_pos = run.b + run.len;
  }
  if (a_pos < a_size || b_pos < b_size) {
    hunks.push_back({a_pos, a_size - a_pos, b_pos, b_size - b_pos});
  }
  return hunks;
}

// Moves one pure insertion or deletion one element later, if the element after it equals its
// first one (the match count is unchanged). Returns false when it cannot move.
bool SlideOnce(EditHunk& hunk, size_t matched_after, KeySpan a, KeySpan b) {
  if (matched_after == 0) return false;
  if (hunk.a_count == 0 && b[hunk.b_start] == b[hunk.b_end()]) {
    ++hunk.a_start;
    ++hunk.b_start;
    return true;
  }
  if (hunk.b_count == 0 && a[hunk.a_start] == a[hunk.a_end()]) {
    ++hunk.a_start;
    ++hunk.b_start;
    return true;
  }
  return false;
}

// The canonical placement: every pure insertion or deletion as late as it can go, merged with
// the next hunk when it reaches it.
std::vector<EditHunk> SlideLate(std::vector<EditHunk> hunks, KeySpan a, KeySpan b) {
  std::vector<EditHunk> placed;
  for (size_t i = 0; i < hunks.size(); ++i) {
    EditHunk hunk = hunks[i];
    for (;;) {
      size_t next_a = i + 1 < hunks.size() ? hunks[i + 1].a_start : a.size();
      if (SlideOnce(hunk, next_a - hunk.a_end(), a, b)) continue;
      if (next_a == hunk.a_end() && i + 1 < hunks.size()) {
        const EditHunk& next = hunks[++i];
        hunk = {hunk.a_start, next.a_end() - hunk.a_start, hunk.b_start,
                next.b_end() - hunk.b_start};
        continue;
      }
      break;
    }
    placed.push_back(hunk);
  }
  return placed;
}

// Matched elements between hunk i - 1 (or the start) and hunk i (or the end).
size_t MatchedBefore(const std::vector<EditHunk>& hunks, size_t i, size_t a_size) {
  size_t from = i == 0 ? 0 : hunks[i - 1].a_end();
  size_t to = i < hunks.size() ? hunks[i].a_start : a_size;
  return to - from;
}

ResyncResult Report(ResyncStatus status, std::vector<EditHunk> hunks) {
  ResyncResult result;
  result.status = status;
  if (!hunks.empty()) {
    result.a_resume = hunks.back().a_end();
    result.b_resume = hunks.back().b_end();
  }
  result.hunks = std::move(hunks);
  return result;
}

bool HasCount(const std::vector<EditHunk>& hunks, bool a_side) {
  return std::any_of(hunks.begin(), hunks.end(),
                     [a_side](const EditHunk& h) { return (a_side ? h.a_count : h.b_count) > 0; });
}

}  // namespace

std::vector<EditHunk> DiffSequences(KeySpan a, KeySpan b) {
  std::vector<MatchedRun> runs = LinearSpaceMyers(a, b).Run();
  return SlideLate(HunksBetween(runs, a.size(), b.size()), a, b);
}

size_t MatchedCount(const std::vector<EditHunk>& hunks, size_t a_size) {
  size_t differing = 0;
  for (const EditHunk& hunk : hunks) differing += hunk.a_count;
  return a_size - differing;
}

ResyncResult FindResync(KeySpan a, KeySpan b, const ResyncOptions& options) {
  std::vector<EditHunk> hunks = DiffSequences(a, b);
  // A final hunk that reaches the end of a side that may still grow is not known yet.
  auto open_tail = [&] {
    return !hunks.empty() && hunks.back().a_end() == a.size() && hunks.back().b_end() == b.size() &&
           !(options.a_complete && options.b_complete);
  };
  if (options.a_complete && options.b_complete) {
    return Report(ResyncStatus::kSettled, std::move(hunks));
  }
  // A complete side with every element matched already has the most matches any continuation
  // of the other side could give it.
  if ((options.a_complete && !HasCount(hunks, true)) ||
      (options.b_complete && !HasCount(hunks, false))) {
    if (open_tail()) hunks.pop_back();
    return Report(ResyncStatus::kSettled, std::move(hunks));
  }
  size_t anchor = std::max<size_t>(options.anchor, 1);
  for (size_t i = 0; i <= hunks.size(); ++i) {
    if (MatchedBefore(hunks, i, a.size()) >= anchor) {
      hunks.resize(i);
      return Report(ResyncStatus::kResynced, std::move(hunks));
    }
  }
  // Keep the open tail only when dropping it would leave nothing to consume.
  if (open_tail() && hunks.back().a_start + hunks.back().b_start > 0) hunks.pop_back();
  return Report(ResyncStatus::kNoResync, std::move(hunks));
}

}  // namespace de
