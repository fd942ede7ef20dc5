// `diff_events stats LOG`: what one log holds, per thread, as one immutable, sorted result and
// its renderers (markdown, CSV, JSON) behind one exporter table, like the diff's. Nothing here
// computes: the command fills the result from the side's SideBehavior.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diff_events/align/diff_result.h"

namespace de {

struct CallTally {
  std::string name;
  uint64_t count = 0;
  uint64_t threads = 0;  // threads that made the call (whole-log tallies only)
};

struct ThreadStats {
  uint64_t tid = 0;
  Lifetime life;  // events, kernel calls, first/last host_ns, end state
  uint64_t handles_created = 0;
  uint64_t handles_destroyed = 0;
  std::vector<CallTally> calls;  // every kernel call name, by count (descending), then name
};

struct LogStats {
  std::string path;    // as given ("-" for stdin)
  std::string engine;  // from the header, may be empty
  uint64_t events = 0;
  std::vector<ThreadStats> threads;  // by tid
  std::vector<CallTally> calls;      // the whole log, by count (descending), then name
  size_t top = 5;                    // calls per thread in the markdown table
  size_t top_calls = 20;             // rows of the markdown's whole-log call table

  uint64_t KernelCalls() const;
  uint64_t HandlesCreated() const;
  uint64_t HandlesDestroyed() const;
};

using StatsRenderer = std::string (*)(const LogStats&);

std::string RenderStatsMarkdown(const LogStats& stats);
// One row per thread; `calls` lists every call as name=count, ';'-separated, by count.
std::string RenderStatsCsv(const LogStats& stats);
std::string RenderStatsJson(const LogStats& stats);  // schemas/stats-report.schema.json

struct StatsExporter {
  const char* flag;  // "--csv"
  const char* help;
  StatsRenderer render;
};
// The first entry (--out, markdown) goes to stdout when no output is named.
const std::vector<StatsExporter>& StatsExporters();

}  // namespace de
