// The HTML report: input text stays text, and the embedded data cannot end its <script>.
#include <catch2/catch.hpp>
#include <string>

#include "../../src/report/html_text.h"
#include "diff_events/report/diff_reports.h"

namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("HtmlText escapes what HTML reads as markup", "[report]") {
  CHECK(de::HtmlText("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
  CHECK(de::HtmlText("plain é") == "plain é");
}

TEST_CASE("ScriptSafeJson leaves no < > & in a script element", "[report]") {
  CHECK(de::ScriptSafeJson(R"({"s":"</script><!--&"})") ==
        R"({"s":"\u003c/script\u003e\u003c!--\u0026"})");
}

TEST_CASE("RenderDiffHtml: event text cannot close the data script", "[report]") {
  de::DiffResult r;
  r.canary_engine = "</script><script>alert(1)</script>";
  de::PairResult p;
  p.canary_tid = 17;
  p.ours_tid = 13;
  de::Divergence d;
  d.summary = "payload.s: canary='</script>' ours='b'";
  de::EventRef e;
  e.summary = "[1] k s=</script><u>";
  e.raw = R"({"s":"</script>"})";
  d.canary = e;
  d.ours = e;
  p.divergence = d;
  p.canary_total = p.ours_total = 2;
  p.canary_life.activity.Add(5);
  p.ours_life.activity.Add(7);
  r.pairs.push_back(p);
  std::string page = de::RenderDiffHtml(r);
  CHECK(Count(page, "</script>") == 2);  // the data blob's and the script's own
  CHECK(Count(page, "<script") == 2);
  CHECK(page.find("<u>") == std::string::npos);
  CHECK(page.find("data-rendered") != std::string::npos);  // the script reports it ran
  CHECK(page.find("\"id\":\"17-13\"") != std::string::npos);
}

TEST_CASE("RenderDiffHtml: past 500 threads the page keeps root causes and says what it left",
          "[report]") {
  de::DiffResult r;
  for (uint64_t tid = 1; tid <= 600; ++tid) {
    de::PairResult p;
    p.canary_tid = p.ours_tid = tid;
    if (tid == 600) {
      p.divergence = de::Divergence{};
      p.cause = de::Cause{};  // a root
    }
    r.pairs.push_back(p);
  }
  std::string page = de::RenderDiffHtml(r);
  CHECK(page.find("shows 500 of 600 threads") != std::string::npos);
  CHECK(Count(page, "\"id\":\"") == 500);
  CHECK(page.find("\"id\":\"600-600\"") != std::string::npos);  // the root, last by tid
  CHECK(page.find("\"id\":\"499-499\"") != std::string::npos);
  CHECK(page.find("\"id\":\"500-500\"") == std::string::npos);
}
