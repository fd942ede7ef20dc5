// RunDiff end to end on small logs written to a temp directory.
#include <stdlib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "diff_events/align/diff_session.h"
#include "diff_events/input_error.h"
#include "diff_events/io/input.h"

namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/diff_events_test.XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    for (const std::string& f : files_) std::remove(f.c_str());
    rmdir(path_.c_str());
  }
  // Writes a log: the schema header, then one line per event.
  std::string Log(const std::string& name, const std::vector<std::string>& events,
                  const std::string& engine = "canary") {
    std::string path = path_ + "/" + name;
    std::ofstream out(path, std::ios::binary);
    out << R"({"kind":"schema_version","schema_version":1,"engine":")" << engine << "\"}\n";
    for (const std::string& e : events) out << e << "\n";
    files_.push_back(path);
    return path;
  }

 private:
  std::string path_;
  std::vector<std::string> files_;
};

std::string Ev(uint64_t tid, uint64_t idx, const std::string& kind, const std::string& payload) {
  return R"({"engine":"x","tid":)" + std::to_string(tid) + R"(,"tid_event_idx":)" +
         std::to_string(idx) + R"(,"host_ns":)" + std::to_string(tid * 1000 + idx) +
         R"(,"kind":")" + kind + R"(","payload":)" + payload + "}";
}
std::string Call(uint64_t tid, uint64_t idx, const std::string& name,
                 const std::string& args = "{}") {
  return Ev(tid, idx, "kernel.call", R"({"name":")" + name + R"(","args_resolved":)" + args + "}");
}
std::string Ret(uint64_t tid, uint64_t idx, const std::string& name, const std::string& value) {
  return Ev(tid, idx, "kernel.return",
            R"({"name":")" + name + R"(","return_value":)" + value + R"(,"status":)" + value + "}");
}
std::string Create(uint64_t tid, uint64_t idx, uint64_t child, const std::string& entry) {
  return Ev(tid, idx, "thread.create",
            R"({"entry":")" + entry + R"(","ctx":")" + std::to_string(child) + R"(","child_tid":)" +
                std::to_string(child) + "}");
}

de::DiffResult Diff(const std::string& canary, const std::string& ours,
                    const std::string& tid_map = "", bool allow_truncation = false) {
  de::DiffOptions o;
  o.canary_path = canary;
  o.ours_path = ours;
  if (!tid_map.empty()) o.tid_map = de::ParseTidMap(tid_map);
  o.allow_truncation = allow_truncation;
  return de::RunDiffFiles(o);
}

const de::PairResult& PairOf(const de::DiffResult& r, uint64_t canary_tid) {
  for (const de::PairResult& p : r.pairs) {
    if (p.canary_tid == canary_tid) return p;
  }
  FAIL("canary tid " << canary_tid << " is not paired");
  throw;
}

}  // namespace

TEST_CASE("RunDiff: identical logs with other tids and engine-local values", "[diff]") {
  TempDir dir;
  auto c = dir.Log("c.jsonl",
                   {Call(5, 0, "NtCreateEvent"), Ret(5, 1, "NtCreateEvent", "0"),
                    Call(5, 2, "RtlAllocateHeap"), Ret(5, 3, "RtlAllocateHeap", "\"0xBC01\"")});
  auto o = dir.Log("o.jsonl",
                   {Call(1, 0, "NtCreateEvent"), Ret(1, 1, "NtCreateEvent", "0.0"),
                    Call(1, 2, "RtlAllocateHeap"), Ret(1, 3, "RtlAllocateHeap", "\"0x4001\"")},
                   "ours");
  de::DiffResult r = Diff(c, o);
  CHECK(r.Identical());
  REQUIRE(r.pairs.size() == 1);
  CHECK(r.pairs[0].canary_tid == 5);
  CHECK(r.pairs[0].ours_tid == 1);
  CHECK(r.pairs[0].method == de::PairingMethod::kContent);
  CHECK(r.pairs[0].matched == 4);
  CHECK_FALSE(r.pairs[0].divergence);
  CHECK(r.canary_engine == "canary");
  CHECK(r.ours_engine == "ours");
  CHECK(r.canary_events == 4);
}

