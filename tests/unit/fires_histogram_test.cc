// Per-key context stays bounded: tids counted exactly, handles capped, pcs capped.
#include <catch2/catch.hpp>

#include "diff_events/fires/fire_histogram.h"

TEST_CASE("a key counts fires per tid and keeps a bounded handle set", "[fires][histogram]") {
  de::KeyCounts key;
  de::FireRecord r;
  r.has_handle = true;
  r.has_host_ns = true;
  for (uint64_t i = 0; i < 100; ++i) {
    r.tid = i % 3 == 0 ? 17 : 6;
    r.handle = 0x1000 + i;
    r.host_ns = 500 - i;
    key.Add(r);
  }
  CHECK(key.fires == 100);
  REQUIRE(key.tids.size() == 2);
  CHECK(key.tids[0] == de::TidFires{6, 66});
  CHECK(key.tids[1] == de::TidFires{17, 34});
  CHECK(key.handles.size() == de::kMaxHandlesPerKey);
  CHECK(key.handles.front() == 0x1000);
  CHECK(key.handles_truncated);
  CHECK(key.first_host_ns == 401);  // the smallest, not the first read
}

TEST_CASE("records without handle or host_ns add neither", "[fires][histogram]") {
  de::KeyCounts key;
  de::FireRecord r;
  key.Add(r);
  CHECK(key.handles.empty());
  CHECK_FALSE(key.handles_truncated);
  CHECK(key.first_host_ns == UINT64_MAX);
}

TEST_CASE("off-table pcs: counted in full, the first few named", "[fires][histogram]") {
  de::InputTally tally;
  for (uint64_t pc = 0; pc < 40; ++pc) tally.CountOffTablePc(0x82000000 + pc % 20);
  CHECK(tally.not_fire_site == 40);
  REQUIRE(tally.off_table_pcs.size() == de::kMaxOffTablePcs);
  CHECK(tally.off_table_pcs[0] == std::make_pair(uint64_t{0x82000000}, uint64_t{2}));
}

TEST_CASE("histogram keys pack (op, lr) and merge equal keys", "[fires][histogram]") {
  de::FireHistogram h(de::DefaultFiresProfile());
  de::FireRecord r;
  r.op = h.ops().Intern("set");
  r.lr = de::kMaxLr;
  h.Add(r);
  h.Add(r);
  r.op = h.ops().Intern("release");
  h.Add(r);
  CHECK(h.keys().size() == 2);
  CHECK(h.total_fires() == 3);
  uint64_t key = de::PackKey(h.ops().Intern("set"), de::kMaxLr);
  CHECK(de::KeyLr(key) == de::kMaxLr);
  CHECK(h.ops().Name(de::KeyOp(key)) == "set");
  REQUIRE(h.Find(key) != nullptr);
  CHECK(h.Find(key)->fires == 2);
}

TEST_CASE("a small list keeps one value inline and grows past it", "[fires][histogram]") {
  de::SmallList<uint64_t> list;
  CHECK(list.empty());
  list.push_back(7);
  const uint64_t* inline_value = list.data();
  CHECK(reinterpret_cast<const char*>(inline_value) >= reinterpret_cast<const char*>(&list));
  CHECK(reinterpret_cast<const char*>(inline_value) < reinterpret_cast<const char*>(&list + 1));
  list.insert(list.begin(), 3);  // spills to the heap, order kept
  list.insert(list.end(), 9);
  list.insert(list.begin() + 2, 8);
  CHECK(list == de::SmallList<uint64_t>{3, 7, 8, 9});
  de::SmallList<uint64_t> copy = list;
  de::SmallList<uint64_t> moved = std::move(list);
  CHECK(copy == moved);
  CHECK(list.empty());  // NOLINT: moved-from is empty, by design
  copy = de::SmallList<uint64_t>{5};
  CHECK(copy.size() == 1);
  CHECK(copy.front() == 5);
  moved = std::move(copy);
  CHECK(moved == de::SmallList<uint64_t>{5});
  CHECK(sizeof(de::SmallList<uint64_t>) == 16);
}
