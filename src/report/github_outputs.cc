// GitHub Actions workflow commands (::error / ::warning) and the step-summary markdown. The
// runner reads workflow commands from a step's output, one per line, so every value is escaped
// to stay on its line.
#include <fmt/format.h>

#include "diff_events/fires/hex.h"
#include "diff_events/report/ci_reports.h"
#include "diff_events/report/diff_reports.h"

namespace de {
namespace {

// GitHub shows at most 10 annotations of each level per step: more would only be dropped.
constexpr size_t kMaxAnnotationsPerLevel = 10;

class Annotations {
 public:
  void Add(const char* level, const std::string& title, const std::string& message) {
    size_t& count = std::string_view(level) == "error" ? errors_ : warnings_;
    if (++count > kMaxAnnotationsPerLevel) return;
    out_ += fmt::format("::{} title={}::{}\n", level, GithubEscapeProperty(title),
                        GithubEscapeData(message));
  }
  std::string Finish() {
    AppendLeftOut("error", errors_);
    AppendLeftOut("warning", warnings_);
    return std::move(out_);
  }

 private:
  void AppendLeftOut(const char* level, size_t count) {
    if (count <= kMaxAnnotationsPerLevel) return;
    out_ += fmt::format("::{} title=diff_events::{} more {}s not shown (see the report)\n", level,
                        count - kMaxAnnotationsPerLevel, level);
  }

  std::string out_;
  size_t errors_ = 0;
  size_t warnings_ = 0;
};

std::string Escape(std::string_view text, bool property) {
  std::string out;
  for (char c : text) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else if (property && c == ':')
      out += "%3A";
    else if (property && c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

std::string PairTitle(const PairResult& p) {
  return fmt::format("thread pair canary {} / ours {}", p.canary_tid, p.ours_tid);
}

std::string KeyName(const KeyRow& k) { return k.op + " " + Hex32(k.lr); }

// Markdown table cells: no pipes, no line breaks, no HTML ("<ALLOC_1>" would vanish as a tag).
std::string Cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string GithubEscapeData(std::string_view text) { return Escape(text, false); }
std::string GithubEscapeProperty(std::string_view text) { return Escape(text, true); }

std::string RenderDiffGithubAnnotations(const DiffResult& r) {
  Annotations a;
  for (const CaptureWarning& w : r.warnings) {
    a.Add("warning", "capture visibility: " + w.name, CaptureWarningText(w));
  }
  for (const PairResult& p : r.pairs) {
    if (!p.divergence) continue;
    std::string message = fmt::format(
        "{} (first divergence at event #{}{})", PairStatusText(p), p.divergence->position,
        FirstDivergenceIdx(p) ? ", idx " + FirstDivergenceAt(p) : std::string());
    if (p.truncation_allowed)
      a.Add("warning", PairTitle(p) + " truncated", message);
    else if (p.reorder_accepted)
      a.Add("warning", PairTitle(p) + " reordered", message);
    else
      a.Add("error", PairTitle(p) + " diverged", message);
  }
  for (const UnpairedThread& u : r.unpaired)
    a.Add("error", fmt::format("unpaired {} thread {}", u.canary_side ? "canary" : "ours", u.tid),
          UnpairedText(u));
  return a.Finish();
}

std::string RenderFiresGithubAnnotations(const FiresResult& r) {
  Annotations a;
  if (r.baseline) {
    for (const KeyRef& k : r.baseline->newly_missing)
      a.Add("error", "newly missing fire site",
            fmt::format("{} {} fires {} times in canary, never in ours, and was not missing in "
                        "the baseline {}",
                        k.op, Hex32(k.lr), k.canary_fires, r.baseline->path));
  }
  for (const KeyRow& k : r.missing)
    a.Add("error", "missing fire site",
          fmt::format("{} fires {} times in canary, never in ours{}", KeyName(k), k.canary.fires,
                      k.note.empty() ? "" : " (" + k.note + ")"));
  for (const KeyRow& k : r.under_firing)
    a.Add("warning", "under-firing fire site",
          fmt::format("{} fires {} times in canary, {} in ours{}", KeyName(k), k.canary.fires,
                      k.ours.fires, k.note.empty() ? "" : " (" + k.note + ")"));
  return a.Finish();
}

namespace {

constexpr size_t kMaxRootsInSummary = 10;

// The root divergences lead, as in the markdown report: fixing them is what makes the
// consequences go away. A step summary is read on a CI page, so the list is capped.
void AppendRootDivergences(std::string& out, const DiffResult& r) {
  std::string headline = CausesHeadline(r);
  if (headline.empty()) return;
  out += fmt::format("**{}:**\n\n", headline);
  size_t shown = 0, roots = 0;
  for (const PairResult& p : r.pairs) {
    if (!p.cause || p.cause->role != CauseRole::kRoot) continue;
    if (++roots > kMaxRootsInSummary) continue;
    ++shown;
    out += fmt::format("- **root**: canary tid {} ↔ ours tid {} — {}{}\n", p.canary_tid, p.ours_tid,
                       Cell(PairStatusText(p)),
                       p.cause->unexplained_wait ? " (blocked on a handle nothing signals)" : "");
  }
  if (roots > shown) out += fmt::format("- … {} more in the report\n", roots - shown);
  out += "\n";
}

}  // namespace

std::string RenderDiffStepSummary(const DiffResult& r) {
  std::string out = fmt::format("### diff_events: {}\n\n", Cell(Verdict(r)));
  out += fmt::format("`{}` vs `{}`\n\n", Cell(r.canary_path), Cell(r.ours_path));
  if (r.pairs.empty() && r.unpaired.empty()) return out;
  AppendRootDivergences(out, r);
  out +=
      "| canary tid | ours tid | verdict | first divergence at | cause |\n"
      "|---:|---:|---|---:|---|\n";
  for (const PairResult& p : r.pairs) {
    const char* mark = !p.divergence ? "✅" : !p.Diverged() ? "⚠️" : "❌";
    out += fmt::format("| {} | {} | {} {} | {} | {} |\n", p.canary_tid, p.ours_tid, mark,
                       Cell(PairStatusText(p)), FirstDivergenceAt(p),
                       p.cause ? Cell(CauseText(*p.cause)) : "");
  }
  for (const UnpairedThread& u : r.unpaired) {
    out += fmt::format("| {} | {} | ❌ {} | | |\n", u.canary_side ? std::to_string(u.tid) : "—",
                       u.canary_side ? "—" : std::to_string(u.tid), Cell(UnpairedText(u)));
  }
  return out + "\n";
}

std::string RenderFiresStepSummary(const FiresResult& r) {
  std::string out = fmt::format("### diff_events fires: {}\n\n", HeadlineName(r.headline));
  for (const std::string& reason : r.reasons) out += "- " + Cell(reason) + "\n";
  out += fmt::format(
      "\n| class | keys |\n|---|---:|\n| missing | {} |\n| under-firing | {} |\n| extra | {} "
      "|\n| matched | {} |\n",
      r.missing.size(), r.under_firing.size(), r.extra.size(), r.matched.size());
  if (r.baseline)
    out += fmt::format("| newly missing (vs baseline) | {} |\n", r.baseline->newly_missing.size());
  return out + "\n";
}

}  // namespace de