TEST_CASE("RunDiff: one differing field is named with both values", "[diff]") {
  TempDir dir;
  auto c = dir.Log("c.jsonl", {Call(5, 0, "A"), Call(5, 1, "NtSetEvent", R"({"handle":"ev1"})"),
                               Call(5, 2, "C")});
  auto o = dir.Log("o.jsonl", {Call(1, 0, "A"), Call(1, 1, "NtSetEvent", R"({"handle":"ev2"})"),
                               Call(1, 2, "C")});
  de::DiffResult r = Diff(c, o);
  CHECK_FALSE(r.Identical());
  const de::PairResult& p = PairOf(r, 5);
  REQUIRE(p.divergence);
  const de::Divergence& d = *p.divergence;
  CHECK(d.kind == de::DivergenceKind::kEventsDiffer);
  CHECK(d.position == 1);
  CHECK(p.matched == 1);
  CHECK(d.field == "payload.args_resolved.handle");
  CHECK(d.summary == "payload.args_resolved.handle: canary='ev1' ours='ev2'");
  REQUIRE(d.canary);
  CHECK(d.canary->idx == 1);
  CHECK(d.canary->line == 3);
  REQUIRE(d.canary_next);
  CHECK(d.canary_next->idx == 2);
  REQUIRE(d.context.size() == 1);
  CHECK(d.context[0].canary.idx == 0);
}

TEST_CASE("RunDiff: a differing name and a differing idx", "[diff]") {
  TempDir dir;
  auto c = dir.Log("c.jsonl",
                   {Call(5, 0, "A"), Call(5, 1, "NtSetEvent"), Call(8, 0, "B"), Call(8, 1, "X")});
  auto o = dir.Log("o.jsonl", {Call(1, 0, "A"), Call(1, 1, "NtReleaseSemaphore"), Call(2, 0, "B"),
                               Call(2, 2, "X")});
  de::DiffResult r = Diff(c, o);
  CHECK(PairOf(r, 5).divergence->summary ==
        "payload.name: canary='NtSetEvent' ours='NtReleaseSemaphore'");
  CHECK(PairOf(r, 5).divergence->field == "payload.name");
  CHECK(PairOf(r, 8).divergence->field == "tid_event_idx");
  CHECK(PairOf(r, 8).divergence->summary == "tid_event_idx: canary=1 ours=2");
}

TEST_CASE("RunDiff: ours ends early; --allow-truncation accepts it", "[diff]") {
  TempDir dir;
  auto c = dir.Log("c.jsonl", {Call(5, 0, "A"), Call(5, 1, "NtWaitForSingleObjectEx"),
                               Ev(5, 2, "wait.end", R"({"handle":"h"})"), Call(5, 3, "Z")});
  auto o = dir.Log("o.jsonl", {Call(1, 0, "A"), Call(1, 1, "NtWaitForSingleObjectEx")});
  de::DiffResult r = Diff(c, o);
  const de::PairResult& p = PairOf(r, 5);
  REQUIRE(p.divergence);
  CHECK(p.divergence->kind == de::DivergenceKind::kOursEnds);
  CHECK(p.divergence->summary == "ours ends after idx 1; canary continues with [2] wait.end");
  CHECK(p.matched == 2);
  CHECK_FALSE(r.Identical());

  de::DiffResult t = Diff(c, o, "", true);
  CHECK(t.Identical());
  CHECK(PairOf(t, 5).truncation_allowed);

  // The other way round, and a mismatch is never excused by --allow-truncation.
  de::DiffResult rev = Diff(o, c);
  CHECK(PairOf(rev, 1).divergence->kind == de::DivergenceKind::kCanaryEnds);
  CHECK(PairOf(rev, 1).divergence->summary ==
        "canary ends after idx 1; ours continues with [2] wait.end");
  auto o2 = dir.Log("o2.jsonl", {Call(1, 0, "A"), Call(1, 1, "Other")});
  CHECK_FALSE(Diff(c, o2, "", true).Identical());
}

TEST_CASE("RunDiff: --tid-map pairs threads whose first calls differ", "[diff]") {
  TempDir dir;
  auto c = dir.Log("c.jsonl", {Call(6, 0, "Alpha"), Call(6, 1, "B")});
  auto o = dir.Log("o.jsonl", {Call(1, 0, "Beta"), Call(1, 1, "B")});
  CHECK_THROWS_AS(Diff(c, o), de::UsageError);
  de::DiffResult r = Diff(c, o, "6=1");
  REQUIRE(r.pairs.size() == 1);
  CHECK(r.pairs[0].method == de::PairingMethod::kTidMap);
  CHECK(r.pairs[0].divergence->field == "payload.name");
  CHECK(r.unpaired.empty());
  de::DiffResult hex = Diff(c, o, "0x6=0x1");
  CHECK(hex.pairs.at(0).ours_tid == 1);
}

