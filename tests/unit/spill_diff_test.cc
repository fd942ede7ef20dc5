// A diff whose pending queues spill to a temp file reports exactly what it reports in memory.
#include <catch2/catch.hpp>
#include <string>

#include "diff_events/align/diff_session.h"
#include "diff_events/io/input.h"
#include "diff_events/report/diff_reports.h"

namespace {

std::string Call(uint64_t tid, uint64_t idx, const std::string& name, uint64_t arg) {
  return R"({"engine":"x","tid":)" + std::to_string(tid) + R"(,"tid_event_idx":)" +
         std::to_string(idx) + R"(,"host_ns":)" + std::to_string(idx * 10) +
         R"(,"kind":"kernel.call","payload":{"name":")" + name + R"(","args_resolved":{"n":)" +
         std::to_string(arg) + "}}}";
}

// Thread 1 starts with Alpha, thread 2 with Beta; `ours` differs in a few late events of each.
// Canary logs thread 1 then thread 2, ours thread 2 then thread 1: one side's whole thread waits.
std::string Log(bool ours, uint64_t events) {
  std::string log = R"({"kind":"schema_version","schema_version":1,"engine":"mem"})"
                    "\n";
  for (uint64_t tid : ours ? std::vector<uint64_t>{2, 1} : std::vector<uint64_t>{1, 2}) {
    for (uint64_t i = 0; i < events; ++i) {
      std::string name = i == 0 ? (tid == 1 ? "Alpha" : "Beta") : "NtWork" + std::to_string(i % 7);
      bool differs = ours && (i == events - 500 || i == events - 40 * tid);
      log += Call(tid, i, name, differs ? 999999 : i) + "\n";
    }
  }
  return log;
}

std::string Report(bool rereadable, uint64_t pending_memory, de::PendingStats* stats) {
  de::DiffOptions options;
  options.pending_memory = pending_memory;
  de::DiffResult r = de::RunDiff(de::MemoryInput(Log(false, 20000), "c.jsonl", rereadable),
                                 de::MemoryInput(Log(true, 20000), "o.jsonl", rereadable), options);
  *stats = r.pending;
  return de::RenderDiffMarkdown(r) + de::RenderDiffCsv(r) + de::RenderDiffJson(r);
}

}  // namespace

TEST_CASE("A diff that spills its pending events reports the same", "[pending]") {
  for (bool rereadable : {false, true}) {
    INFO("rereadable " << rereadable);
    de::PendingStats in_memory, spilled;
    std::string expected = Report(rereadable, uint64_t{1} << 30, &in_memory);
    std::string got = Report(rereadable, 64 << 10, &spilled);
    CHECK(in_memory.spilled_records == 0);
    CHECK(spilled.spilled_records > 10000);
    // The cap, and per spilling queue its front and a chunk each way.
    CHECK(spilled.peak_bytes < (600 << 10));
    if (!rereadable) CHECK(in_memory.peak_bytes > (2 << 20));
    CHECK(expected.find("999999") != std::string::npos);  // the divergent lines are shown
    CHECK(got == expected);
  }
}
