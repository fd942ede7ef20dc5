#include "diff_events/behavior/activity_bins.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <numeric>
#include <vector>

using de::ActivityBins;

namespace {

uint64_t Sum(const ActivityBins& bins) {
  std::vector<uint32_t> counts = bins.counts();
  return std::accumulate(counts.begin(), counts.end(), uint64_t{0});
}

// The bins the documented rule gives, computed the slow way: every event's offset from the
// first, the width the smallest power of two that puts the latest one within kBins.
std::vector<uint32_t> Expected(const std::vector<int64_t>& ns) {
  uint64_t last = 0;
  for (int64_t t : ns) last = std::max<uint64_t>(last, t > ns[0] ? t - ns[0] : 0);
  unsigned shift = 0;
  while ((last >> shift) >= ActivityBins::kBins) ++shift;
  std::vector<uint32_t> out((last >> shift) + 1, 0);
  for (int64_t t : ns) ++out[(t > ns[0] ? t - ns[0] : 0) >> shift];
  return out;
}

}  // namespace

TEST_CASE("activity bins: events within the first bins keep 1 ns bins") {
  ActivityBins bins;
  CHECK(bins.empty());
  bins.Add(1000);
  bins.Add(1000);
  bins.Add(1003);
  CHECK(bins.origin_ns() == 1000);
  CHECK(bins.last_ns() == 1003);
  CHECK(bins.bin_width_ns() == 1);
  CHECK(bins.counts() == std::vector<uint32_t>{2, 0, 0, 1});
}

TEST_CASE("activity bins: an event past the last bin merges pairs and doubles the width") {
  ActivityBins bins;
  for (int64_t ns = 0; ns < 256; ++ns) bins.Add(ns);
  CHECK(bins.bin_width_ns() == 1);
  CHECK(bins.counts().size() == 256);
  bins.Add(256);  // bin 256 does not exist: 2 ns bins, the event lands in bin 128
  CHECK(bins.bin_width_ns() == 2);
  REQUIRE(bins.counts().size() == 129);
  CHECK(bins.counts()[0] == 2);
  CHECK(bins.counts()[127] == 2);
  CHECK(bins.counts()[128] == 1);
  CHECK(Sum(bins) == 257);
}

TEST_CASE("activity bins: a far jump widens as often as needed, counts preserved") {
  ActivityBins bins;
  for (int64_t ns = 0; ns < 100; ++ns) bins.Add(ns);
  bins.Add(1'000'000'000);  // 1 s later
  CHECK(bins.counts().size() <= ActivityBins::kBins);
  CHECK(bins.bin_width_ns() >= 1'000'000'000 / ActivityBins::kBins);
  CHECK((1'000'000'000 >> __builtin_ctzll(bins.bin_width_ns())) < 256);
  CHECK(bins.counts().front() == 100);
  CHECK(bins.counts().back() == 1);
  CHECK(Sum(bins) == 101);
  CHECK(bins.total() == 101);
}

TEST_CASE("activity bins: a clock stepping back before the first event counts in bin 0") {
  ActivityBins bins;
  bins.Add(500);
  bins.Add(400);
  CHECK(bins.origin_ns() == 500);
  CHECK(bins.last_ns() == 500);
  CHECK(bins.counts() == std::vector<uint32_t>{2});
}

TEST_CASE("activity bins: the whole int64 range stays within kBins") {
  ActivityBins bins;
  bins.Add(INT64_MIN);
  bins.Add(INT64_MAX);
  CHECK(bins.counts().size() <= ActivityBins::kBins);
  CHECK(bins.counts().capacity() <= ActivityBins::kBins);
  CHECK(Sum(bins) == 2);
}

TEST_CASE("activity bins: few busy bins over a wide span, then many: the same counts") {
  // 18 events spread over the whole range (kept as pairs), then enough to need every bin.
  std::vector<int64_t> ns;
  for (int64_t i = 0; i < 18; ++i) ns.push_back(5'000 + i * 997);
  ActivityBins bins;
  for (int64_t t : ns) bins.Add(t);
  CHECK(bins.counts() == Expected(ns));
  for (int64_t i = 0; i < 400; ++i) ns.push_back(5'000 + (i * 7919) % 20'000);
  for (size_t i = 18; i < ns.size(); ++i) bins.Add(ns[i]);
  CHECK(bins.counts() == Expected(ns));
  CHECK(bins.total() == ns.size());
}

TEST_CASE("activity bins: a clock stepping back among few busy bins finds its bin") {
  std::vector<int64_t> ns = {100, 300, 200, 300, 150, 100, 90, 10'000, 200};
  ActivityBins bins;
  for (int64_t t : ns) bins.Add(t);
  CHECK(bins.counts() == Expected(ns));
}

TEST_CASE("activity bins: a busy bin past 24 bits of count keeps counting, exactly") {
  // Sparse entries hold 24-bit counts: the 2^24-th event of one bin turns the counts dense.
  ActivityBins bins;
  const uint64_t n = (uint64_t{1} << 24) + 5;
  for (uint64_t i = 0; i < n; ++i) bins.Add(7);
  bins.Add(9);
  CHECK(bins.counts() == std::vector<uint32_t>{static_cast<uint32_t>(n), 0, 1});
  CHECK(bins.total() == n + 1);
}

TEST_CASE("activity bins: bins merged by a widening may sum past 24 bits") {
  // Two sparse bins of 2^23 + 1 events each share one bin once the width doubles.
  ActivityBins bins;
  const uint64_t half = (uint64_t{1} << 23) + 1;
  for (uint64_t i = 0; i < half; ++i) bins.Add(0);
  for (uint64_t i = 0; i < half; ++i) bins.Add(1);
  bins.Add(300);  // past bin 255: 2 ns bins, bins 0 and 1 merge
  CHECK(bins.bin_width_ns() == 2);
  std::vector<uint32_t> counts = bins.counts();
  REQUIRE(counts.size() == 151);
  CHECK(counts[0] == 2 * half);
  CHECK(counts[150] == 1);
  CHECK(Sum(bins) == 2 * half + 1);
}
