// The result of a diff: one immutable value that every report format renders.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "diff_events/align/boxed.h"
#include "diff_events/behavior/activity_bins.h"

namespace de {

// One event as reports show it: its raw line and where it came from.
struct EventRef {
  uint64_t idx = 0;
  uint64_t line = 0;
  int64_t alloc_ordinal = -1;
  uint64_t offset = 0;  // where the raw line is in its input, to fetch it when not kept
  uint32_t size = 0;    // the raw line's length
  std::string raw;      // empty until fetched, when the aligner kept only the offset
  std::string summary;  // "[347] kernel.call NtSetEvent handle=1070…", filled before reports
  // Folded loops show one repeat of their cycle: its first event carries the loop's repeat count
  // (loop_repeats > 1, loop_pos 0), the others their place in the cycle (loop_pos 1..period-1).
  uint64_t loop_repeats = 1;
  uint32_t loop_pos = 0;
  // An iteration of a folded loop whose own events were not kept, shown by the same place in
  // another iteration: idx is its own, line and raw text are the other iteration's.
  bool representative = false;
};

// Compared events before a divergence (the context window), one per side.
struct MatchedPair {
  EventRef canary;
  EventRef ours;
};

enum class DivergenceKind {
  kEventsDiffer,  // both sides have an event here and they differ
  kOursEnds,      // ours' stream ends while canary continues
  kCanaryEnds,    // canary's stream ends while ours continues
};

struct Divergence {
  DivergenceKind kind = DivergenceKind::kEventsDiffer;
  uint64_t position = 0;                // events matched before it (0-based event position)
  std::optional<EventRef> canary;       // the divergent event; absent when canary ended
  std::optional<EventRef> ours;         // the divergent event; absent when ours ended
  std::optional<EventRef> canary_next;  // the event after it; absent = <end of stream>
  std::optional<EventRef> ours_next;
  std::vector<MatchedPair> context;  // the last N matching events before it, oldest first
  std::string field;                 // the first differing field ("payload.name"), if any
  std::string summary;               // one line: "payload.name: canary='A' ours='B'"
  // A loop in progress when the streams diverged (folding on): a cycle of `loop_period` events
  // matched `loop_repeats` full times from event #loop_start. 0: none.
  uint32_t loop_period = 0;
  uint64_t loop_repeats = 0;
  uint64_t loop_start = 0;
};

// How a thread's stream ended: a thread.exit (or a profile's exit call), inside a wait that
// nothing ended (its last wait.begin has no wait.end after it), or anywhere else.
enum class EndState { kExited, kBlocked, kCut };

struct AwaitedHandles {
  std::vector<std::string> handles;       // semantic ids, as the wait.begin lists them
  std::vector<std::string> object_types;  // per handle: "Event", "7", "" when never created
  std::optional<int64_t> timeout_ns;
  uint64_t idx = 0;  // the wait.begin's tid_event_idx
};

// One side of a thread's life, in that engine's clock (engine clocks are not comparable).
struct Lifetime {
  uint64_t events = 0;
  uint64_t kernel_calls = 0;
  std::optional<int64_t> first_host_ns;
  std::optional<int64_t> last_host_ns;
  EndState end = EndState::kCut;
  Boxed<AwaitedHandles> wait;        // when blocked
  std::optional<uint64_t> exit_idx;  // when exited
  // Events over host time, every event of the thread (not only --*-window's): the HTML
  // report's density lane, and where the n-th event (a hunk's position) happened.
  ActivityBins activity;

