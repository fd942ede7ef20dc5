// One input decoded by two threads (SideDecoder::Options::split) gives the batches one thread
// gives: the same events, fingerprints, names, facts and sizes, and the same first error.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "diff_events/decode/side_decoder.h"
#include "diff_events/input_error.h"

namespace {

// Everything a batch hands on, as text, batch by batch.
std::string Decoded(const std::string& input, bool split, size_t batch_bytes,
                    bool keep_text = false) {
  de::SideDecoder::Options options;
  options.split = split;
  options.batch_bytes = batch_bytes;
  options.keep_text = keep_text;
  de::SideDecoder decoder(de::MakeMemorySource(input, "mem.jsonl"), "mem.jsonl",
                          de::DefaultProfile(), options);
  decoder.Start();
  std::ostringstream out;
  try {
    while (auto batch = decoder.Next()) {
      out << "batch " << batch->bytes << " names";
      for (const std::string& n : batch->new_names) out << ' ' << n;
      out << '\n';
      size_t next_facts = 0;
      for (size_t i = 0; i < batch->events.size(); ++i) {
        const de::DecodedEvent& e = batch->events[i];
        out << e.line << ' ' << e.tid << ' ' << e.idx << ' ' << e.fingerprint << ' '
            << e.raw_fingerprint << ' ' << e.offset << ' ' << e.alloc_ordinal << ' ' << e.host_ns
            << ' ' << static_cast<int>(e.event_class) << ' ' << e.first_call_of_thread << e.masked
            << e.has_child_tid << ' ' << e.child_tid << ' ' << e.raw_size << ' ' << e.name_id << ' '
            << batch->Raw(e);
        if (next_facts < batch->facts.size() && batch->facts[next_facts].event == i) {
          const de::EventFacts& f = batch->facts[next_facts++];
          out << " facts";
          for (size_t k = 0; k < f.strings(); ++k) out << ' ' << batch->FactString(f, k);
          for (size_t k = 0; k < f.keys(); ++k) out << ' ' << batch->FactKey(f, k);
          if (f.has_number) out << " n=" << f.number;
        }
        out << '\n';
      }
      decoder.Recycle(std::move(batch));
    }
  } catch (const de::InputError& err) {
    out << "error: " << err.what() << '\n';
  }
  return out.str();
}

std::string Event(int tid, int idx, const std::string& kind, const std::string& payload) {
  return R"({"engine":"e","tid":)" + std::to_string(tid) + R"(,"tid_event_idx":)" +
         std::to_string(idx) + R"(,"host_ns":)" + std::to_string(1000 + idx) + R"(,"kind":")" +
         kind + R"(","payload":)" + payload + "}\n";
}

// Three threads that allocate blocks and pass pointers into them (into blocks allocated in an
// earlier batch, often by the other decoder), wait on handles, create threads, and call names
// first met by either decoder.
std::string Program(int rounds) {
  std::string s = R"({"kind":"schema_version","schema_version":1,"engine":"e"})"
                  "\n";
  int idx[4] = {0, 0, 0, 0};
  for (int r = 0; r < rounds; ++r) {
    for (int tid = 1; tid <= 3; ++tid) {
      int& i = idx[tid];
      uint64_t block = 0x10000000ull * tid + 0x100ull * r;
      s += Event(tid, i++, "kernel.call",
                 R"({"name":"RtlAllocateHeap","args_resolved":{"heap":"0x1","size":64}})");
      s += Event(tid, i++, "kernel.return",
                 R"({"name":"RtlAllocateHeap","return_value":)" + std::to_string(block) + "}");
      uint64_t older = 0x10000000ull * tid + 0x100ull * (r / 2) + 8;
      char hex[32];
      std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(older));
      s += Event(tid, i++, "kernel.call",
                 std::string(R"({"name":"NtCall)") + std::to_string(r % 7) +
                     R"(","args_resolved":{"buf":")" + hex + R"(","n":)" +
                     std::to_string(older + 16) + "}}");
      s += Event(tid, i++, "wait.begin", R"({"handles":["h)" + std::to_string(r) + R"("]})");
      s += Event(tid, i++, "handle.create",
                 R"({"handle_semantic_id":"s)" + std::to_string(r) + R"(","object_type":1})");
      if (r % 5 == 0) {
        s += Event(tid, i++, "thread.create",
                   R"({"child_tid":)" + std::to_string(100 + r) + R"(,"ctx":")" + hex + "\"}");
      }
    }
  }
  return s;
}

}  // namespace

TEST_CASE("Split decoding: the batches of one thread, pointers into earlier blocks included",
          "[decode]") {
  std::string input = Program(60);
  for (size_t batch_bytes : {size_t{300}, size_t{1000}, size_t{5000}}) {
    INFO("batch bytes " << batch_bytes);
    std::string one = Decoded(input, false, batch_bytes);
    CHECK(one.find("error") == std::string::npos);
    CHECK(Decoded(input, true, batch_bytes) == one);
    CHECK(Decoded(input, true, batch_bytes, true) == Decoded(input, false, batch_bytes, true));
  }
  // Canonicalization is at work: some calls' two fingerprints differ.
  std::string one = Decoded(input, false, 1000);
  size_t differing = 0;
  std::istringstream lines(one);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream f(line);
    std::string first, tid, idx, fp, raw;
    if (f >> first >> tid >> idx >> fp >> raw && first != "batch" && fp != raw) ++differing;
  }
  CHECK(differing > 50);
}

// Which blocks the helper prepares depends on timing (it claims the second unclaimed block of
// the window): many runs meet many mixes of the two ways, and each gives the same batches.
TEST_CASE("Split decoding: the same batches whichever blocks the helper claims", "[decode]") {
  std::string input = Program(80);
  std::string one = Decoded(input, false, 200);
  for (int run = 0; run < 30; ++run) {
    INFO("run " << run);
    REQUIRE(Decoded(input, true, 200) == one);
  }
}

TEST_CASE("Split decoding: the first error is the one a single thread meets", "[decode]") {
  std::string input = Program(40);
  std::vector<std::string> lines;
  std::istringstream in(input);
  for (std::string line; std::getline(in, line);) lines.push_back(line + "\n");
  auto with = [&](size_t at, const std::string& line) {
    std::string s;
    for (size_t i = 0; i < lines.size(); ++i) s += i == at ? line : lines[i];
    return s;
  };
  for (size_t at : {size_t{7}, size_t{60}, size_t{123}, size_t{200}}) {
    INFO("line " << at + 1);
    for (const std::string& bad :
         {std::string("{\"tid\":1,\n"), Event(1, 0, "kernel.call", R"({"name":"X"})"),
          std::string("not json\n")}) {
      std::string input2 = with(at, bad);
      std::string one = Decoded(input2, false, 400);
      CHECK(one.find("error: ") != std::string::npos);
      CHECK(Decoded(input2, true, 400) == one);
    }
  }
}
