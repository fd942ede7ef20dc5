#include "diff_events/behavior/activity_bins.h"

#include <algorithm>
#include <limits>

namespace de {
namespace {

uint32_t SaturatingSum(uint64_t a, uint64_t b) {
  return static_cast<uint32_t>(std::min<uint64_t>(a + b, std::numeric_limits<uint32_t>::max()));
}

// A sparse entry: the bin in the top 8 bits, its count in the low 24.
constexpr unsigned kCountBits = 24;
constexpr uint32_t kSparseCountMax = (uint32_t{1} << kCountBits) - 1;
uint32_t BinOf(uint32_t entry) { return entry >> kCountBits; }
uint32_t CountOf(uint32_t entry) { return entry & kSparseCountMax; }
uint32_t Entry(uint32_t bin, uint32_t count) { return bin << kCountBits | count; }
static_assert(ActivityBins::kBins <= (size_t{1} << (32 - kCountBits)), "a bin fits 8 bits");

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

// Host time only moves forward within a thread, nearly always: the last entry is the one to
// bump, else a new last entry; a clock stepping back searches. False: too many busy bins or a
// count past 24 bits, the counts are dense now and the event is still to count.
bool ActivityBins::AddSparse(uint32_t bin) {
  size_t n = bins_.size();
  size_t at = n;  // the entry for `bin`, or where it goes
  if (n > 0 && BinOf(bins_[n - 1]) >= bin) {
    at = 0;
    while (BinOf(bins_[at]) < bin) ++at;  // at most kSparseBins entries
  }
  if (at < n && BinOf(bins_[at]) == bin) {
    if (CountOf(bins_[at]) == kSparseCountMax) {
      MakeDense();
      return false;
    }
    ++bins_[at];
    return true;
  }
  if (n == kSparseBins) {
    MakeDense();
    return false;
  }
  bins_.insert(bins_.begin() + static_cast<std::ptrdiff_t>(at), Entry(bin, 1));
  return true;
}

void ActivityBins::MakeDense() {
  bins_ = counts();
  dense_ = true;
}

std::vector<uint32_t> ActivityBins::counts() const {
  if (dense_) return bins_;
  std::vector<uint32_t> out(bins_.empty() ? 0 : BinOf(bins_.back()) + 1, 0);
  for (uint32_t e : bins_) out[BinOf(e)] = CountOf(e);
  return out;
}

// Whether merging 2^by adjacent bins would sum a sparse count past 24 bits.
bool ActivityBins::SparseWidenOverflows(unsigned by) const {
  uint64_t sum = 0;
  for (size_t i = 0; i < bins_.size(); ++i) {
    bool same = i > 0 && (uint64_t{BinOf(bins_[i])} >> by) == (uint64_t{BinOf(bins_[i - 1])} >> by);
    sum = (same ? sum : 0) + CountOf(bins_[i]);
    if (sum > kSparseCountMax) return true;
  }
  return false;
}

void ActivityBins::Widen(unsigned by) {
  shift_ += by;
  if (!dense_ && SparseWidenOverflows(by)) MakeDense();
  if (!dense_) {
    // Entries stay sorted by bin; those that now share a bin merge.
    size_t kept = 0;
    for (uint32_t e : bins_) {
      auto bin = static_cast<uint32_t>(uint64_t{BinOf(e)} >> by);  // by may pass 31
      if (kept > 0 && BinOf(bins_[kept - 1]) == bin) {
        bins_[kept - 1] += CountOf(e);  // no overflow: checked above
      } else {
        bins_[kept++] = Entry(bin, CountOf(e));
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
