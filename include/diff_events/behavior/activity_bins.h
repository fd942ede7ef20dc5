// How busy one thread was over its engine's host time, gathered in the single streaming pass
// for the HTML report's density lanes. The time range is unknown while events stream by, so
// the bins start 1 ns wide and, when an event falls past the last bin, adjacent bins merge
// pairwise and the width doubles (as often as needed). Memory is bounded per thread: at most
// kBins 32-bit counts, and a short thread holds only the bins it reached (100 000 one-event
// threads must not cost 100 000 full arrays).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace de {

class ActivityBins {
 public:
  static constexpr size_t kBins = 256;

  void Add(int64_t host_ns);

  bool empty() const { return total_ == 0; }
  uint64_t total() const { return total_; }
  int64_t origin_ns() const { return origin_; }  // the first event's host_ns
  int64_t last_ns() const { return last_; }      // the latest host_ns seen
  uint64_t bin_width_ns() const { return uint64_t{1} << shift_; }
  // Counts from origin_ns() on, one per bin_width_ns(); trailing empty bins are not stored.
  const std::vector<uint32_t>& counts() const { return counts_; }

 private:
  void Widen(unsigned by);  // merge 2^by adjacent bins into one

  int64_t origin_ = 0;
  int64_t last_ = 0;
  uint64_t total_ = 0;
  unsigned shift_ = 0;  // bin width = 2^shift ns: a shift, not a division, per event
  std::vector<uint32_t> counts_;
};

}  // namespace de
