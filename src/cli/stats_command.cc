// `diff_events stats LOG`: a per-thread overview of one log (events, kernel calls by name,
// first/last host_ns, end state, handles created/destroyed, top calls) as markdown, CSV or JSON.
// It is the diff's decoder and thread analysis run on one side: streaming, memory bounded by
// threads and call names, and the same end states the diff reports show.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "cli_support.h"
#include "commands.h"
#include "diff_events/behavior/side_behavior.h"
#include "diff_events/canon/profile.h"
#include "diff_events/decode/side_decoder.h"
#include "diff_events/io/read_progress.h"
#include "diff_events/report/atomic_file.h"
#include "diff_events/report/diff_reports.h"
#include "diff_events/report/stats_reports.h"
#include "progress_meter.h"
#include "terminal.h"

namespace de {
namespace {

struct StatsOptions {
  std::string log;
  std::string profile_path;
  std::vector<std::string> outputs = std::vector<std::string>(StatsExporters().size());
  size_t top = 5;
  size_t top_calls = 20;
  TerminalOptions terminal;
};

bool ByCountThenName(const CallTally& a, const CallTally& b) {
  return a.count != b.count ? a.count > b.count : a.name < b.name;
}

std::vector<CallTally> SortedCalls(const std::map<std::string, uint64_t>& calls) {
  std::vector<CallTally> out;
  for (const auto& [name, count] : calls) out.push_back({name, count, 1});
  std::stable_sort(out.begin(), out.end(), ByCountThenName);
  return out;
}

// The whole result, sorted (threads by tid, calls by count then name): rendering only formats.
LogStats Summarize(const SideBehavior& behavior, const EventNames& names, const StatsOptions& o) {
  LogStats s;
  s.path = o.log;
  s.top = o.top;
  s.top_calls = o.top_calls;
  std::vector<uint64_t> tids = behavior.Tids();
  std::sort(tids.begin(), tids.end());
  std::map<std::string, CallTally> log_calls;
  for (uint64_t tid : tids) {
    ThreadStats t;
    t.tid = tid;
    t.life = behavior.LifeOf(tid);
    SideBehavior::HandleCounts handles = behavior.HandlesOf(tid);
    t.handles_created = handles.created;
    t.handles_destroyed = handles.destroyed;
    std::map<std::string, uint64_t> calls = behavior.CallsOf(tid, names);
    for (const auto& [name, count] : calls) {
      CallTally& tally = log_calls[name];
      tally.count += count;
      ++tally.threads;
    }
    t.calls = SortedCalls(calls);
    s.events += t.life.events;
    s.threads.push_back(std::move(t));
  }
  for (auto& [name, tally] : log_calls) {
    tally.name = name;
    s.calls.push_back(std::move(tally));
  }
  std::stable_sort(s.calls.begin(), s.calls.end(), ByCountThenName);
  return s;
}

int Stats(StatsOptions& o) {
  // Usage problems first, before the log is read.
  CheckStdinOnce({o.log, o.profile_path});
  CheckOutputPaths(o.outputs, {o.log});
  Profile profile = o.profile_path.empty() ? DefaultProfile() : LoadProfile(o.profile_path);
  bool show_progress = ApplyTerminalOptions(o.terminal);
  ReadProgress progress(o.log);
  SideDecoder decoder(OpenCountedInput(o.log, &progress), o.log == "-" ? "<stdin>" : o.log,
                      profile);
  SideBehavior behavior(profile, std::nullopt);
  EventNames names;
  {
    // read → decode on the decoder's thread; aggregate per thread here.
    ProgressMeter meter(show_progress, PollReadProgress({&progress}));
    decoder.Start();
    while (auto batch = decoder.Next()) {
      names.Append(*batch);
      size_t next_facts = 0;
      for (size_t i = 0; i < batch->events.size(); ++i) {
        bool has_facts = next_facts < batch->facts.size() && batch->facts[next_facts].event == i;
        behavior.Observe(batch->events[i], has_facts ? &batch->facts[next_facts++] : nullptr,
                         *batch, names);
      }
      decoder.Recycle(std::move(batch));
    }
  }
  LogStats stats = Summarize(behavior, names, o);
  stats.engine = decoder.engine();

  // Every requested format renders the same result; the set appears whole or not at all.
  std::vector<OutputFile> reports;
  for (size_t i = 0; i < StatsExporters().size(); ++i) {
    std::string path = o.outputs[i];
    if (path.empty() && i == 0) path = "-";
    if (!path.empty()) reports.push_back({path, StatsExporters()[i].render(stats)});
  }
  WriteFilesAtomically(reports);
  if (!o.terminal.quiet) {
    PrintNote(fmt::format("stats: {}: {}, {}, {}", o.log == "-" ? "<stdin>" : o.log,
                          CountOf(stats.events, "event"), CountOf(stats.threads.size(), "thread"),
                          CountOf(stats.KernelCalls(), "kernel call")));
  }
  return kExitSame;
}

}  // namespace

int RunStatsCommand(int argc, char** argv) {
  CLI::App app(
      "A per-thread overview of one event log: events, kernel calls by name, first and last "
      "host_ns, end state (exited, blocked on which handles, cut), handles created and "
      "destroyed, top calls. Markdown on stdout unless --out names a file; --csv and --json "
      "add the other formats.",
      "diff_events stats");
  StatsOptions options;
  app.add_option("LOG", options.log, "The log (plain, .zst, .gz; - for stdin)")->required();
  for (size_t i = 0; i < StatsExporters().size(); ++i) {
    app.add_option(StatsExporters()[i].flag, options.outputs[i], StatsExporters()[i].help);
  }
  app.add_option("--top", options.top, "Calls per thread in the markdown table")
      ->default_val(5)
      ->check(WholeNumber(1000000));
  app.add_option("--top-calls", options.top_calls,
                 "Rows of the markdown's whole-log call table (the CSV/JSON hold every call)")
      ->default_val(20)
      ->check(WholeNumber(1000000));
  app.add_option("--profile", options.profile_path,
                 "Profile naming exit calls and object types (schemas/profile.schema.json)");
  AddTerminalOptions(app, options.terminal);
  int parsed = ParseCommandLine(app, argc, argv, "stats");
  if (parsed >= 0) return parsed;
  int code = RunGuarded([&] { return Stats(options); });
  // A decoder thread let go while blocked in a read (a silent pipe) still runs: end here.
  if (SideDecoder::AnyDetached()) {
    std::fflush(nullptr);
    _exit(code);
  }
  return code;
}

}  // namespace de
