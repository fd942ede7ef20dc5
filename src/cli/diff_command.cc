// `diff_events --canary A --ours B`: the main job, from options to reports and exit code.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "ci_outputs.h"
#include "cli_support.h"
#include "commands.h"
#include "diff_events/align/diff_session.h"
#include "diff_events/canon/profile.h"
#include "diff_events/decode/side_decoder.h"
#include "diff_events/input_error.h"
#include "diff_events/io/read_progress.h"
#include "diff_events/report/atomic_file.h"
#include "diff_events/report/diff_exporters.h"
#include "progress_meter.h"
#include "terminal.h"

namespace de {
namespace {

struct DiffCommandLine {
  DiffOptions diff;
  std::string profile_path;
  std::vector<std::string> extra_allocators;
  bool no_canonicalize = false;
  std::string tid_map;
  std::string pair_by = "content";
  std::string canary_window, ours_window;
  std::vector<std::string> outputs = std::vector<std::string>(DiffExporters().size());
  bool validate_identical = false;
  bool fail_on_divergence = false;
  bool stats = false;
  bool no_fold = false;
  TerminalOptions terminal;  // --color, --progress, -q
  CiOutputs ci;              // --junit, --annotations, $GITHUB_STEP_SUMMARY
};

void DefineOptions(CLI::App& app, DiffCommandLine& o) {
  app.description(
      "Compare two engines' JSONL event logs thread by thread and report where each thread pair "
      "first diverges.");
  app.add_option("--canary", o.diff.canary_path,
                 "Reference engine's log (plain, .zst, .gz; - for stdin)")
      ->required();
  app.add_option("--ours", o.diff.ours_path, "Our engine's log (plain, .zst, .gz; - for stdin)")
      ->required();
  for (size_t i = 0; i < DiffExporters().size(); ++i) {
    app.add_option(DiffExporters()[i].flag, o.outputs[i], DiffExporters()[i].help);
  }
  app.add_option("--context", o.diff.context, "Matching events shown before a divergence")
      ->default_val(5)
      ->check(WholeNumber(1000));
  app.add_option("--max-hunks", o.diff.resync.max_hunks,
                 "Differing stretches reported per pair (1: the first divergence only)")
      ->default_val(10)
      ->check(CLI::Range(1, 1000000));
  app.add_option("--resync-window", o.diff.resync.window,
                 "Events per side within which the streams must line up again")
      ->default_val(4096)
      ->check(CLI::Range(16, 1 << 20));
  app.add_option("--hunk-lines", o.diff.resync.hunk_lines, "Events shown per side and hunk")
      ->default_val(20)
      ->check(CLI::Range(0, 100000));
  app.add_option("--fold-period", o.diff.resync.fold_period,
                 "Longest cycle of events folded into one item with a repeat count")
      ->default_val(8)
      ->check(CLI::Range(1, 64));
  app.add_flag("--no-fold", o.no_fold, "Do not fold repeated events and cycles (loops)");
  app.add_option("--reorder-gap", o.diff.resync.reorder_gap,
                 "Matched events between hunks that may join one reordered hunk")
      ->default_val(8)
      ->check(CLI::Range(0, 1024));
  app.add_option("--reorder-window", o.diff.resync.reorder_window,
                 "Class a hunk reordered when each of its events differs only by position, at most "
                 "N away on the other side (0: off)")
      ->default_val(0)
      ->check(CLI::Range(0, 1024));
  app.add_flag("--ignore-reordered", o.diff.resync.ignore_reordered,
               "With a gate, a pair whose hunks are all reordered counts as matched");
  app.add_option("--canary-window", o.canary_window,
                 "Host-time window for canary's lifetimes and call counts, e.g. 1.9s..2.1s");
  app.add_option("--ours-window", o.ours_window, "The same for ours");
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
  app.add_option("--pair-by", o.pair_by,
                 "How threads no --tid-map or lineage pairs are paired: content (their first "
                 "events) or first-call (ascending tid within a first-call name)")
      ->default_val("content")
      ->check(CLI::IsMember({"content", "first-call"}));
  app.add_option("--pairing-prefix", o.diff.pairing_prefix,
                 "Leading events of each thread that content pairing compares")
      ->default_val(256)
      ->check(CLI::Range(1, 1 << 20));
  app.add_option("--pairing-window", o.diff.pairing_window,
                 "Events per input between mid-stream pairing rounds")
      ->default_val(10000)
      ->check(WholeNumber(UINT64_MAX));
  app.add_flag("-q,--quiet", o.terminal.quiet, "No verdict line and no progress on stderr");
  app.add_flag("--stats", o.stats, "Print time and throughput to stderr");
  AddCiOptions(app, o.ci);
  AddTerminalOptions(app, o.terminal, /*with_quiet=*/false);
}

Profile BuildProfile(const DiffCommandLine& o) {
  Profile p = o.profile_path.empty() ? DefaultProfile() : LoadProfile(o.profile_path);
  for (const std::string& name : o.extra_allocators) p.allocators.insert(name);
  if (o.no_canonicalize) p.canonicalize_allocators = false;
  return p;
}

int Run(DiffCommandLine& o) {
  // Usage problems first, before any input is read or the long run starts.
  CheckStdinOnce({o.diff.canary_path, o.diff.ours_path, o.profile_path});
  std::vector<std::string> outputs = o.outputs;
  for (const std::string& file : CiOutputFiles(o.ci)) outputs.push_back(file);
  CheckOutputPaths(outputs, {o.diff.canary_path, o.diff.ours_path});
  if (o.no_fold) o.diff.resync.fold_period = 0;
  size_t reorder_reach = std::max(o.diff.resync.reorder_gap, o.diff.resync.reorder_window);
  if (reorder_reach >= o.diff.resync.window) {
    throw UsageError("--reorder-gap and --reorder-window must be below --resync-window (" +
                     std::to_string(o.diff.resync.window) + ")");
  }
  o.diff.profile = BuildProfile(o);
  if (!o.tid_map.empty()) o.diff.tid_map = ParseTidMap(o.tid_map);
  o.diff.pair_by = *ParsePairBy(o.pair_by);
  if (!o.canary_window.empty())
    o.diff.canary_window = ParseHostWindow(o.canary_window, "--canary-window");
  if (!o.ours_window.empty()) o.diff.ours_window = ParseHostWindow(o.ours_window, "--ours-window");
  bool progress = ApplyTerminalOptions(o.terminal);
  Input canary = OpenDiffInput(o.diff.canary_path);
  Input ours = OpenDiffInput(o.diff.ours_path);

  auto start = std::chrono::steady_clock::now();
  // read → decode → canonicalize → pair → align, both inputs concurrently.
  DiffResult result;
  {
    ProgressMeter meter(progress, PollReadProgress({canary.progress.get(), ours.progress.get()}));
    result = RunDiff(std::move(canary), std::move(ours), o.diff);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // report: every requested format renders the same result; files appear whole or not at all.
  // Without --out the markdown goes to stdout, except in the smoke test (a verdict line only).
  std::vector<OutputFile> reports;
  for (size_t i = 0; i < DiffExporters().size(); ++i) {
    std::string path = o.outputs[i];
    if (path.empty() && i == 0 && !o.validate_identical) path = "-";
    if (!path.empty()) reports.push_back({path, DiffExporters()[i].render(result)});
  }
  Tone tone = result.Identical() ? Tone::kGood : Tone::kBad;
  if (o.validate_identical) {
    reports.push_back({"-", Paint(Stream::kStdout, tone, Verdict(result)) + "\n"});
  }
  WriteFilesAtomically(reports);  // the whole set or nothing
  WriteDiffCiOutputs(o.ci, result);
  if (!o.validate_identical && !o.terminal.quiet) {
    PrintNote(Paint(Stream::kStderr, tone, Verdict(result)));
  }
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
  int code = RunGuarded([&] { return Run(options); });
  // A decoder thread let go while blocked in a read (a silent pipe) still runs: end here,
  // without static destructors pulling its state away under it.
  if (SideDecoder::AnyDetached()) {
    std::fflush(nullptr);
    _exit(code);
  }
  return code;
}

}  // namespace de
