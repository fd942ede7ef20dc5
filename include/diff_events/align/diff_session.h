// Runs one diff end to end: both inputs decoded concurrently (SideDecoder), events routed to
// per-thread streams (ThreadRegistry), threads paired by fixed facts (--tid-map, lineage) and
// then by a PairingPolicy, each pair aligned as its events arrive (PairAligner), the input
// to read next chosen by ReadCanaryNext. Returns the result for the reporters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diff_events/align/diff_result.h"
#include "diff_events/align/pairing_policy.h"
#include "diff_events/align/resynchronizer.h"
#include "diff_events/align/thread_pairer.h"
#include "diff_events/behavior/side_behavior.h"
#include "diff_events/canon/profile.h"
#include "diff_events/io/input.h"

namespace de {

struct DiffOptions {
  std::string canary_path;  // for RunDiffFiles
  std::string ours_path;
  Profile profile = DefaultProfile();
  std::vector<TidPair> tid_map;
  size_t context = 5;
  bool allow_truncation = false;
  ResyncSettings resync;  // --max-hunks, --resync-window, --hunk-lines
  PairBy pair_by = PairBy::kContent;
  // K: how many leading canonical events of a thread content pairing scores.
  size_t pairing_prefix = 256;
  // Every `pairing_window` events of both inputs, threads whose first K events are known are
  // paired when no thread still to come could be a better partner; the rest wait for the end
  // of input (and are buffered until then).
  uint64_t pairing_window = 10000;
  // Host-time windows restricting lifetimes and call counts, per engine clock.
  std::optional<HostWindow> canary_window;
  std::optional<HostWindow> ours_window;
  // A call logged at least this often on one side and never on the other is a capture-visibility
  // warning.
  uint64_t visibility_threshold = 100;
  // All pending queues together hold at most about this many bytes; beyond it their tails
  // spill to a temp file (see PendingQueue).
  uint64_t pending_memory = uint64_t{32} << 20;
};

// Throws InputError for bad input, UsageError when no thread pairs at all.
DiffResult RunDiff(Input canary, Input ours, const DiffOptions& options);
// Opens options.canary_path / ours_path and runs RunDiff.
DiffResult RunDiffFiles(const DiffOptions& options);

}  // namespace de