  int64_t duration_ns() const {
    return first_host_ns && last_host_ns ? *last_host_ns - *first_host_ns : 0;
  }
};

// A pair's count of one call name. The name is a view of DiffResult::call_names (or of a
// literal): 100 000 pairs call the same few names, which are not copied into each.
struct CallCount {
  std::string_view name;
  uint64_t canary = 0;
  uint64_t ours = 0;
  int64_t delta() const { return static_cast<int64_t>(ours) - static_cast<int64_t>(canary); }
};

// Who signals a handle in one engine: a signal call naming it, or the exit of the thread a
// Thread handle stands for.
struct Signaler {
  uint64_t tid = 0;  // engine-local
  std::string name;  // the call, or "thread.exit"
  uint64_t count = 0;
  uint64_t first_idx = 0;
};

struct WaitAnalysis {
  bool canary_blocked = false;  // which side waits forever
  uint64_t tid = 0;             // the blocked thread, engine-local
  std::string handle;
  std::string object_type;
  uint64_t wait_idx = 0;
  std::vector<Signaler> canary;
  std::vector<Signaler> ours;
};

enum class CauseRole { kRoot, kConsequence };

struct Cause {
  CauseRole role = CauseRole::kRoot;
  std::vector<uint64_t> explained_by;  // canary tids of the pairs it waits on
  std::optional<std::string> via_handle;
  std::string via_object_type;
  // A blocked side whose handle has no signaler in either engine: the chain stops here.
  bool unexplained_wait = false;
};

// A differing stretch after the streams have been aligned again: replaced (both sides have
// events), inserted (only ours has), deleted (only canary has), ends (one stream ended while
// the other goes on), reordered (both sides hold the same events in another order: likely a
// scheduling race), loop-count (the same folded loop ran another number of times).
enum class HunkClass { kReplaced, kInserted, kDeleted, kEnds, kReordered, kLoopCount };
inline constexpr size_t kHunkClasses = 6;

// A loop-count hunk's loop: its cycle length and how often each side ran it.
struct LoopCounts {
  uint32_t period = 1;
  uint64_t canary_repeats = 0;
  uint64_t ours_repeats = 0;
};

struct Hunk {
  HunkClass cls = HunkClass::kReplaced;
  uint64_t canary_start = 0;  // 0-based position in the thread's stream ("event #")
  uint64_t canary_count = 0;
  uint64_t ours_start = 0;
  uint64_t ours_count = 0;
  std::optional<std::pair<uint64_t, uint64_t>> canary_idx;  // first and last tid_event_idx
  std::optional<std::pair<uint64_t, uint64_t>> ours_idx;
  bool resynced = true;  // false: no resynchronization within the window (a fallback cut)
  std::vector<EventRef> canary_events;  // the first --hunk-lines of each side
  std::vector<EventRef> ours_events;
  // Unfolded events the shown lines stand for (a folded loop shown once stands for all its
  // repeats): the rest of the hunk is "… N more".
  uint64_t canary_shown_span = 0;
  uint64_t ours_shown_span = 0;
  std::optional<LoopCounts> loop;  // loop-count hunks
};

// Hunks of each class, indexed by HunkClass.
struct HunkClassCounts {
  uint64_t n[kHunkClasses] = {};
  uint64_t& operator[](HunkClass c) { return n[static_cast<size_t>(c)]; }
  uint64_t operator[](HunkClass c) const { return n[static_cast<size_t>(c)]; }
  void Add(const HunkClassCounts& o) {
    for (size_t i = 0; i < kHunkClasses; ++i) n[i] += o.n[i];
  }
};
HunkClassCounts CountHunkClasses(const std::vector<Hunk>& hunks);

enum class PairingMethod { kTidMap, kLineage, kContent, kFirstCall };

// How sure an automatic pairing is. `score` is the length of the common prefix of the two
// threads' canonical fingerprints within the first `window` events; `runner_up` is the best
// score either thread had with any other candidate (absent: there was no other candidate).
// Pairs fixed by --tid-map or by a logged child_tid carry no confidence: they are not guesses.
struct PairingConfidence {
  uint64_t score = 0;
  std::optional<uint64_t> runner_up;
  uint64_t window = 0;
  // Another candidate scored as well and the threads differ within the window: a --tid-map
  // may be needed for this pair.
  bool ambiguous = false;
};

struct PairResult {
  uint64_t canary_tid = 0;
  uint64_t ours_tid = 0;
  std::optional<PairingConfidence> pairing;
  std::string first_call;  // name of the pair's first kernel.call (canary side), if any
  uint64_t canary_total = 0;
  uint64_t ours_total = 0;
  uint64_t matched = 0;  // events compared equal before the divergence (or in all)
  std::optional<uint64_t> canary_last_idx;
  std::optional<uint64_t> ours_last_idx;
  Boxed<Divergence> divergence;
  std::vector<Hunk> hunks;            // the first is the first divergence's stretch
  uint64_t matched_after_resync = 0;  // events matched between and after hunks
  uint64_t resync_window = 0;         // the window the hunks were found in (for "no resync" text)
  Lifetime canary_life;
  Lifetime ours_life;
  std::vector<CallCount> call_counts;  // every name called on either side, by |delta| then name
  std::vector<WaitAnalysis> waits;     // one per awaited handle of a blocked side
  Boxed<Cause> cause;                  // diverging pairs only
  // The one-byte fields together: a pair result is kept for each of up to 100 000 pairs.
  PairingMethod method = PairingMethod::kFirstCall;
  bool truncation_allowed = false;  // one side ended early; accepted under --allow-truncation
  // Every hunk is reordered and none was cut by --max-hunks: matched under --ignore-reordered.
  bool reordered_only = false;
  bool hunks_truncated = false;   // --max-hunks cut the list
  bool reorder_accepted = false;  // reordered_only under --ignore-reordered: counts as matched

