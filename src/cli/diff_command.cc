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
#include "diff_events/report/diff_reports.h"
#include "progress_meter.h"
#include "terminal.h"

namespace de {
namespace {

struct DiffCommandLine {
  DiffOptions diff;
  std::string profile_path;
  std::vector<std::string> extra_allocators;
  bool no_canonicalize = false;
  bool no_pointers = false;
  std::string pointer_scope = "thread";
  std::vector<std::string> mask;
  std::string tid_map;
  std::string pair_by = "content";
  std::string canary_window, ours_window;
  std::vector<std::string> outputs = std::vector<std::string>(DiffExporters().size());
  std::string trace_window = "2000";
  bool validate_identical = false;
  bool fail_on_divergence = false;
  bool stats = false;
  uint64_t pending_memory_mb = 32;
  bool fold = false;
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
  app.add_option("--trace-window", o.trace_window,
                 "Events of --trace around each hunk and at each thread's end (all: every event)")
      ->default_val("2000");
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
  app.add_flag("--fold", o.fold,
               "Fold repeated events and cycles (loops) into one item with a repeat count "
               "(the default)");
  app.add_option("--fold-period", o.diff.resync.fold_period, "Longest cycle of events folded")
      ->default_val(8)
      ->check(CLI::Range(1, 64));
  app.add_flag("--no-fold", o.no_fold,
               "Do not fold repeated events and cycles: compare event by event");
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
  app.add_flag("--no-canonicalize-pointers", o.no_pointers,
               "Compare pointer arguments as they are, not by the allocation they point into");
  app.add_option("--pointer-scope", o.pointer_scope,
                 "Allocations a pointer is looked up in: the thread's own, or the engine's")
      ->default_val("thread")
      ->check(CLI::IsMember({"thread", "engine"}));
  app.add_option("--mask", o.mask,
                 "Drop this call (its return and waits too) from both sides before alignment "
                 "(repeatable)");
  app.add_option("--visibility-threshold", o.diff.visibility_threshold,
                 "Warn about a call logged this often on one side and never on the other")
      ->default_val(100)
      ->check(CLI::Range(uint64_t{1}, UINT64_MAX));
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
  app.add_option("--pending-memory", o.pending_memory_mb,
                 "MB of events waiting for the other input kept in memory, all threads together; "
                 "beyond it they go to a temp file in $TMPDIR")
      ->default_val(32)
      ->check(CLI::Range(0, 1 << 20));
  app.add_flag("-q,--quiet", o.terminal.quiet, "No verdict line and no progress on stderr");
  app.add_flag("--stats", o.stats, "Print time and throughput to stderr");
  AddCiOptions(app, o.ci);
  AddTerminalOptions(app, o.terminal, /*with_quiet=*/false);
}

Profile BuildProfile(const DiffCommandLine& o) {
  Profile p = o.profile_path.empty() ? DefaultProfile() : LoadProfile(o.profile_path);
  for (const std::string& name : o.extra_allocators) p.allocators.insert(name);
  if (o.no_canonicalize) p.canonicalize_allocators = false;
  if (o.no_pointers) p.canonicalize_pointers = false;
  p.pointer_scope =
      o.pointer_scope == "engine" ? Profile::PointerScope::kEngine : Profile::PointerScope::kThread;
  for (const std::string& name : o.mask) {
    if (name.empty()) throw UsageError("--mask: a call name cannot be empty");
    p.mask.insert(name);
  }
  return p;
}

// "all" is 0: no window.
uint64_t ParseTraceWindow(const std::string& text) {
  if (text == "all") return 0;
  uint64_t n = 0;
  bool digits = !text.empty() && text.size() <= 12 &&
                text.find_first_not_of("0123456789") == std::string::npos;
  if (digits) n = std::stoull(text);
  if (n == 0) {
    throw UsageError("--trace-window: '" + text +
                     "' is neither a number of events from 1 to 999999999999 nor 'all'");
  }
  return n;
}

// A format that reads the inputs again needs inputs that can be: not stdin, not a pipe.
void CheckRereadable(const DiffCommandLine& o, const Input& canary, const Input& ours) {
  for (size_t i = 0; i < DiffExporters().size(); ++i) {
    if (o.outputs[i].empty() || !DiffExporters()[i].RereadsInputs()) continue;
    for (const Input* in : {&canary, &ours}) {
      if (!in->reopen)
        throw UsageError(std::string(DiffExporters()[i].flag) +
                         " reads the inputs twice: " + (in->path == "-" ? "stdin" : in->path) +
                         " is not a regular file (write it to a file first)");
    }
  }
}

int Run(DiffCommandLine& o) {
  // Usage problems first, before any input is read or the long run starts.
  CheckStdinOnce({o.diff.canary_path, o.diff.ours_path, o.profile_path});
  ExportInputs export_inputs;
  export_inputs.trace_window = ParseTraceWindow(o.trace_window);
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
  o.diff.pending_memory = o.pending_memory_mb << 20;
  if (!o.canary_window.empty())
    o.diff.canary_window = ParseHostWindow(o.canary_window, "--canary-window");
  if (!o.ours_window.empty()) o.diff.ours_window = ParseHostWindow(o.ours_window, "--ours-window");
  bool progress = ApplyTerminalOptions(o.terminal);
  Input canary = OpenDiffInput(o.diff.canary_path);
  Input ours = OpenDiffInput(o.diff.ours_path);
  CheckRereadable(o, canary, ours);
  export_inputs.canary = canary.reopen;
  export_inputs.ours = ours.reopen;

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
  // Each is rendered straight into its temp file, so no report is held whole.
  auto render_start = std::chrono::steady_clock::now();
  std::vector<StreamedOutput> reports;
  for (size_t i = 0; i < DiffExporters().size(); ++i) {
    std::string path = o.outputs[i];
    if (path.empty() && i == 0 && !o.validate_identical) path = "-";
    const DiffExporter& exporter = DiffExporters()[i];
    if (!path.empty()) {
      reports.push_back({path, [&result, &exporter, &export_inputs](TextSink& out) {
                           exporter.Write(result, export_inputs, out);
                         }});
    }
  }
  Tone tone = result.Identical() ? Tone::kGood : Tone::kBad;
  std::string verdict = Paint(Stream::kStdout, tone, Verdict(result)) + "\n";
  if (o.validate_identical)
    reports.push_back({"-", [&verdict](TextSink& out) { out.Write(verdict); }});
  WriteStreamedFilesAtomically(reports);  // the whole set or nothing
  double render_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - render_start).count();
  WriteDiffCiOutputs(o.ci, result);
  if (!o.terminal.quiet) {
    for (const CaptureWarning& w : result.warnings) {
      if (!w.masked) PrintNote("warning: capture visibility: " + CaptureWarningText(w));
    }
  }
  if (!o.validate_identical && !o.terminal.quiet) {
    PrintNote(Paint(Stream::kStderr, tone, Verdict(result)));
  }
  if (o.stats) {
    std::fprintf(stderr, "diff_events: stats: %.3f s, %llu + %llu events\n", seconds,
                 static_cast<unsigned long long>(result.canary_events),
                 static_cast<unsigned long long>(result.ours_events));
    const PendingStats& p = result.pending;
    std::fprintf(stderr,
                 "diff_events: stats: pending events: peak %.1f MB in memory (cap %.1f MB), "
                 "%s\n",
                 p.peak_bytes / 1048576.0, p.cap_bytes / 1048576.0,
                 p.spilled_records == 0
                     ? "nothing spilled"
                     : ("spilled " + std::to_string(p.spilled_records) + " events, " +
                        std::to_string(p.spilled_bytes) + " bytes, to " +
                        std::to_string(p.spill_files) + " temp file(s)")
                           .c_str());
    for (auto [side, split] : {std::pair{"canary", result.canary_split_decode},
                               std::pair{"ours", result.ours_split_decode}}) {
      if (split) std::fprintf(stderr, "diff_events: stats: %s decoded by two threads\n", side);
    }
    // Rendering is quick but for --trace, which reads both inputs again.
    std::fprintf(stderr, "diff_events: stats: reports rendered in %.3f s\n", render_seconds);
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
