#include "diff_events/canon/pointer_identity.h"

#include <catch2/catch.hpp>

namespace de {
namespace {

TEST_CASE("an address parses from an integer token or a hex string", "[pointers]") {
  uint64_t v = 0;
  CHECK((ParseAddress("1073741824", v) && v == 1073741824));
  CHECK((ParseAddress("\"0x40000000\"", v) && v == 0x40000000));
  CHECK((ParseAddress("0XFFFFFFFFFFFFFFFF", v) && v == UINT64_MAX));
  CHECK_FALSE(ParseAddress("0x1FFFFFFFFFFFFFFFF", v));  // 17 hex digits
  CHECK_FALSE(ParseAddress("-5", v));
  CHECK_FALSE(ParseAddress("1.5", v));
  CHECK_FALSE(ParseAddress("\"ev-1\"", v));
  CHECK_FALSE(ParseAddress("0xg", v));
  CHECK_FALSE(ParseAddress("", v));
}

TEST_CASE("a value finds the block it equals or lies inside", "[pointers]") {
  AllocationMap map;
  map.Record(0x1000, 0x40, 0, 0, 7);
  map.Record(0x2000, 0, 1, 0, 7);  // size unknown: the base only
  auto at = map.Find(0x1000, 7);
  REQUIRE(at);
  CHECK(at->alloc_index == 0);
  CHECK(at->offset == 0);
  CHECK_FALSE(at->other_thread);
  auto inside = map.Find(0x1010, 9);
  REQUIRE(inside);
  CHECK(inside->offset == 0x10);
  CHECK(inside->other_thread);
  CHECK_FALSE(map.Find(0x1040, 7));  // one past the end
  CHECK_FALSE(map.Find(0xfff, 7));
  CHECK(map.Find(0x2000, 7));
  CHECK_FALSE(map.Find(0x2001, 7));
}

TEST_CASE("a new block replaces the older blocks it overlaps", "[pointers]") {
  AllocationMap map;
  map.Record(0x1000, 0x100, 0, 0, 1);
  map.Record(0x1200, 0x10, 0, 1, 1);
  map.Record(0x1080, 0x200, 0, 2, 1);  // overlaps both: freed and handed out again
  CHECK(map.size() == 1);
  auto hit = map.Find(0x1000 + 0x90, 1);
  REQUIRE(hit);
  CHECK(hit->ordinal == 2);
  CHECK(hit->offset == 0x10);
  CHECK_FALSE(map.Find(0x1000, 1));
}

TEST_CASE("sentinels name the block, the offset and a block of another thread", "[pointers]") {
  CHECK(PointerSentinel("RtlAllocateHeap", {0, 3, 0, false}) == "<ALLOC_RtlAllocateHeap_3>");
  CHECK(PointerSentinel("RtlAllocateHeap", {0, 3, 0x10, false}) ==
        "<ALLOC_RtlAllocateHeap_3>+0x10");
  CHECK(PointerSentinel("RtlAllocateHeap", {0, 3, 0, true}) == "<ALLOC_RtlAllocateHeap_3@other>");
}

}  // namespace
}  // namespace de
