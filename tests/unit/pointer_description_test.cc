// The description of a difference when pointers compare by allocation identity: two sides
// decoded in memory, their blocks handed to DescribeDifference as the session hands them over.
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "diff_events/align/difference_description.h"
#include "diff_events/canon/profile.h"
#include "diff_events/decode/event_decoder.h"

namespace {

std::string Event(uint64_t idx, const std::string& kind, const std::string& payload) {
  return R"({"tid":1,"tid_event_idx":)" + std::to_string(idx) + R"(,"kind":")" + kind +
         R"(","payload":)" + payload + "}";
}

// One side: an allocation of 64 bytes at `base`, then `later` (events from idx 2 on).
struct DecodedSide {
  DecodedSide(const std::string& base, const std::vector<std::string>& later) {
    std::vector<std::string> lines = {
        Event(0, "kernel.call",
              R"({"name":"RtlAllocateHeap","args_resolved":{"heap":"0x82b00000","size":64}})"),
        Event(1, "kernel.return",
              R"({"name":"RtlAllocateHeap","return_value":")" + base + R"(","status":"0x0"})")};
    lines.insert(lines.end(), later.begin(), later.end());
    de::EventDecoder decoder(de::DefaultProfile(), "side.jsonl");
    de::EventBatch batch;
    uint64_t number = 0;
    for (const std::string& text : lines) {
      std::string padded = text + std::string(de::kLinePadding, '\0');
      de::Line line{std::string_view(padded.data(), text.size()), ++number, padded.size(), 0};
      decoder.Decode(line, batch);
      de::EventRef ref;
      ref.raw = text;
      ref.line = number;
      ref.idx = batch.events.back().idx;
      ref.alloc_ordinal = batch.events.back().alloc_ordinal;
      refs.push_back(ref);
    }
    pointers = decoder.TakePointers();
  }
  std::vector<de::EventRef> refs;
  std::shared_ptr<const de::SidePointers> pointers;
};

de::EventDifference DescribeLast(const DecodedSide& canary, const DecodedSide& ours,
                                 bool blocks_known = true) {
  de::PointerSides sides;
  if (blocks_known) sides = {canary.pointers.get(), 1, ours.pointers.get(), 1};
  return de::DescribeDifference(canary.refs.back(), ours.refs.back(), de::DefaultProfile(), sides);
}

std::string Call(const std::string& args) {
  return Event(2, "kernel.call", R"({"name":"NtWriteFile","args_resolved":)" + args + "}");
}

}  // namespace

TEST_CASE("an interior pointer at another offset shows both blocks beside the raw values",
          "[pointers]") {
  DecodedSide canary("0x40001000", {Call(R"({"buffer":"0x40001010","length":16})")});
  DecodedSide ours("0x50002000", {Call(R"({"buffer":"0x50002018","length":16})")});
  REQUIRE(canary.pointers);
  auto d = DescribeLast(canary, ours);
  CHECK(d.field == "payload.args_resolved.buffer");
  CHECK(d.summary ==
        "payload.args_resolved.buffer: canary='0x40001010' (<ALLOC_RtlAllocateHeap_0>+0x10) "
        "ours='0x50002018' (<ALLOC_RtlAllocateHeap_0>+0x18)");
}

TEST_CASE("a pointer equal by its block is passed over for the one that differs", "[pointers]") {
  // buffer differs as written but is the same block and offset; dest is the real difference.
  DecodedSide canary("0x40001000", {Call(R"({"buffer":"0x40001010","dest":1073745952})")});
  DecodedSide ours("0x50002000", {Call(R"({"buffer":"0x50002010","dest":1342185512})")});
  auto d = DescribeLast(canary, ours);
  CHECK(d.field == "payload.args_resolved.dest");
  CHECK(d.summary ==
        "payload.args_resolved.dest: canary=1073745952 (<ALLOC_RtlAllocateHeap_0>+0x20) "
        "ours=1342185512 (<ALLOC_RtlAllocateHeap_0>+0x28)");
  // Without the blocks, the first address that differs as written is all that can be named.
  CHECK(DescribeLast(canary, ours, false).field == "payload.args_resolved.buffer");
}

TEST_CASE("a non-pointer field is named when the pointers are equal by their blocks",
          "[pointers]") {
  DecodedSide canary("0x40001000", {Call(R"({"buffer":"0x40001010","length":16})")});
  DecodedSide ours("0x50002000", {Call(R"({"buffer":"0x50002010","length":17})")});
  auto d = DescribeLast(canary, ours);
  CHECK(d.summary == "payload.args_resolved.length: canary=16 ours=17");
}

TEST_CASE("a value that stood for a block on one side only shows which", "[pointers]") {
  DecodedSide canary("0x40001000", {Call(R"({"buffer":"0x40001010"})")});
  DecodedSide ours("0x50002000", {Call(R"({"buffer":"0x60000010"})")});
  auto d = DescribeLast(canary, ours);
  CHECK(d.summary ==
        "payload.args_resolved.buffer: canary='0x40001010' (<ALLOC_RtlAllocateHeap_0>+0x10) "
        "ours='0x60000010'");
}

TEST_CASE("an ignored thread ctx is described when it points into a block", "[pointers]") {
  auto create = [](const std::string& ctx) {
    return Event(2, "thread.create", R"({"entry":"0x82000000","ctx":")" + ctx + R"("})");
  };
  DecodedSide canary("0x40001000", {create("0x40001000")});
  DecodedSide ours("0x50002000", {create("0x50002030")});
  auto d = DescribeLast(canary, ours);
  CHECK(d.summary ==
        "payload.ctx: canary='0x40001000' (<ALLOC_RtlAllocateHeap_0>) ours='0x50002030' "
        "(<ALLOC_RtlAllocateHeap_0>+0x30)");
}

TEST_CASE("a pointer is described by the block it stood for when its event was decoded",
          "[pointers]") {
  // Canary's block is handed out again (idx 3-4) after the call that passed the pointer.
  DecodedSide canary(
      "0x40001000",
      {Call(R"({"buffer":"0x40001010"})"),
       Event(3, "kernel.call",
             R"({"name":"RtlAllocateHeap","args_resolved":{"heap":"0x82b00000","size":64}})"),
       Event(4, "kernel.return",
             R"({"name":"RtlAllocateHeap","return_value":"0x40001000","status":"0x0"})")});
  DecodedSide ours("0x50002000", {Call(R"({"buffer":"0x50002018"})")});
  de::PointerSides sides{canary.pointers.get(), 1, ours.pointers.get(), 1};
  auto d = de::DescribeDifference(canary.refs[2], ours.refs[2], de::DefaultProfile(), sides);
  CHECK(d.summary ==
        "payload.args_resolved.buffer: canary='0x40001010' (<ALLOC_RtlAllocateHeap_0>+0x10) "
        "ours='0x50002018' (<ALLOC_RtlAllocateHeap_0>+0x18)");
}
