// How busy one thread was over its engine's host time, gathered in the single streaming pass
// for the HTML report's density lanes. The time range is unknown while events stream by, so
// the bins start 1 ns wide and, when an event falls past the last bin, adjacent bins merge
// pairwise and the width doubles (as often as needed). Memory is bounded per thread, and small
// for short threads: a thread with few busy bins keeps them as (bin, count) entries of 32 bits,
// whatever span they cover (20 000 threads of 18 events spread over 256 bins must not cost
// 20 000 full arrays); past kSparseBins busy bins, or a count past 24 bits, it keeps at most
// kBins 32-bit counts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace de {

class ActivityBins {
 public:
  static constexpr size_t kBins = 256;
  static constexpr size_t kSparseBins = 32;  // busy bins kept as entries: the memory of 32 bins

  void Add(int64_t host_ns);

  bool empty() const { return total_ == 0; }
  uint64_t total() const { return total_; }
  int64_t origin_ns() const { return origin_; }  // the first event's host_ns
  int64_t last_ns() const { return last_; }      // the latest host_ns seen
  uint64_t bin_width_ns() const { return uint64_t{1} << shift_; }
  // Counts from origin_ns() on, one per bin_width_ns(), up to the last busy bin.
  std::vector<uint32_t> counts() const;

 private:
  void Widen(unsigned by);  // merge 2^by adjacent bins into one
  bool AddSparse(uint32_t bin);
  bool SparseWidenOverflows(unsigned by) const;
  void MakeDense();

  int64_t origin_ = 0;
  int64_t last_ = 0;
  uint64_t total_ = 0;
  unsigned shift_ = 0;  // bin width = 2^shift ns: a shift, not a division, per event
  bool dense_ = false;
  // Sparse: one entry per busy bin, by bin: the bin in the top 8 bits (bins < kBins = 256), its
  // count in the low 24. Dense: the count of every bin up to the last busy one. One vector for
  // both: every thread has these bins, twice.
  std::vector<uint32_t> bins_;
};

}  // namespace de
