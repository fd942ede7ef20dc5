// JUnit XML: the de-facto schema (testsuites > testsuite > testcase > failure) that GitLab,
// Jenkins, Azure and GitHub test-report actions all display. No timestamps or durations, so the
// same input gives the same bytes.
#include <fmt/format.h>

#include "diff_events/fires/hex.h"
#include "diff_events/report/ci_reports.h"
#include "diff_events/report/diff_reports.h"
#include "diff_events/report/fires_format.h"

namespace de {
namespace {

struct TestCase {
  std::string classname;
  std::string name;
  std::string failure_type;     // empty: the test case passed
  std::string failure_message;  // one line
  std::string details;          // failure body, or system-out of a passing case
};

std::string RenderSuites(const std::string& suite_name, const std::vector<TestCase>& cases) {
  size_t failures = 0;
  for (const TestCase& c : cases) failures += !c.failure_type.empty();
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out +=
      fmt::format("<testsuites name=\"diff_events\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n",
                  cases.size(), failures);
  out += fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
      XmlEscape(suite_name), cases.size(), failures);
  for (const TestCase& c : cases) {
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", XmlEscape(c.classname),
                       XmlEscape(c.name));
    if (c.failure_type.empty() && c.details.empty()) {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    if (!c.failure_type.empty()) {
      out += fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                         XmlEscape(c.failure_type), XmlEscape(c.failure_message),
                         XmlEscape(c.details));
    } else {
      out += fmt::format("      <system-out>{}</system-out>\n", XmlEscape(c.details));
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

std::string EventWhere(const char* side, const std::optional<EventRef>& e) {
  if (!e) return fmt::format("{}: <end of stream>", side);
  return fmt::format("{}: idx {}, line {}", side, e->idx, e->line);
}

TestCase PairCase(const PairResult& p) {
  TestCase c;
  c.classname = "diff_events.pairs";
  c.name = fmt::format("canary tid {} / ours tid {}", p.canary_tid, p.ours_tid);
  if (!p.first_call.empty()) c.name += " (" + p.first_call + ")";
  std::string counts =
      fmt::format("paired by {}; {} events matched; canary has {}, ours has {}",
                  PairingMethodName(p.method), p.matched, p.canary_total, p.ours_total);
  if (!p.Diverged()) {
    c.details = counts + (p.divergence ? "\n" + PairStatusText(p) : "");
    return c;
  }
  const Divergence& d = *p.divergence;
  c.failure_type = DivergenceKindName(d.kind);
  c.failure_message = PairStatusText(p);
  c.details = fmt::format("first divergence at event #{}\n{}\n{}\n{}", d.position,
                          EventWhere("canary", d.canary), EventWhere("ours", d.ours), counts);
  return c;
}

TestCase UnpairedCase(const UnpairedThread& u) {
  TestCase c;
  c.classname = "diff_events.unpaired";
  c.name = fmt::format("{} tid {}", u.canary_side ? "canary" : "ours", u.tid);
  c.failure_type = "unpaired";
  c.failure_message = UnpairedText(u);
  c.details = c.failure_message;
  return c;
}

TestCase KeyCase(const KeyRow& k, const char* type, const std::string& message) {
  TestCase c;
  c.classname = std::string("diff_events.fires.") + type;
  c.name = k.op + " " + Hex32(k.lr) + (k.note.empty() ? "" : " (" + k.note + ")");
  c.failure_type = type;
  c.failure_message = message;
  c.details = fmt::format("canary fires {} on tids {}; ours fires {}{}", k.canary.fires,
                          JoinDecimal(k.canary.tids, ", "), k.ours.fires,
                          k.ours.tids.empty() ? "" : " on tids " + JoinDecimal(k.ours.tids, ", "));
  return c;
}

}  // namespace

std::string RenderDiffJunit(const DiffResult& r) {
  std::vector<TestCase> cases;
  for (const PairResult& p : r.pairs) cases.push_back(PairCase(p));
  for (const UnpairedThread& u : r.unpaired) cases.push_back(UnpairedCase(u));
  return RenderSuites(fmt::format("diff_events {} vs {}", r.canary_path, r.ours_path), cases);
}

std::string RenderFiresJunit(const FiresResult& r) {
  std::vector<TestCase> cases;
  for (const KeyRow& k : r.missing) {
    cases.push_back(KeyCase(k, "missing",
                            fmt::format("{} {} fires {} times in canary, never in ours", k.op,
                                        Hex32(k.lr), k.canary.fires)));
  }
  for (const KeyRow& k : r.under_firing) {
    cases.push_back(KeyCase(k, "under-firing",
                            fmt::format("{} {} fires {} times in canary, {} in ours", k.op,
                                        Hex32(k.lr), k.canary.fires, k.ours.fires)));
  }
  TestCase matched;
  matched.classname = "diff_events.fires";
  matched.name = "keys firing in both engines";
  matched.details = fmt::format("both engines fire {} ({} of them under-firing)",
                                CountOf(r.matched.size(), "key"), r.under_firing.size());
  cases.push_back(matched);
  TestCase extra;
  extra.classname = "diff_events.fires";
  extra.name = "keys only ours fires";
  extra.details = fmt::format("only ours fires {}", CountOf(r.extra.size(), "key"));
  cases.push_back(extra);
  return RenderSuites("diff_events fires", cases);
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
          out += "\xEF\xBF\xBD";  // U+FFFD: XML 1.0 has no way to write C0 controls
        else
          out += ch;
    }
  }
  return out;
}

}  // namespace de
