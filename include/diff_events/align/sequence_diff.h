// Minimal edit scripts between two sequences of 64-bit keys, and the resynchronization question
// the streaming aligner asks after a divergence. Pure algorithms: no events, no I/O. The aligner
// reduces each event to its canonical key (kind + canonical payload), hands both sides' windows
// here, and maps the answer back to events.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace de {

// A read-only view of keys (C++17 has no std::span). Does not own; valid while the keys are.
class KeySpan {
 public:
  KeySpan() = default;
  KeySpan(const uint64_t* data, size_t size) : data_(data), size_(size) {}
  KeySpan(const std::vector<uint64_t>& keys)  // NOLINT: implicit, like std::span
      : data_(keys.data()), size_(keys.size()) {}

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const uint64_t* data() const { return data_; }
  uint64_t operator[](size_t i) const { return data_[i]; }
  const uint64_t* begin() const { return data_; }
  const uint64_t* end() const { return data_ + size_; }
  KeySpan subspan(size_t offset, size_t count) const { return {data_ + offset, count}; }

 private:
  const uint64_t* data_ = nullptr;
  size_t size_ = 0;
};

// One differing stretch: a[a_start, a_start + a_count) is replaced by b[b_start, b_start +
// b_count). a_count == 0 is an insertion (only b has elements), b_count == 0 a deletion.
// Everything between two hunks is matched pairwise.
struct EditHunk {
  size_t a_start = 0;
  size_t a_count = 0;
  size_t b_start = 0;
  size_t b_count = 0;

  size_t a_end() const { return a_start + a_count; }
  size_t b_end() const { return b_start + b_count; }
  bool operator==(const EditHunk& o) const {
    return a_start == o.a_start && a_count == o.a_count && b_start == o.b_start &&
           b_count == o.b_count;
  }
  bool operator!=(const EditHunk& o) const { return !(*this == o); }
};

// A minimal edit script from a to b: the elements outside the hunks form a longest common
// subsequence (the count `diff --minimal` matches). Hunks are non-empty, in order, and separated
// by at least one matched element.
//
// Myers' O((N+M)·D) algorithm in linear space (divide and conquer on the middle snake, common
// prefix and suffix stripped at every level): memory is O(N+M) whatever D is, time is small when
// the sequences are nearly equal and O((N+M)²) when they share nothing.
//
// Determinism: the same inputs give the same script. Among the minimal scripts, each pure
// insertion or deletion is slid as late as its surroundings allow (an extra "call ret" after a
// matching "call ret" is reported second, not first), because that is what lockstep comparison
// finds: the aligner's first divergence and the first hunk here start at the same element.
std::vector<EditHunk> DiffSequences(KeySpan a, KeySpan b);

// Elements of a (equally, of b) that the script leaves matched.
size_t MatchedCount(const std::vector<EditHunk>& hunks, size_t a_size);

// Consecutive matched elements after which the two sides count as in step again. 16 events is
// eight call/return pairs: long enough that a few common events between unrelated stretches
// (a lone return, a wait.end) do not count as resynchronization, short enough to find the resync
// between two nearby differences. It must exceed the reorder gap (loop_folding.h) so that hunks
// the reorder merge may join are settled by the same call: use max(anchor, gap + 1).
inline constexpr size_t kDefaultResyncAnchor = 16;

struct ResyncOptions {
  size_t anchor = kDefaultResyncAnchor;
  // The span holds everything that is left of that side's stream (its input ended), so no later
  // element can change how its tail aligns.
  bool a_complete = false;
  bool b_complete = false;
};

enum class ResyncStatus {
  // The sides match again for `anchor` elements from (a_resume, b_resume): the hunks before that
  // point are final. Return to lockstep comparison there.
  kResynced,
  // No future input can change the hunks: both sides are complete, or a complete side has every
  // element matched (then the open tail of the other side is left out: it is the aligner's `ends`
  // hunk). Continue in lockstep from the resume point; what follows is matched up to the end of
  // the complete side.
  kSettled,
  // Neither: no run of `anchor` matches in the window. If the window can still grow, wait for
  // more input and ask again. If it is full, this is "no resync within the window": the hunks
  // are the window's own minimal script up to (not including) a last hunk that reaches the end of
  // an incomplete side — kept only when nothing else would make progress — so the next window
  // starts where the sides last agreed, as a unified diff of the window would continue.
  kNoResync,
};

struct ResyncResult {
  ResyncStatus status = ResyncStatus::kNoResync;
  // The hunks to report now, in window coordinates, in order. Usually one: several when short
  // matched runs (< anchor) separate differences before the sides settle.
  std::vector<EditHunk> hunks;
  // Where the reported part ends on each side: the end of the last reported hunk, (0, 0) when
  // there is none. Elements before it that are not in a hunk are matched pairwise; the aligner
  // drops both windows up to here and compares the rest in lockstep.
  size_t a_resume = 0;
  size_t b_resume = 0;
};

// The streaming question after a divergence: given each side's window (the events from the
// divergence on, as keys), which differences are settled and where do the sides agree again.
// The script is DiffSequences over the windows, so when the differing stretch and its anchor fit
// in the window the reported hunks are minimal for that stretch (optimal substructure: the part
// of a minimal path before a point on it is minimal for that prefix, and a common continuation
// adds its whole length to any alignment).
//
// How to call it (the aligner's side of the contract):
// - Hold up to W events per side after the divergence. Call when both windows hold W events or a
//   side has ended (pass *_complete), and pass equally long windows where both sides have them:
//   a length difference then shows up as a trailing hunk, which is never reported as settled.
// - The answer depends on the window contents, so call at points fixed by the streams (e.g.
//   W events per side, or a fixed schedule like 256, 1024, 4096), never on "whatever has
//   arrived": arrival order depends on thread timing and reports must be byte-identical.
// - Cost is O((Na+Nb)·D) for D differing elements in the window: cheap for a short stretch
//   however large the window, quadratic only for two unrelated windows.
ResyncResult FindResync(KeySpan a, KeySpan b, const ResyncOptions& options = {});

}  // namespace de
