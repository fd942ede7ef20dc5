// Renderers of one LogStats (`diff_events stats`): markdown, CSV, JSON.
#include "diff_events/report/stats_reports.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "diff_events/report/csv.h"
#include "diff_events/report/diff_reports.h"
#include "diff_markdown_parts.h"
#include "markdown_text.h"

namespace de {
namespace {

using Json = nlohmann::ordered_json;

std::string OptText(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : ""; }

// The end state for a CSV cell, with whole handles (a table is read by programs too).
std::string EndDetail(const Lifetime& life) {
  if (life.end != EndState::kBlocked || !life.wait) return EndText(life);
  std::string out = "blocked on";
  for (size_t i = 0; i < life.wait->handles.size(); ++i) {
    const std::string& type = life.wait->object_types[i];
    out += fmt::format("{} {} {}", i ? ";" : "", type.empty() ? "handle" : type,
                       life.wait->handles[i]);
  }
  return out;
}

// "NtWaitForSingleObject ×12, NtSetEvent ×3, … 4 more".
std::string TopCallsText(const std::vector<CallTally>& calls, size_t top) {
  std::string out;
  for (size_t i = 0; i < calls.size() && i < top; ++i) {
    if (i) out += ", ";
    out += fmt::format("{} ×{}", MdCode(calls[i].name), calls[i].count);
  }
  if (calls.size() > top) out += fmt::format(", … {} more", calls.size() - top);
  return out.empty() ? "—" : out;
}

void AppendThreadTable(std::string& out, const LogStats& s) {
  out += "## Threads\n\n";
  out +=
      "| tid | events | kernel calls | first host_ns | last host_ns | duration | end | "
      "handles created | handles destroyed | top calls |\n";
  out += "|---:|---:|---:|---:|---:|---:|---|---:|---:|---|\n";
  for (const ThreadStats& t : s.threads) {
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", t.tid,
                       t.life.events, t.life.kernel_calls, HostNsText(t.life.first_host_ns),
                       HostNsText(t.life.last_host_ns), DurationText(t.life.duration_ns()),
                       Cell(EndText(t.life)), t.handles_created, t.handles_destroyed,
                       TopCallsText(t.calls, s.top));
  }
  out += "\n";
}

void AppendCallTable(std::string& out, const LogStats& s) {
  if (s.calls.empty()) return;
  out += "## Kernel calls\n\n| call | count | threads |\n|---|---:|---:|\n";
  for (size_t i = 0; i < s.calls.size() && i < s.top_calls; ++i) {
    const CallTally& c = s.calls[i];
    out += fmt::format("| {} | {} | {} |\n", MdCode(c.name), c.count, c.threads);
  }
  if (s.calls.size() > s.top_calls) {
    out += fmt::format("| … {} more rows in the CSV/JSON | | |\n", s.calls.size() - s.top_calls);
  }
  out += "\n";
}

Json LifeJson(const Lifetime& life) {
  Json end{{"state", EndStateName(life.end)}};
  if (life.wait) {
    end["wait"] = {{"handles", life.wait->handles},
                   {"object_types", life.wait->object_types},
                   {"timeout_ns", life.wait->timeout_ns ? Json(*life.wait->timeout_ns) : Json()},
                   {"idx", life.wait->idx}};
  }
  if (life.exit_idx) end["exit_idx"] = *life.exit_idx;
  return end;
}

Json OptJson(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }

}  // namespace

uint64_t LogStats::KernelCalls() const {
  uint64_t n = 0;
  for (const ThreadStats& t : threads) n += t.life.kernel_calls;
  return n;
}

uint64_t LogStats::HandlesCreated() const {
  uint64_t n = 0;
  for (const ThreadStats& t : threads) n += t.handles_created;
  return n;
}

uint64_t LogStats::HandlesDestroyed() const {
  uint64_t n = 0;
  for (const ThreadStats& t : threads) n += t.handles_destroyed;
  return n;
}

std::string RenderStatsMarkdown(const LogStats& s) {
  std::string out = "# Event log statistics\n\n";
  out += fmt::format("- log: {}\n", MdCode(s.path == "-" ? "<stdin>" : s.path));
  if (!s.engine.empty()) out += fmt::format("- engine: {}\n", MdCode(s.engine));
  out += fmt::format("- {}, {}, {} ({}), {} created, {} destroyed\n\n", CountOf(s.events, "event"),
                     CountOf(s.threads.size(), "thread"), CountOf(s.KernelCalls(), "kernel call"),
                     CountOf(s.calls.size(), "name"), CountOf(s.HandlesCreated(), "handle"),
                     s.HandlesDestroyed());
  AppendThreadTable(out, s);
  AppendCallTable(out, s);
  return out;
}

std::string RenderStatsCsv(const LogStats& s) {
  std::string out;
  AppendCsvRow(
      out, {"tid", "events", "kernel_calls", "first_host_ns", "last_host_ns", "duration_ns", "end",
            "end_detail", "handles_created", "handles_destroyed", "calls"});
  for (const ThreadStats& t : s.threads) {
    std::string calls;
    for (const CallTally& c : t.calls) {
      calls += fmt::format("{}{}={}", calls.empty() ? "" : ";", c.name, c.count);
    }
    AppendCsvRow(
        out,
        {std::to_string(t.tid), std::to_string(t.life.events), std::to_string(t.life.kernel_calls),
         OptText(t.life.first_host_ns), OptText(t.life.last_host_ns),
         std::to_string(t.life.duration_ns()), EndStateName(t.life.end), EndDetail(t.life),
         std::to_string(t.handles_created), std::to_string(t.handles_destroyed), calls});
  }
  return out;
}

std::string RenderStatsJson(const LogStats& s) {
  Json j;
  j["log"] = s.path;
  j["engine"] = s.engine;
  j["events"] = s.events;
  j["kernel_calls"] = s.KernelCalls();
  j["handles_created"] = s.HandlesCreated();
  j["handles_destroyed"] = s.HandlesDestroyed();
  j["threads"] = Json::array();
  for (const ThreadStats& t : s.threads) {
    Json calls = Json::array();
    for (const CallTally& c : t.calls) calls.push_back({{"name", c.name}, {"count", c.count}});
    j["threads"].push_back({{"tid", t.tid},
                            {"events", t.life.events},
                            {"kernel_calls", t.life.kernel_calls},
                            {"first_host_ns", OptJson(t.life.first_host_ns)},
                            {"last_host_ns", OptJson(t.life.last_host_ns)},
                            {"duration_ns", t.life.duration_ns()},
                            {"end", LifeJson(t.life)},
                            {"handles_created", t.handles_created},
                            {"handles_destroyed", t.handles_destroyed},
                            {"calls", calls}});
  }
  j["calls"] = Json::array();
  for (const CallTally& c : s.calls) {
    j["calls"].push_back({{"name", c.name}, {"count", c.count}, {"threads", c.threads}});
  }
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

const std::vector<StatsExporter>& StatsExporters() {
  static const std::vector<StatsExporter> exporters = {
      {"--out", "Markdown report file (default: stdout)", RenderStatsMarkdown},
      {"--csv", "CSV, one row per thread (RFC 4180)", RenderStatsCsv},
      {"--json", "The whole overview as JSON (schemas/stats-report.schema.json)", RenderStatsJson},
  };
  return exporters;
}

}  // namespace de