TEST_CASE("RunDiff: nothing pairs is a UsageError that tells to pass --tid-map", "[diff]") {
  TempDir dir;
  auto c = dir.Log("c.jsonl", {Call(6, 0, "Alpha")});
  auto o = dir.Log("o.jsonl", {Call(1, 0, "Beta")});
  CHECK_THROWS_WITH(Diff(c, o), Catch::Contains("--tid-map"));
  // One side without events is not "nothing pairs": its threads are unpaired.
  auto empty = dir.Log("e.jsonl", {});
  de::DiffResult r = Diff(c, empty);
  CHECK(r.pairs.empty());
  REQUIRE(r.unpaired.size() == 1);
  CHECK(r.unpaired[0].canary_side);
  CHECK_FALSE(r.Identical());
  CHECK(Diff(empty, empty).Identical());
}

TEST_CASE("RunDiff: an unpaired thread is listed and counts as a divergence", "[diff]") {
  TempDir dir;
  auto c =
      dir.Log("c.jsonl", {Call(5, 0, "Main"), Call(9, 0, "XamInputGetState"), Call(9, 1, "More")});
  auto o = dir.Log("o.jsonl", {Call(1, 0, "Main"), Call(4, 3, "OnlyOurs")});
  de::DiffResult r = Diff(c, o);
  CHECK(r.DivergentPairs() == 0);
  CHECK_FALSE(r.Identical());
  REQUIRE(r.unpaired.size() == 2);
  CHECK(r.unpaired[0].canary_side);
  CHECK(r.unpaired[0].tid == 9);
  CHECK(r.unpaired[0].events == 2);
  CHECK(r.unpaired[0].first_call == "XamInputGetState");
  CHECK_FALSE(r.unpaired[1].canary_side);
  CHECK(r.unpaired[1].tid == 4);
  CHECK(r.unpaired[1].first_idx == 3u);
}

TEST_CASE("RunDiff: children pair by lineage, not by first call (parent tid lower)", "[diff]") {
  TempDir dir;
  // Both workers start with the same call; ours numbered them the other way round.
  auto c = dir.Log(
      "c.jsonl", {Call(1, 0, "Main"), Create(1, 1, 3, "0x821748f0"), Create(1, 2, 4, "0x821748f0"),
                  Call(3, 0, "Wait", R"({"q":"a"})"), Call(4, 0, "Wait", R"({"q":"b"})")});
  auto o = dir.Log("o.jsonl", {Call(10, 0, "Main"), Create(10, 1, 21, "0x821748f0"),
                               Create(10, 2, 20, "0x821748f0"), Call(20, 0, "Wait", R"({"q":"b"})"),
                               Call(21, 0, "Wait", R"({"q":"a"})")});
  de::DiffResult r = Diff(c, o);
  CHECK(PairOf(r, 3).ours_tid == 21);
  CHECK(PairOf(r, 3).method == de::PairingMethod::kLineage);
  CHECK(PairOf(r, 4).ours_tid == 20);
  CHECK(r.Identical());
}

// Regression: at end of input, roots pair first and are aligned, so children pair by lineage
// even when the parent's canary tid is higher than its children's.
TEST_CASE("RunDiff: children pair by lineage, not by first call (parent tid higher)", "[diff]") {
  TempDir dir;
  auto c = dir.Log(
      "c.jsonl", {Call(9, 0, "Main"), Create(9, 1, 3, "0x821748f0"), Create(9, 2, 4, "0x821748f0"),
                  Call(3, 0, "Wait", R"({"q":"a"})"), Call(4, 0, "Wait", R"({"q":"b"})")});
  auto o = dir.Log("o.jsonl", {Call(1, 0, "Main"), Create(1, 1, 21, "0x821748f0"),
                               Create(1, 2, 20, "0x821748f0"), Call(20, 0, "Wait", R"({"q":"b"})"),
                               Call(21, 0, "Wait", R"({"q":"a"})")});
  de::DiffResult r = Diff(c, o);
  CHECK(PairOf(r, 3).ours_tid == 21);
  CHECK(PairOf(r, 3).method == de::PairingMethod::kLineage);
  CHECK(PairOf(r, 4).ours_tid == 20);
  CHECK(r.Identical());
}

