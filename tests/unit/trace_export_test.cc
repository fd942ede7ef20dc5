// The trace export: its windows, its nesting rules on a second read, and its refusals.
#include "diff_events/report/trace_export.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../../src/report/trace_plan.h"
#include "../../src/report/trace_writer.h"
#include "diff_events/align/diff_session.h"
#include "diff_events/input_error.h"
#include "diff_events/io/byte_source.h"

namespace {

std::string Log(const std::string& engine, const std::vector<std::string>& events) {
  std::string text = R"({"kind":"schema_version","schema_version":1,"engine":")" + engine + "\"}\n";
  for (const std::string& e : events) text += e + "\n";
  return text;
}

std::string Event(uint64_t idx, const std::string& kind, const std::string& payload) {
  return R"({"tid":1,"tid_event_idx":)" + std::to_string(idx) + R"(,"host_ns":)" +
         std::to_string(1000 + 1500 * idx) + R"(,"kind":")" + kind + R"(","payload":)" + payload +
         "}";
}

de::ByteSourceOpener Opener(const std::string& text, const std::string& name) {
  return [text, name] { return de::MakeMemorySource(text, name); };
}

nlohmann::json Trace(const std::string& canary, const std::string& ours, uint64_t window) {
  de::DiffResult result = de::RunDiff(de::MemoryInput(canary, "c.jsonl", true),
                                      de::MemoryInput(ours, "o.jsonl", true), de::DiffOptions{});
  de::ExportInputs inputs{Opener(canary, "c.jsonl"), Opener(ours, "o.jsonl"), window};
  return nlohmann::json::parse(de::RenderTrace(result, inputs));
}

std::vector<nlohmann::json> Slices(const nlohmann::json& trace, int pid) {
  std::vector<nlohmann::json> out;
  for (const auto& e : trace["traceEvents"])
    if (e["ph"] == "X" && e["pid"] == pid) out.push_back(e);
  return out;
}

}  // namespace

TEST_CASE("Trace times are microseconds with the nanoseconds kept", "[trace]") {
  CHECK(de::TraceMicros(1935435457) == "1935435.457");
  CHECK(de::TraceMicros(1000) == "1");
  CHECK(de::TraceMicros(5) == "0.005");
  CHECK(de::TraceMicros(-1500) == "-1.500");
  CHECK(de::JsonQuoted("a\"b\\c\n") == "\"a\\\"b\\\\c\\u000a\"");
}

TEST_CASE("Trace windows merge and stay inside the thread", "[trace]") {
  std::vector<de::PositionSpan> merged =
      de::MergeSpans({{90, 200}, {15, 30}, {10, 20}, {30, 35}, {50, 40}}, 100);
  CHECK(merged == std::vector<de::PositionSpan>{{10, 35}, {90, 100}});
}

TEST_CASE("Trace plan: a window around the hunk's start and end and at the thread's end",
          "[trace]") {
  de::DiffResult result;
  de::PairResult pair;
  pair.canary_tid = 6;
  pair.ours_tid = 1;
  pair.canary_total = pair.ours_total = 1000;
  pair.divergence = de::Divergence{};
  pair.divergence->position = 500;
  de::Hunk hunk;
  hunk.canary_start = hunk.ours_start = 500;
  hunk.canary_count = 1;
  hunk.ours_count = 3;
  pair.hunks.push_back(hunk);
  result.pairs.push_back(pair);
  de::UnpairedThread unpaired;
  unpaired.canary_side = false;
  unpaired.tid = 9;
  unpaired.events = 150;
  result.unpaired.push_back(unpaired);

  de::TracePlan plan = de::PlanTrace(result, 100);
  REQUIRE(plan.canary.size() == 1);
  REQUIRE(plan.ours.size() == 2);
  CHECK(plan.canary[0].label == "canary tid 6 ↔ ours 1");
  CHECK(plan.canary[0].windows == std::vector<de::PositionSpan>{{450, 551}, {900, 1000}});
  CHECK(plan.ours[0].windows == std::vector<de::PositionSpan>{{450, 553}, {900, 1000}});
  CHECK(plan.ours[0].differing == std::vector<de::PositionSpan>{{500, 503}});
  REQUIRE(plan.canary[0].marks.size() == 2);
  CHECK(plan.canary[0].marks[0].name == "divergence");
  CHECK(plan.canary[0].marks[1].name == "hunk: replaced");
  CHECK(plan.ours[1].label == "ours tid 9 (unpaired)");
  CHECK(plan.ours[1].windows == std::vector<de::PositionSpan>{{0, 150}});
  CHECK(de::PlanTrace(result, 0).canary[0].windows == std::vector<de::PositionSpan>{{0, 1000}});
}

TEST_CASE("Trace slices nest: a return closes what opened inside its call", "[trace]") {
  std::string log = Log("e", {
                                 Event(0, "kernel.call", R"({"name":"A"})"),
                                 Event(1, "kernel.call", R"({"name":"B"})"),
                                 Event(2, "kernel.return", R"({"name":"A","return_value":7})"),
                                 Event(3, "kernel.return", R"({"name":"C"})"),
                                 Event(4, "wait.begin", R"({"handles":["h1"]})"),
                             });
  nlohmann::json trace = Trace(log, log, 0);
  std::vector<nlohmann::json> slices = Slices(trace, 1);
  REQUIRE(slices.size() == 3);  // B, A (C's return had no call), the wait
  CHECK(slices[0]["name"] == "A");
  CHECK(slices[0]["args"]["return_value"] == "7");
  CHECK(slices[0]["ts"] == 1);
  CHECK(slices[0]["dur"] == 3);
  CHECK(slices[1]["name"] == "B");
  CHECK(slices[1]["args"]["cut"] == "an enclosing slice ended");
  CHECK(slices[2]["name"] == "wait");
  CHECK(slices[2]["args"]["handles"] == nlohmann::json::array({"h1"}));
  CHECK(slices[2]["args"]["end_state"].get<std::string>().rfind("blocked on", 0) == 0);
  bool named = false;
  for (const auto& e : trace["traceEvents"])
    named |= e["ph"] == "M" && e["name"] == "thread_name" && e["pid"] == 2 &&
             e["args"]["name"] == "canary tid 1 ↔ ours 1";
  CHECK(named);
}

TEST_CASE("Trace: a second read that differs from the first is an input error", "[trace]") {
  std::string log = Log("e", {Event(0, "kernel.call", R"({"name":"A"})"),
                              Event(1, "kernel.return", R"({"name":"A"})")});
  std::string shorter = Log("e", {Event(0, "kernel.call", R"({"name":"A"})")});
  de::DiffResult result = de::RunDiff(de::MemoryInput(log, "c.jsonl", true),
                                      de::MemoryInput(log, "o.jsonl", true), de::DiffOptions{});
  de::ExportInputs changed{Opener(log, "c.jsonl"), Opener(shorter, "o.jsonl"), 0};
  CHECK_THROWS_AS(de::RenderTrace(result, changed), de::InputError);
  de::ExportInputs once{Opener(log, "c.jsonl"), nullptr, 0};
  CHECK_THROWS_AS(de::RenderTrace(result, once), de::InputError);
}
