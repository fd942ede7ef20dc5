#include "diff_events/behavior/activity_bins.h"

#include <algorithm>
#include <limits>

namespace de {
namespace {

uint32_t SaturatingSum(uint64_t a, uint64_t b) {
  return static_cast<uint32_t>(std::min<uint64_t>(a + b, std::numeric_limits<uint32_t>::max()));
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
  if (!dense_ && AddSparse(static_cast<uint32_t>(bin))) return;
  if (bin >= bins_.size()) {
    // Grow by doubling, but never past kBins: the bound holds for the allocation too.
    if (bin >= bins_.capacity())
      bins_.reserve(std::min(kBins, std::max(bin + 1, 2 * bins_.size())));
    bins_.resize(bin + 1, 0);
  }
  bins_[bin] = SaturatingSum(bins_[bin], 1);
}

// Host time only moves forward within a thread, nearly always: the last pair is the one to
// bump, else a new last pair; a clock stepping back searches. False: too many busy bins, the
// counts are dense now and the event is still to count.
bool ActivityBins::AddSparse(uint32_t bin) {
  size_t pairs = bins_.size() / 2;
  size_t at = pairs;  // the pair for `bin`, or where it goes
  if (pairs > 0 && bins_[2 * (pairs - 1)] >= bin) {
    at = 0;
    while (bins_[2 * at] < bin) ++at;  // at most kSparseBins pairs
  }
  if (at < pairs && bins_[2 * at] == bin) {
    bins_[2 * at + 1] = SaturatingSum(bins_[2 * at + 1], 1);
    return true;
  }
  if (pairs == kSparseBins) {
    bins_ = counts();
    dense_ = true;
    return false;
  }
  bins_.insert(bins_.begin() + static_cast<std::ptrdiff_t>(2 * at), {bin, 1});
  return true;
}

std::vector<uint32_t> ActivityBins::counts() const {
  if (dense_) return bins_;
  std::vector<uint32_t> out(bins_.empty() ? 0 : bins_[bins_.size() - 2] + 1, 0);
  for (size_t i = 0; i < bins_.size(); i += 2) out[bins_[i]] = bins_[i + 1];
  return out;
}

void ActivityBins::Widen(unsigned by) {
  shift_ += by;
  if (!dense_) {
    // Pairs stay sorted by bin; those that now share a bin merge.
    size_t kept = 0;
    for (size_t i = 0; i < bins_.size(); i += 2) {
      auto bin = static_cast<uint32_t>(uint64_t{bins_[i]} >> by);  // by may pass 31
      if (kept > 0 && bins_[kept - 2] == bin) {
        bins_[kept - 1] = SaturatingSum(bins_[kept - 1], bins_[i + 1]);
      } else {
        bins_[kept] = bin;
        bins_[kept + 1] = bins_[i + 1];
        kept += 2;
      }
    }
    bins_.resize(kept);
    return;
  }
  // In place: bin `to` is written after every bin it reads from (to <= to << by) was read.
  size_t merged = ((bins_.size() - 1) >> by) + 1;
  for (size_t to = 0; to < merged; ++to) {
    uint64_t sum = 0;
    size_t end = std::min(bins_.size(), (to + 1) << by);
    for (size_t i = to << by; i < end; ++i) sum += bins_[i];
    bins_[to] = SaturatingSum(0, sum);
  }
  bins_.resize(merged);
}

}  // namespace de