TEST_CASE("RunDiff: allocator addresses never differ; an extra allocation drifts ordinals",
          "[diff]") {
  TempDir dir;
  auto c = dir.Log("c.jsonl", {Call(5, 0, "Main"), Ret(5, 1, "RtlAllocateHeap", "\"0xBC00\""),
                               Ret(5, 2, "NtAllocateVirtualMemory", "\"0xBC10\""),
                               Ret(5, 3, "RtlAllocateHeap", "\"0xBC20\"")});
  auto same = dir.Log("s.jsonl", {Call(1, 0, "Main"), Ret(1, 1, "RtlAllocateHeap", "\"0x4000\""),
                                  Ret(1, 2, "NtAllocateVirtualMemory", "\"0x4010\""),
                                  Ret(1, 3, "RtlAllocateHeap", "\"0x4020\"")});
  CHECK(Diff(c, same).Identical());
  auto o = dir.Log("o.jsonl", {Call(1, 0, "Main"), Ret(1, 1, "RtlAllocateHeap", "\"0x4000\""),
                               Ret(1, 2, "RtlAllocateHeap", "\"0x4010\""),
                               Ret(1, 3, "RtlAllocateHeap", "\"0x4020\"")});
  de::DiffResult r = Diff(c, o);
  const de::Divergence& d = *PairOf(r, 5).divergence;
  CHECK(d.position == 2);
  CHECK(d.summary == "payload.name: canary='NtAllocateVirtualMemory' ours='RtlAllocateHeap'");
  REQUIRE(d.canary_next);
  REQUIRE(d.ours_next);
  CHECK(d.canary_next->alloc_ordinal == 1);
  CHECK(d.ours_next->alloc_ordinal == 2);
}

TEST_CASE("RunDiff: the summary of an allocator return skips the canonicalized address", "[diff]") {
  TempDir dir;
  auto ret = [](uint64_t tid, uint64_t idx, const std::string& addr, int size) {
    return Ev(tid, idx, "kernel.return",
              R"({"name":"RtlAllocateHeap","return_value":")" + addr + R"(","status":")" + addr +
                  R"(","size":)" + std::to_string(size) + "}");
  };
  auto c =
      dir.Log("c.jsonl", {Call(5, 0, "Main"), ret(5, 1, "0xBC00", 8), ret(5, 2, "0xBC10", 16)});
  auto o =
      dir.Log("o.jsonl", {Call(1, 0, "Main"), ret(1, 1, "0x4000", 8), ret(1, 2, "0x4010", 32)});
  de::DiffResult r = Diff(c, o);
  const de::Divergence& d = *PairOf(r, 5).divergence;
  CHECK(d.position == 2);
  CHECK(d.field == "payload.size");
  CHECK(d.summary == "payload.size: canary=16 ours=32");
  CHECK(d.canary->alloc_ordinal == 1);
  CHECK(d.ours->alloc_ordinal == 1);
}

TEST_CASE("RunDiff: bad input is an InputError naming file and line", "[diff]") {
  TempDir dir;
  auto c = dir.Log("c.jsonl", {Call(5, 0, "Main")});
  auto bad = dir.Log("bad.jsonl", {Call(1, 0, "Main"), R"({"tid_event_idx":1,"kind":"k"})"});
  try {
    Diff(c, bad);
    FAIL("no error");
  } catch (const de::InputError& e) {
    CHECK(e.file() == bad);
    CHECK(e.line() == 3);
    CHECK(e.what_only() == "missing 'tid'");
  }
  CHECK_THROWS_AS(Diff(c, "/nonexistent/x.jsonl"), de::InputError);
}

TEST_CASE("RunDiff on in-memory inputs, kept as text or reread by offset", "[rundiff]") {
  std::string header = R"({"kind":"schema_version","schema_version":1,"engine":"mem"})";
  std::string canary = header + "\n" + Call(5, 0, "Boot") + "\n" + Call(5, 1, "A") + "\n";
  std::string ours = header + "\n" + Call(9, 0, "Boot") + "\n" + Call(9, 1, "B") + "\n";
  for (bool rereadable : {false, true}) {
    INFO("rereadable " << rereadable);
    de::DiffResult r = de::RunDiff(de::MemoryInput(canary, "c.jsonl", rereadable),
                                   de::MemoryInput(ours, "o.jsonl", rereadable), de::DiffOptions{});
    REQUIRE(r.pairs.size() == 1);
    const de::PairResult& p = r.pairs[0];
    CHECK(p.method == de::PairingMethod::kContent);
    REQUIRE(p.divergence);
    CHECK(p.divergence->position == 1);
    REQUIRE(p.divergence->canary);
    CHECK(p.divergence->canary->raw == Call(5, 1, "A"));  // read back when not kept
    CHECK(p.divergence->field == "payload.name");
  }
}

