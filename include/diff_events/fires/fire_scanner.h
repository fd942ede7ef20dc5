// Streams fire traces (plain, .gz, .zst or "-") into a histogram, one line at a time. Lines
// that are not JSON, or not a usable fire record, are counted and named in the tally; with
// `strict` the first one is an InputError (FILE:LINE) instead.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "diff_events/fires/fire_histogram.h"

namespace de {

// Adds every fire of the input at `path` to `histogram`, appending its tally. Stops early (with
// a partial tally) once `cancel` is set: the other side already failed.
void ScanFireTrace(const std::string& path, bool strict, FireHistogram& histogram,
                   const std::atomic<bool>* cancel = nullptr);

struct BothSides {
  FireHistogram canary;
  FireHistogram ours;
};

// Scans canary and ours (several files, merged) on two threads; the machines have two cores and
// each side is independent. An error on the canary side is reported before one on ours, and
// stops ours early.
BothSides ScanBothSides(const std::string& canary_path, const std::vector<std::string>& ours_paths,
                        const FiresProfile& profile, bool strict);

}  // namespace de
