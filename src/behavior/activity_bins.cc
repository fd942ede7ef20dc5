#include "diff_events/behavior/activity_bins.h"

#include <algorithm>
#include <limits>

namespace de {
namespace {

void SaturatingAdd(uint32_t& count, uint64_t more) {
  uint64_t sum = count + more;
  count = static_cast<uint32_t>(std::min<uint64_t>(sum, std::numeric_limits<uint32_t>::max()));
}

}  // namespace

void ActivityBins::Add(int64_t host_ns) {
  if (total_++ == 0) origin_ = last_ = host_ns;
  last_ = std::max(last_, host_ns);
  // An engine clock that steps back before the first event counts in the first bin.
  uint64_t offset =
      host_ns > origin_ ? static_cast<uint64_t>(host_ns) - static_cast<uint64_t>(origin_) : 0;
  uint64_t bin = offset >> shift_;
  if (bin >= kBins) {
    unsigned by = 0;
    while ((bin >> by) >= kBins) ++by;
    Widen(by);
    bin >>= by;
  }
  if (bin >= counts_.size()) {
    // Grow by doubling, but never past kBins: the bound holds for the allocation too.
    if (bin >= counts_.capacity())
      counts_.reserve(std::min(kBins, std::max(bin + 1, 2 * counts_.size())));
    counts_.resize(bin + 1, 0);
  }
  SaturatingAdd(counts_[bin], 1);
}

void ActivityBins::Widen(unsigned by) {
  // In place: bin `to` is written after every bin it reads from (to <= to << by) was read.
  size_t merged = ((counts_.size() - 1) >> by) + 1;
  for (size_t to = 0; to < merged; ++to) {
    uint64_t sum = 0;
    size_t end = std::min(counts_.size(), (to + 1) << by);
    for (size_t i = to << by; i < end; ++i) sum += counts_[i];
    counts_[to] = 0;
    SaturatingAdd(counts_[to], sum);
  }
  counts_.resize(merged);
  shift_ += by;
}

}  // namespace de
