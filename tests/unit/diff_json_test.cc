// The JSON report is printed a pair at a time: it must be what printing the whole document at
// once gives, byte for byte, whatever the lists hold.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "diff_events/report/diff_reports.h"

namespace {

// What the whole-document printer makes of the same JSON.
std::string Reprinted(const std::string& text) {
  return nlohmann::ordered_json::parse(text).dump(2, ' ', false) + "\n";
}

de::PairResult Pair(uint64_t tid, bool diverged) {
  de::PairResult p;
  p.canary_tid = tid;
  p.ours_tid = tid + 100;
  p.first_call = "NtCreateEvent";
  p.canary_total = p.ours_total = 4;
  p.canary_life.activity.Add(10);
  p.call_counts.push_back({"NtCreateEvent", 2, 3});
  if (diverged) {
    de::Divergence d;
    d.field = "payload.name";
    d.summary = "payload.name: canary='A' ours='B'\nsecond line";  // a newline inside a string
    de::EventRef e;
    e.summary = "[3] kernel.call A";
    d.canary = e;
    d.context.push_back({e, e});
    p.divergence = d;
    de::Hunk h;
    h.canary_events.push_back(e);
    p.hunks.push_back(h);
  }
  return p;
}

}  // namespace

TEST_CASE("RenderDiffJson: printed a pair at a time, as the whole document prints", "[report]") {
  de::DiffResult r;
  r.canary_path = "c.jsonl";
  r.rules = {"rule one"};
  SECTION("no pairs, no unpaired threads: empty lists") {
    std::string text = de::RenderDiffJson(r);
    CHECK(text == Reprinted(text));
    CHECK(text.find("\"pairs\": [],\n  \"unpaired\": []\n}\n") != std::string::npos);
  }
  SECTION("pairs, nested lists, and unpaired threads") {
    r.pairs.push_back(Pair(5, false));
    r.pairs.push_back(Pair(7, true));
    r.pairs.push_back(Pair(9, false));
    de::UnpairedThread u;
    u.tid = 42;
    u.first_call = "NtClose";
    r.unpaired.push_back(u);
    std::string text = de::RenderDiffJson(r);
    CHECK(text == Reprinted(text));
    auto j = nlohmann::ordered_json::parse(text);
    REQUIRE(j["pairs"].size() == 3);
    CHECK(j["pairs"][1]["canary_tid"] == 7);
    CHECK(j["pairs"][1]["status"] == "diverged");
    CHECK(j["unpaired"][0]["tid"] == 42);
  }
  SECTION("invalid UTF-8 is replaced, in the head and in a pair") {
    r.canary_engine = "bad \xff";
    de::PairResult p = Pair(1, false);
    p.first_call = "Nt\xfe";
    r.pairs.push_back(p);
    std::string text = de::RenderDiffJson(r);
    CHECK(text.find("\xef\xbf\xbd") != std::string::npos);  // U+FFFD
    CHECK(text == Reprinted(text));
  }
}
