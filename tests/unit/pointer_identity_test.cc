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

TEST_CASE("rising blocks, then blocks again from lower down, replace what they overlap",
          "[pointers]") {
  AllocationMap map;
  for (int i = 0; i < 8; ++i) map.Record(0x1000 + 0x100 * i, 0x80, 0, i, 1);
  // The allocator hands the area out again: each new block overlaps the old block it starts in
  // and the next one, and lies past an old block not overlapped.
  for (int i = 0; i < 3; ++i) map.Record(0x1040 + 0x300 * i, 0x100, 1, i, 1);
  CHECK(map.size() == 3 + 2);  // 0x1200 and 0x1500 stay
  for (int i = 0; i < 3; ++i) {
    auto hit = map.Find(0x1040 + 0x300 * i + 0x10, 1);
    REQUIRE(hit);
    CHECK(hit->alloc_index == 1);
    CHECK(hit->ordinal == i);
    CHECK_FALSE(map.Find(0x1000 + 0x300 * i, 1));
    CHECK_FALSE(map.Find(0x1100 + 0x300 * i + 0x50, 1));  // past the new block's end
  }
  REQUIRE(map.Find(0x1210, 1));
  CHECK(map.Find(0x1210, 1)->ordinal == 2);
  REQUIRE(map.Find(0x1500, 1));
  CHECK(map.Find(0x1500, 1)->ordinal == 5);
  map.Record(0x1800, 0x10, 0, 8, 1);  // past every block
  CHECK(map.size() == 6);
}

TEST_CASE("a copy of a map finds and records like the original", "[pointers]") {
  AllocationMap map;
  map.Record(0x1000, 0x100, 0, 0, 1);
  map.Record(0x2000, 0x100, 0, 1, 1);
  AllocationMap copy = map;
  map = AllocationMap{};
  copy.Record(0x2100, 0x100, 0, 2, 1);
  copy.Record(0x1080, 0x10, 0, 3, 1);  // replaces the first block
  CHECK(copy.size() == 3);
  REQUIRE(copy.Find(0x2150, 1));
  CHECK(copy.Find(0x2150, 1)->ordinal == 2);
  CHECK_FALSE(copy.Find(0x1000, 1));
  CHECK(map.empty());
}

TEST_CASE("a value finds the block it stood for at an earlier line", "[pointers]") {
  AllocationMap map;
  map.Record(0x1000, 0x100, 0, 0, 1, 10);
  map.Record(0x1080, 0x100, 0, 1, 1, 20);  // replaces the first
  PointerTarget t;
  CHECK(map.FindAt(0x1010, 1, 5, t) == AllocationMap::Then::kNone);  // before any block
  REQUIRE(map.FindAt(0x1010, 1, 15, t) == AllocationMap::Then::kBlock);
  CHECK((t.ordinal == 0 && t.offset == 0x10));
  REQUIRE(map.FindAt(0x1090, 1, 20, t) == AllocationMap::Then::kBlock);  // the return's own line
  CHECK(t.ordinal == 0);
  REQUIRE(map.FindAt(0x1090, 1, 21, t) == AllocationMap::Then::kBlock);
  CHECK((t.ordinal == 1 && t.offset == 0x10));
  CHECK(map.FindAt(0x1010, 1, 21, t) == AllocationMap::Then::kNone);
}

TEST_CASE("a block replaced long ago is forgotten, and said to be", "[pointers]") {
  AllocationMap map;
  map.Record(0x1000, 0x10, 0, 0, 1, 1);
  for (uint64_t i = 1; i <= 5000; ++i)
    map.Record(0x1000, 0x10, 0, static_cast<int64_t>(i), 1, i + 1);
  CHECK(map.size() == 1);
  PointerTarget t;
  CHECK(map.FindAt(0x1004, 1, 2, t) == AllocationMap::Then::kUnknown);
  REQUIRE(map.FindAt(0x1004, 1, 5000, t) == AllocationMap::Then::kBlock);  // still remembered
  CHECK(t.ordinal == 4998);
  REQUIRE(map.FindAt(0x1004, 1, 6000, t) == AllocationMap::Then::kBlock);
  CHECK(t.ordinal == 5000);
}

TEST_CASE("sentinels name the block, the offset and a block of another thread", "[pointers]") {
  CHECK(PointerSentinel("RtlAllocateHeap", {0, 3, 0, false}) == "<ALLOC_RtlAllocateHeap_3>");
  CHECK(PointerSentinel("RtlAllocateHeap", {0, 3, 0x10, false}) ==
        "<ALLOC_RtlAllocateHeap_3>+0x10");
  CHECK(PointerSentinel("RtlAllocateHeap", {0, 3, 0, true}) == "<ALLOC_RtlAllocateHeap_3@other>");
}

}  // namespace
}  // namespace de
