// JUnit XML, GitHub annotations and step summary rendered from hand-made results.
#include "diff_events/report/ci_reports.h"

#include <catch2/catch.hpp>
#include <string>

namespace {

de::DiffResult SampleResult() {
  de::DiffResult r;
  r.canary_path = "c.jsonl";
  r.ours_path = "o&<.jsonl";
  de::PairResult same;
  same.canary_tid = 5;
  same.ours_tid = 1;
  same.first_call = "NtCreateEvent";
  same.matched = same.canary_total = same.ours_total = 7;
  de::PairResult diverged;
  diverged.canary_tid = 6;
  diverged.ours_tid = 2;
  diverged.matched = 3;
  de::Divergence d;
  d.position = 3;
  d.canary = de::EventRef{17, 40, -1, 0, 0, "", ""};
  d.ours = de::EventRef{17, 38, -1, 0, 0, "", ""};
  d.summary = "payload.name: canary='A<1>' ours='B%\r\n'";
  diverged.divergence = d;
  r.pairs = {same, diverged};
  de::UnpairedThread u;
  u.tid = 9;
  u.events = 1;
  u.first_call = "XamInputGetState";
  r.unpaired = {u};
  return r;
}

}  // namespace

TEST_CASE("JUnit: a test case per pair, divergences and unpaired threads fail", "[ci]") {
  std::string xml = de::RenderDiffJunit(SampleResult());
  CHECK(xml.find("tests=\"3\" failures=\"2\"") != std::string::npos);
  CHECK(xml.find("<testcase classname=\"diff_events.pairs\" name=\"canary tid 5 / ours tid 1 "
                 "(NtCreateEvent)\">") != std::string::npos);
  CHECK(
      xml.find("message=\"payload.name: canary=&apos;A&lt;1&gt;&apos; ours=&apos;B%\r\n&apos;\"") !=
      std::string::npos);
  CHECK(xml.find("<failure type=\"unpaired\"") != std::string::npos);
  CHECK(xml.find("o&amp;&lt;.jsonl") != std::string::npos);
  CHECK(de::XmlEscape(std::string("a\x01z")) == "a\xEF\xBF\xBDz");
}

TEST_CASE("GitHub annotations: one line each, %, CR, LF escaped", "[ci]") {
  std::string out = de::RenderDiffGithubAnnotations(SampleResult());
  CHECK(out ==
        "::error title=thread pair canary 6 / ours 2 diverged::payload.name: canary='A<1>' "
        "ours='B%25%0D%0A' (first divergence at event #3, idx 17)\n"
        "::error title=unpaired canary thread 9::unpaired: canary tid 9 has no partner in ours "
        "(1 events, first call XamInputGetState)\n");
  CHECK(de::GithubEscapeProperty("a:b,c%") == "a%3Ab%2Cc%25");
}

TEST_CASE("GitHub annotations are capped per level with a count of the rest", "[ci]") {
  de::DiffResult r = SampleResult();
  r.unpaired.assign(15, r.unpaired.front());
  std::string out = de::RenderDiffGithubAnnotations(r);
  size_t lines = 0;
  for (char c : out) lines += c == '\n';
  CHECK(lines == 11);
  CHECK(out.find("::error title=diff_events::6 more errors not shown") != std::string::npos);
}

TEST_CASE("step summary: verdict and a row per pair, cells safe for markdown", "[ci]") {
  std::string md = de::RenderDiffStepSummary(SampleResult());
  CHECK(md.rfind("### diff_events: diverged: 1 of 2 thread pairs diverge, 1 thread unpaired", 0) ==
        0);
  CHECK(md.find("| 5 | 1 | ✅ identical |  |") != std::string::npos);
  CHECK(md.find("| 6 | 2 | ❌ payload.name: canary='A&lt;1&gt;' ours='B%  ' | 17 |") !=
        std::string::npos);
}

TEST_CASE("step summary: the root divergences lead, capped; each pair names its cause", "[ci]") {
  de::DiffResult r = SampleResult();
  de::PairResult root = r.pairs[1];
  r.pairs.clear();
  for (uint64_t tid = 100; tid < 112; ++tid) {  // 12 roots
    root.canary_tid = root.ours_tid = tid;
    root.cause = de::Cause{};
    r.pairs.push_back(root);
  }
  de::PairResult consequence = root;
  consequence.canary_tid = consequence.ours_tid = 200;
  consequence.cause = de::Cause{de::CauseRole::kConsequence, {100}, std::string("h1"), "Event"};
  r.pairs.push_back(consequence);
  std::string md = de::RenderDiffStepSummary(r);
  size_t lead = md.find("**12 root divergences explain 13 diverging pairs:**");
  REQUIRE(lead != std::string::npos);
  CHECK(lead < md.find("| canary tid |"));
  CHECK(md.find("- **root**: canary tid 100 ↔ ours tid 100 — payload.name") != std::string::npos);
  CHECK(md.find("- **root**: canary tid 109 ↔ ours tid 109") != std::string::npos);
  CHECK(md.find("- **root**: canary tid 110") == std::string::npos);
  CHECK(md.find("- … 2 more in the report") != std::string::npos);
  CHECK(md.find("| 200 | 200 | ❌ payload.name") != std::string::npos);
  CHECK(md.find("| consequence of canary tid 100 (via Event h1) |") != std::string::npos);
}
