#include "diff_events/align/thread_pairer.h"

#include <catch2/catch.hpp>

#include "diff_events/input_error.h"

using de::TidPair;

TEST_CASE("ParseTidMap reads decimal and hex pairs", "[pairing]") {
  CHECK(de::ParseTidMap("6=1") == std::vector<TidPair>{{6, 1}});
  CHECK(de::ParseTidMap("6=1,17=13") == std::vector<TidPair>{{6, 1}, {17, 13}});
  CHECK(de::ParseTidMap("0x10=0X1f, 3 = 4") == std::vector<TidPair>{{16, 31}, {3, 4}});
  CHECK(de::ParseTidMap("18446744073709551615=0") ==
        std::vector<TidPair>{{18446744073709551615ULL, 0}});
}

TEST_CASE("ParseTidMap rejects malformed text", "[pairing]") {
  for (const char* bad : {"", "6", "6=", "=1", "6=1,", "a=1", "6=1x", "-1=2", "6=1=2", "0x=1",
                          "18446744073709551616=1", "6=1,6=2", "6=1,7=1"}) {
    INFO(bad);
    CHECK_THROWS_AS(de::ParseTidMap(bad), de::UsageError);
  }
  CHECK_THROWS_WITH(de::ParseTidMap("6=1,6=2"), "--tid-map: canary tid 6 is mapped twice");
  CHECK_THROWS_WITH(de::ParseTidMap("6=1,7=1"), "--tid-map: ours tid 1 is mapped twice");
}
