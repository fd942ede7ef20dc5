// `diff_events --canary A --ours B`: the main job, from options to reports and exit code.
#include <chrono>
#include <cstdio>

#include "cli_support.h"
#include "commands.h"
#include "diff_events/align/diff_session.h"
#include "diff_events/canon/profile.h"
#include "diff_events/report/atomic_file.h"
#include "diff_events/report/diff_reports.h"

namespace de {
namespace {

struct DiffCommandLine {
  DiffOptions diff;
  std::string profile_path;
  std::vector<std::string> extra_allocators;
  bool no_canonicalize = false;
  std::string tid_map;
  std::string out_md, out_csv, out_json;
  bool validate_identical = false;
  bool fail_on_divergence = false;
  bool quiet = false;
  bool stats = false;
};

void DefineOptions(CLI::App& app, DiffCommandLine& o) {
  app.description(
      "Compare two engines' JSONL event logs thread by thread and report where each thread pair "
      "first diverges.\nSubcommand: `diff_events fires --help` for the fire-histogram diff.");
  app.set_version_flag("--version", "diff_events 0.1.0");
  app.add_option("--canary", o.diff.canary_path,
                 "Reference engine's log (plain, .zst, .gz; - for stdin)")
      ->required();
  app.add_option("--ours", o.diff.ours_path, "Our engine's log (plain, .zst, .gz; - for stdin)")
      ->required();
  app.add_option("--out", o.out_md, "Markdown report file (default: stdout)");
  app.add_option("--csv", o.out_csv, "CSV summary, one row per thread pair");
  app.add_option("--json", o.out_json, "Whole result as JSON (schemas/diff-report.schema.json)");
  app.add_option("--context", o.diff.context, "Matching events shown before a divergence")
      ->default_val(5)
      ->check(WholeNumber(1000));
  app.add_option("--tid-map", o.tid_map,
                 "Pair threads by hand: CANARY=OURS,... (decimal or 0x-hex)");
  app.add_option("--profile", o.profile_path,
                 "Canonicalization profile (schemas/profile.schema.json)");
  app.add_option("--allocator", o.extra_allocators, "Add an allocator name (repeatable)");
  app.add_flag("--no-canonicalize-allocators", o.no_canonicalize,
               "Compare allocator return values as they are");
  app.add_flag("--allow-truncation", o.diff.allow_truncation,
               "A thread whose stream only ends early counts as matched");
  app.add_flag("--validate-identical", o.validate_identical,
               "Self-diff smoke test: exit 1 on any divergence; stdout gets a verdict line");
  app.add_flag("--fail-on-divergence", o.fail_on_divergence,
               "Exit 1 when anything diverges (CI gate)");
  app.add_option("--pairing-window", o.diff.pairing_window,
                 "Events per input after which root threads are paired")
      ->default_val(10000)
      ->check(WholeNumber(UINT64_MAX));
  app.add_flag("-q,--quiet", o.quiet, "No verdict line on stderr");
  app.add_flag("--stats", o.stats, "Print time and throughput to stderr");
}

Profile BuildProfile(const DiffCommandLine& o) {
  Profile p = o.profile_path.empty() ? DefaultProfile() : LoadProfile(o.profile_path);
  for (const std::string& name : o.extra_allocators) p.allocators.insert(name);
  if (o.no_canonicalize) p.canonicalize_allocators = false;
  return p;
}

int Run(DiffCommandLine& o) {
  CheckStdinOnce({o.diff.canary_path, o.diff.ours_path, o.profile_path});
  CheckOutputPaths({o.out_md, o.out_csv, o.out_json}, {o.diff.canary_path, o.diff.ours_path});
  o.diff.profile = BuildProfile(o);
  if (!o.tid_map.empty()) o.diff.tid_map = ParseTidMap(o.tid_map);

  auto start = std::chrono::steady_clock::now();
  // read → decode → canonicalize → pair → align, both inputs concurrently.
  DiffResult result = RunDiff(o.diff);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // report: every requested format renders the same result; files appear whole or not at all.
  std::vector<OutputFile> reports;
  if (!o.out_csv.empty()) reports.push_back({o.out_csv, RenderDiffCsv(result)});
  if (!o.out_json.empty()) reports.push_back({o.out_json, RenderDiffJson(result)});
  if (!o.out_md.empty()) {
    reports.push_back({o.out_md, RenderDiffMarkdown(result)});
  } else if (!o.validate_identical) {
    reports.push_back({"-", RenderDiffMarkdown(result)});
  }
  if (o.validate_identical) reports.push_back({"-", Verdict(result) + "\n"});
  WriteFilesAtomically(reports);  // the whole set or nothing
  if (!o.validate_identical && !o.quiet)
    std::fprintf(stderr, "diff_events: %s\n", Verdict(result).c_str());
  if (o.stats) {
    std::fprintf(stderr, "diff_events: stats: %.3f s, %llu + %llu events\n", seconds,
                 static_cast<unsigned long long>(result.canary_events),
                 static_cast<unsigned long long>(result.ours_events));
  }
  bool gate = o.validate_identical || o.fail_on_divergence;
  return gate && !result.Identical() ? kExitDifferent : kExitSame;
}

}  // namespace

int RunDiffCommand(int argc, char** argv) {
  CLI::App app{"diff_events"};
  DiffCommandLine options;
  DefineOptions(app, options);
  int parsed = ParseCommandLine(app, argc, argv);
  if (parsed >= 0) return parsed;
  return RunGuarded([&] { return Run(options); });
}

}  // namespace de
