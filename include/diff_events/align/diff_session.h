// Runs one diff end to end: both inputs decoded concurrently (SideDecoder), events routed to
// per-thread streams, threads paired (--tid-map, then lineage, then first-call groups), each
// pair aligned as its events arrive (PairAligner). Returns the result for the reporters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diff_events/align/diff_result.h"
#include "diff_events/align/thread_pairer.h"
#include "diff_events/canon/profile.h"

namespace de {

struct DiffOptions {
  std::string canary_path;
  std::string ours_path;
  Profile profile = DefaultProfile();
  std::vector<TidPair> tid_map;
  size_t context = 5;
  bool allow_truncation = false;
  // Root threads (not created by a logged thread.create) that appear within the first
  // `pairing_window` events of both inputs are paired by first call as soon as both inputs got
  // that far; later roots wait for the end of the inputs (and are buffered until then).
  uint64_t pairing_window = 10000;
};

// Throws InputError for bad input, UsageError when no thread pairs at all.
DiffResult RunDiff(const DiffOptions& options);

}  // namespace de