  bool Diverged() const { return divergence && !truncation_allowed && !reorder_accepted; }
};

struct UnpairedThread {
  bool canary_side = true;
  uint64_t tid = 0;
  uint64_t events = 0;
  std::string first_call;  // empty when the thread made no kernel.call
  std::optional<uint64_t> first_idx;
  std::optional<uint64_t> last_idx;
  std::optional<EventRef> first_event;
  Lifetime life;
  std::vector<WaitAnalysis> waits;
};

// A call one capture logs many times (summed over its threads) and the other never logs in any
// thread: the captures were probably made with different logging settings (reference
// emulators hide high-frequency calls unless told otherwise). --mask NAME aligns without it.
struct CaptureWarning {
  std::string name;
  bool seen_in_canary = true;  // the side that logs it
  uint64_t count = 0;          // its kernel.calls on that side
  bool masked = false;         // --mask already drops it
};

// A --mask name and the events it dropped on each side (calls, returns and their waits).
struct MaskedCall {
  std::string name;
  uint64_t canary_calls = 0;
  uint64_t ours_calls = 0;
};

// What the queues of a diff held and spilled, for --stats.
struct PendingStats {
  uint64_t cap_bytes = 0;
  uint64_t peak_bytes = 0;       // the most the queues held in memory at once
  uint64_t spilled_records = 0;  // events written to a spill file
  uint64_t spilled_bytes = 0;    // ... and their encoded size, text included when kept
  uint64_t spill_files = 0;
};

struct DiffResult {
  std::string canary_path;
  std::string ours_path;
  std::string canary_engine;
  std::string ours_engine;
  std::vector<std::string> rules;  // canonicalization rules in force
  int context_events = 5;
  size_t max_hunks = 10;  // 1: the first divergence only, as reports had it before hunks
  bool allow_truncation = false;
  bool ignore_reordered = false;  // reordered-only pairs count as matched
  size_t fold_period = 0;         // 0: loops not folded (--no-fold)
  size_t reorder_gap = 0;
  size_t reorder_window = 0;
  uint64_t canary_events = 0;
  uint64_t ours_events = 0;
  // Every call name the pairs' call_counts show, once; shared by copies of the result.
  std::shared_ptr<const std::set<std::string, std::less<>>> call_names;
  std::deque<PairResult> pairs;          // sorted by canary tid
  std::vector<UnpairedThread> unpaired;  // canary side first, then ours; by tid
  std::vector<CaptureWarning> warnings;  // largest count first
  uint64_t visibility_threshold = 100;
  std::vector<MaskedCall> masked;  // by name
  uint64_t canary_masked_events = 0;
  uint64_t ours_masked_events = 0;
  PendingStats pending;  // how the run buffered: --stats prints it, no report shows it
  // Which inputs were decoded by two threads (SideDecoder::Options::split): --stats only.
  bool canary_split_decode = false;
  bool ours_split_decode = false;

  size_t DivergentPairs() const;
  size_t AmbiguousPairs() const;
  // Pairs that diverge only by reordered hunks and count as matched (--ignore-reordered).
  size_t ReorderAcceptedPairs() const;
  HunkClassCounts HunkClasses() const;
  // No divergent pair and no unpaired thread.
  bool Identical() const;
};

const char* PairingMethodName(PairingMethod method);
const char* EndStateName(EndState state);
const char* HunkClassName(HunkClass cls);
const char* DivergenceKindName(DivergenceKind kind);

}  // namespace de
