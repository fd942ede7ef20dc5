#include "diff_events/align/pending_queue.h"

#include <catch2/catch.hpp>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace {

// Event n of a made-up thread: fields vary the way real ones do (offsets grow, some events have
// a raw fingerprint of their own, an allocation ordinal or a child tid).
de::DecodedEvent EventNo(uint64_t n) {
  de::DecodedEvent e;
  e.tid = 7;
  e.idx = n;
  e.line = 3 * n + 1;
  e.offset = 1000 * n + (n % 7) * 13;
  e.fingerprint = 0x9e3779b97f4a7c15ull * (n + 1);
  e.raw_fingerprint = n % 3 == 0 ? e.fingerprint ^ 0xff : e.fingerprint;
  if (n % 5 == 0) e.alloc_ordinal = static_cast<int64_t>(n / 5);
  if (n % 11 == 0) {
    e.has_child_tid = true;
    e.child_tid = 100000 + n;
  }
  return e;
}

std::string TextNo(uint64_t n) {
  return "{\"line\":" + std::to_string(n) + ",\"pad\":\"" + std::string(n % 97, 'x') + "\"}";
}

void CheckIs(const de::PendingEvent& p, uint64_t n, bool with_text) {
  de::DecodedEvent want = EventNo(n);
  INFO("event " << n);
  CHECK(p.event.idx == want.idx);
  CHECK(p.event.line == want.line);
  CHECK(p.event.offset == want.offset);
  CHECK(p.event.fingerprint == want.fingerprint);
  CHECK(p.event.raw_fingerprint == want.raw_fingerprint);
  CHECK(p.event.alloc_ordinal == want.alloc_ordinal);
  CHECK(p.event.has_child_tid == want.has_child_tid);
  CHECK(p.event.child_tid == want.child_tid);
  CHECK(p.event.raw_size == TextNo(n).size());
  CHECK(p.raw == (with_text ? TextNo(n) : std::string()));
}

// Pushes and pops in bursts against a model deque, checking the front, the second event and the
// prefix on the way.
void RunBursts(de::PendingQueue& q, bool with_text, uint64_t events) {
  std::deque<uint64_t> model;
  uint64_t next = 0;
  uint64_t round = 0;
  while (next < events || !model.empty()) {
    uint64_t pushes = next < events ? (round * 7919) % 5000 : 0;
    uint64_t pops = (round * 104729) % 4000 + 1;
    for (uint64_t k = 0; k < pushes && next < events; ++k, ++next) {
      q.push_back(EventNo(next), TextNo(next));
      model.push_back(next);
    }
    REQUIRE(q.size() == model.size());
    if (model.size() >= 2) CheckIs(q.at(1), model[1], with_text);
    std::vector<uint64_t> prefix = q.FrontFingerprints(300);
    REQUIRE(prefix.size() == std::min<size_t>(300, model.size()));
    for (size_t i = 0; i < prefix.size(); ++i) CHECK(prefix[i] == EventNo(model[i]).fingerprint);
    for (uint64_t k = 0; k < pops && !model.empty(); ++k) {
      CheckIs(q.front(), model.front(), with_text);
      q.pop_front();
      model.pop_front();
    }
    ++round;
  }
  CHECK(q.empty());
}

}  // namespace

TEST_CASE("Pending queue: events come back as pushed, without a cap", "[pending]") {
  for (bool with_text : {true, false}) {
    de::PendingQueue q;
    q.set_keep_text(with_text);
    RunBursts(q, with_text, 20000);
    CHECK_FALSE(q.spilling());
  }
}

TEST_CASE("Pending queue: across the spill boundary, in order, with or without text", "[pending]") {
  for (bool with_text : {true, false}) {
    de::PendingMemory memory(1);  // over the cap at once: every queue beyond 16 KB spills
    de::PendingQueue q;
    q.set_keep_text(with_text);
    q.set_memory(&memory, true);
    RunBursts(q, with_text, 40000);
    de::PendingStats s = memory.stats();
    CHECK(s.spilled_records > 1000);
    CHECK(s.spilled_bytes >= 10 * s.spilled_records);
    CHECK(s.spill_files == 1);
    CHECK(memory.held() == q.held_bytes());
  }
}

TEST_CASE("Pending queue: a spilled queue cleared and reused", "[pending]") {
  de::PendingMemory memory(1);
  de::PendingQueue q;
  q.set_memory(&memory, false);
  for (uint64_t n = 0; n < 5000; ++n) q.push_back(EventNo(n), TextNo(n));
  REQUIRE(q.spilling());
  CheckIs(q.at(3000), 3000, true);  // deep inside the file
  q.pop_front();
  q.clear();
  CHECK(q.empty());
  CHECK_FALSE(q.spilling());
  // Deltas start from the last pushed event: the next ones decode right after a clear.
  for (uint64_t n = 5000; n < 5100; ++n) q.push_back(EventNo(n), TextNo(n));
  for (uint64_t n = 5000; n < 5100; ++n) {
    CheckIs(q.front(), n, true);
    q.pop_front();
  }
  CHECK(memory.stats().spill_files == 1);  // the ours side's file only
}

TEST_CASE("Pending queue: the cap is shared, memory stays near it", "[pending]") {
  de::PendingMemory memory(256 << 10);
  std::vector<std::unique_ptr<de::PendingQueue>> queues;
  for (int i = 0; i < 4; ++i) {
    queues.push_back(std::make_unique<de::PendingQueue>());
    queues.back()->set_keep_text(true);
    queues.back()->set_memory(&memory, i % 2 == 0);
  }
  for (uint64_t n = 0; n < 40000; ++n) queues[n % 4]->push_back(EventNo(n / 4), TextNo(n / 4));
  // Each queue keeps its front and at most a chunk of unwritten tail beyond the cap.
  CHECK(memory.held() < (256 << 10) + 4 * (200 << 10));
  CHECK(memory.stats().spill_files == 2);
  for (auto& q : queues) {
    for (uint64_t n = 0; n < 10000; ++n) {
      CheckIs(q->front(), n, true);
      q->pop_front();
    }
  }
  CHECK(memory.held() <= 4 * (8 << 10) + 4 * 64);  // empty queues keep a few KB at most
  queues.clear();
  CHECK(memory.held() == 0);
}