// An unpaired thread's first line comes from its queue while it buffers, or is moved aside when
// it is dropped (its group has nobody left on the other side): both show the line, kept or
// read back by offset.
TEST_CASE("RunDiff: unpaired threads show their first line, buffered or dropped", "[rundiff]") {
  std::string header = R"({"kind":"schema_version","schema_version":1,"engine":"mem"})";
  auto log = [&](const std::vector<std::string>& lines) {
    std::string text = header + "\n";
    for (const std::string& l : lines) text += l + "\n";
    return text;
  };
  std::string canary = log({Call(5, 0, "Main"), Call(7, 0, "W"), Call(7, 1, "X"), Call(8, 0, "W"),
                            Call(8, 1, "Y"), Call(9, 0, "OnlyCanary", R"({"n":1})")});
  std::string ours = log({Call(1, 0, "Main"), Call(2, 0, "W"), Call(2, 1, "X")});
  for (bool rereadable : {false, true}) {
    INFO("rereadable " << rereadable);
    de::DiffResult r = de::RunDiff(de::MemoryInput(canary, "c.jsonl", rereadable),
                                   de::MemoryInput(ours, "o.jsonl", rereadable), de::DiffOptions{});
    REQUIRE(r.unpaired.size() == 2);
    CHECK(r.unpaired[0].tid == 8);  // buffered to the end: its group had thread 2 on ours' side
    REQUIRE(r.unpaired[0].first_event);
    CHECK(r.unpaired[0].first_event->raw == Call(8, 0, "W"));
    CHECK(r.unpaired[0].first_event->line == 5);
    CHECK(r.unpaired[1].tid == 9);  // nobody on ours' side starts with OnlyCanary
    REQUIRE(r.unpaired[1].first_event);
    CHECK(r.unpaired[1].first_event->raw == Call(9, 0, "OnlyCanary", R"({"n":1})"));
    CHECK(r.unpaired[1].first_call == "OnlyCanary");
  }
}

namespace {

size_t BruteLcs(const std::vector<int>& a, const std::vector<int>& b) {
  std::vector<std::vector<size_t>> t(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    }
  }
  return t[a.size()][b.size()];
}

std::string CallsLog(uint64_t tid, const std::vector<int>& names) {
  std::string log = R"({"kind":"schema_version","schema_version":1,"engine":"mem"})"
                    "\n" +
                    Call(tid, 0, "Start") + "\n";
  for (size_t i = 0; i < names.size(); ++i) {
    log += Call(tid, i + 1, std::string(1, static_cast<char>('A' + names[i]))) + "\n";
  }
  return log;
}

}  // namespace

TEST_CASE("Hunks form a minimal edit script when the stretch fits the window", "[rundiff]") {
  std::mt19937 rng(11);
  de::DiffOptions options;
  options.resync.max_hunks = 100000;
  // Minimal over events: no folding, and no matched events joined into reordered hunks.
  options.resync.fold_period = 0;
  options.resync.reorder_gap = 0;
  for (int round = 0; round < 150; ++round) {
    std::vector<int> a(rng() % 30), b(rng() % 30);
    int alphabet = 1 + static_cast<int>(rng() % 4);
    for (int& v : a) v = static_cast<int>(rng() % alphabet);
    for (int& v : b) v = static_cast<int>(rng() % alphabet);
    INFO("round " << round);
    de::DiffResult r = de::RunDiff(de::MemoryInput(CallsLog(5, a), "c", false),
                                   de::MemoryInput(CallsLog(9, b), "o", round % 2 == 0), options);
    REQUIRE(r.pairs.size() == 1);
    const de::PairResult& p = r.pairs[0];
    uint64_t matched = p.matched + p.matched_after_resync;
    CHECK(matched == 1 + BruteLcs(a, b));  // "Start" matches too
    uint64_t canary_in_hunks = 0, ours_in_hunks = 0;
    for (const de::Hunk& h : p.hunks) {
      canary_in_hunks += h.canary_count;
      ours_in_hunks += h.ours_count;
    }
    CHECK(matched + canary_in_hunks == p.canary_total);
    CHECK(matched + ours_in_hunks == p.ours_total);
  }
}

