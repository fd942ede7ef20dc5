#include "diff_events/behavior/activity_bins.h"

#include <catch2/catch.hpp>
#include <numeric>

using de::ActivityBins;

namespace {

uint64_t Sum(const ActivityBins& bins) {
  return std::accumulate(bins.counts().begin(), bins.counts().end(), uint64_t{0});
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
