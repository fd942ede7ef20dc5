// Streams fire traces (plain, .gz, .zst or "-") into a histogram, one line at a time. Lines
// that are not JSON, or not a usable fire record, are counted and named in the tally; with
// `strict` the first one is an InputError (FILE:LINE) instead.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "diff_events/fires/fire_histogram.h"
#include "diff_events/io/read_progress.h"

namespace de {

// Adds every fire of the input at `path` to `histogram`, appending its tally. Stops early (with
// a partial tally) once `cancel` is set: the other side already failed. Counts the bytes read
// into `progress` when given.
void ScanFireTrace(const std::string& path, bool strict, FireHistogram& histogram,
                   const std::atomic<bool>* cancel = nullptr, ReadProgress* progress = nullptr);

struct BothSides {
  FireHistogram canary;
  FireHistogram ours;
};

// Scans canary and ours (several files, merged) on two threads; the machines have two cores and
// each side is independent. An error on the canary side is reported before one on ours, and
// stops ours early. `progress`, when not empty, has one counter per input: canary's, then ours'.
BothSides ScanBothSides(const std::string& canary_path, const std::vector<std::string>& ours_paths,
                        const FiresProfile& profile, bool strict,
                        const std::vector<ReadProgress*>& progress = {});

}  // namespace de