TEST_CASE("RunDiff: each lifetime carries its thread's events over host time", "[diff]") {
  TempDir dir;
  std::vector<std::string> events;
  for (uint64_t i = 0; i < 600; ++i) events.push_back(Call(1, i, "Step"));
  std::string canary = dir.Log("c.jsonl", events);
  std::string ours = dir.Log("o.jsonl", events, "ours");
  de::DiffResult r = Diff(canary, ours);
  const de::ActivityBins& a = PairOf(r, 1).canary_life.activity;
  CHECK(a.total() == 600);
  CHECK(a.origin_ns() == 1000);  // host_ns = tid * 1000 + idx
  CHECK(a.last_ns() == 1599);
  CHECK(a.bin_width_ns() == 4);  // 600 ns of events: 1 → 2 → 4 ns bins
  CHECK(a.counts().size() == 150);
  CHECK(a.counts()[0] == 4);
}

TEST_CASE("RunDiff: thousands of one-event threads, logged in opposite orders, all pair",
          "[diff]") {
  // Each thread's one call differs by its argument; ours logs the threads in reverse order
  // under other tids. Results are taken as streams are freed: every pair must still be there,
  // in canary tid order, with its own partner.
  constexpr uint64_t kThreads = 3000;
  std::string header = R"({"kind":"schema_version","schema_version":1,"engine":"mem"})";
  std::string canary = header + "\n", ours = header + "\n";
  for (uint64_t k = 0; k < kThreads; ++k) {
    canary += Call(10 + k, 0, "KeTlsSetValue", R"({"index":)" + std::to_string(k) + "}") + "\n";
    uint64_t back = kThreads - 1 - k;
    ours +=
        Call(50000 + back, 0, "KeTlsSetValue", R"({"index":)" + std::to_string(back) + "}") + "\n";
  }
  for (bool rereadable : {false, true}) {
    INFO("rereadable " << rereadable);
    de::DiffResult r = de::RunDiff(de::MemoryInput(canary, "c.jsonl", rereadable),
                                   de::MemoryInput(ours, "o.jsonl", rereadable), de::DiffOptions{});
    REQUIRE(r.pairs.size() == kThreads);
    CHECK(r.unpaired.empty());
    CHECK(r.Identical());
    for (uint64_t k = 0; k < kThreads; ++k) {
      const de::PairResult& p = r.pairs[k];
      CHECK(p.canary_tid == 10 + k);
      CHECK(p.ours_tid == 50000 + k);
      CHECK(p.matched == 1);
      CHECK_FALSE(p.divergence);
      CHECK(p.canary_life.events == 1);
      REQUIRE(p.call_counts.size() == 1);
      CHECK(p.call_counts[0].canary == 1);
    }
  }
}

TEST_CASE("RunDiff: a divergence's context lines, kept as text or reread", "[rundiff]") {
  std::string header = R"({"kind":"schema_version","schema_version":1,"engine":"mem"})";
  std::string canary = header + "\n", ours = header + "\n";
  for (uint64_t i = 0; i < 20; ++i) {
    canary += Call(5, i, "Step", R"({"n":)" + std::to_string(i) + "}") + "\n";
    ours += Call(9, i, "Step", R"({"n":)" + std::to_string(i) + "}") + "\n";
  }
  canary += Call(5, 20, "A") + "\n";
  ours += Call(9, 20, "B") + "\n";
  for (bool rereadable : {false, true}) {
    INFO("rereadable " << rereadable);
    de::DiffOptions options;
    options.context = 3;
    de::DiffResult r = de::RunDiff(de::MemoryInput(canary, "c.jsonl", rereadable),
                                   de::MemoryInput(ours, "o.jsonl", rereadable), options);
    REQUIRE(r.pairs.size() == 1);
    const de::PairResult& p = r.pairs[0];
    REQUIRE(p.divergence);
    CHECK(p.divergence->position == 20);
    REQUIRE(p.divergence->context.size() == 3);
    for (size_t i = 0; i < 3; ++i) {
      std::string n = std::to_string(17 + i);
      CHECK(p.divergence->context[i].canary.idx == 17 + i);
      CHECK(p.divergence->context[i].canary.raw == Call(5, 17 + i, "Step", "{\"n\":" + n + "}"));
      CHECK(p.divergence->context[i].ours.raw == Call(9, 17 + i, "Step", "{\"n\":" + n + "}"));
    }
  }
}
