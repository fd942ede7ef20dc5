// `diff_events fires`: the (op, lr) fire-histogram diff. Reads options, then runs the pipeline
// in order: side inputs (profile, symbols, baseline) → both traces (two threads) → diff →
// render every report into its temp file, then put the set in place → gate.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ci_outputs.h"
#include "cli_support.h"
#include "commands.h"
#include "diff_events/fires/fire_scanner.h"
#include "diff_events/fires/fires_baseline.h"
#include "diff_events/fires/fires_diff.h"
#include "diff_events/fires/symbol_map.h"
#include "diff_events/input_error.h"
#include "diff_events/report/atomic_file.h"
#include "diff_events/report/fires_reports.h"
#include "progress_meter.h"
#include "terminal.h"

namespace de {
namespace {

struct FiresOptions {
  std::string canary;
  std::vector<std::string> ours;
  std::string out_dir;
  std::string profile;
  std::string symbols;
  std::string baseline;
  std::vector<std::string> fail_on;
  std::optional<double> under_ratio;
  std::optional<uint64_t> under_min_fires;
  size_t top = 30;
  bool strict = false;
  bool stats = false;
  TerminalOptions terminal;  // --color, --progress, -q
  CiOutputs ci;              // --junit, --annotations, $GITHUB_STEP_SUMMARY
};

void AddOptions(CLI::App& app, FiresOptions& o) {
  app.add_option("--canary", o.canary, "reference engine's fire trace (plain, .gz, .zst, -)")
      ->required();
  app.add_option("--ours", o.ours, "our engine's fire trace; repeat to merge several")
      ->required()
      ->take_all();
  app.add_option("--out-dir", o.out_dir,
                 "write report.md, *-tuples.csv, report.json here (default: markdown to stdout)");
  app.add_option("--profile", o.profile, "fires profile (JSON) replacing the built-in rules");
  app.add_option("--symbols", o.symbols, "function list CSV address,name[,size] to label LRs");
  app.add_option("--baseline", o.baseline, "an earlier report.json to compare missing keys with");
  app.add_option("--fail-on", o.fail_on, "exit 1 when a key of this class exists (repeatable)")
      ->check(CLI::IsMember({"missing", "under", "extra", "new-missing"}));
  app.add_option("--under-ratio", o.under_ratio, "under-firing when ours/canary < R (0.5)")
      ->check(RealInRange(0.0, 1.0));
  app.add_option("--under-min-fires", o.under_min_fires,
                 "... and canary fires the key at least N times (10)")
      ->check(WholeNumber(UINT64_MAX));
  app.add_option("--top", o.top, "rows per markdown table (30); the CSV/JSON hold every row")
      ->check(WholeNumber(1000000000));
  app.add_flag("--strict", o.strict, "an invalid or unusable line is an error (exit 2)");
  app.add_flag("--stats", o.stats, "print stage timings and throughput to stderr");
  AddCiOptions(app, o.ci);
  AddTerminalOptions(app, o.terminal);
}

void CheckOptions(const FiresOptions& o) {
  int stdin_inputs = (o.canary == "-");
  for (const std::string& path : o.ours) stdin_inputs += (path == "-");
  stdin_inputs += (o.profile == "-") + (o.symbols == "-") + (o.baseline == "-");
  if (stdin_inputs > 1) throw UsageError("only one input can be \"-\" (stdin)");
  for (const std::string& cls : o.fail_on)
    if (cls == "new-missing" && o.baseline.empty())
      throw UsageError("--fail-on new-missing needs --baseline");
  std::vector<std::string> inputs = o.ours;
  inputs.push_back(o.canary);
  CheckOutputPaths(CiOutputFiles(o.ci), inputs);
  if (o.out_dir.empty()) return;
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir(o.out_dir);
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec))
      throw UsageError("--out-dir " + o.out_dir + " is not a directory");
  } else if (!fs::is_directory(dir.parent_path().empty() ? "." : dir.parent_path(), ec)) {
    throw UsageError("--out-dir " + o.out_dir + ": parent directory does not exist");
  }
}

// Inputs are never touched: refuse an --out-dir whose reports would replace one (typically
// `--baseline out/report.json --out-dir out`). Checked before the long scan, not after.
void CheckInputsNotOverwritten(const FiresOptions& o) {
  if (o.out_dir.empty()) return;
  std::vector<std::string> inputs = o.ours;
  for (const std::string* path : {&o.canary, &o.profile, &o.symbols, &o.baseline})
    if (!path->empty()) inputs.push_back(*path);
  for (const std::string& name : FiresReportFileNames()) {
    std::filesystem::path output = std::filesystem::path(o.out_dir) / name;
    for (const std::string& input : inputs) {
      std::error_code ec;
      if (input != "-" && std::filesystem::equivalent(output, input, ec))
        throw UsageError("--out-dir " + o.out_dir + " would overwrite the input " + input);
    }
  }
}

FiresProfile ChooseProfile(const FiresOptions& o) {
  FiresProfile profile = o.profile.empty() ? DefaultFiresProfile() : LoadFiresProfile(o.profile);
  if (o.under_ratio) profile.thresholds.under_ratio = *o.under_ratio;
  if (o.under_min_fires) profile.thresholds.under_min_canary_fires = *o.under_min_fires;
  return profile;
}

// Each report is rendered straight into its temp file; the set is put in place only once every
// file is complete, so a failure can't leave half a report set. Without --out-dir only the
// markdown is rendered, to stdout.
void WriteReports(const FiresOptions& o, const FiresResult& result) {
  FiresRenderOptions render{o.top};
  const std::vector<FiresReport>& reports = FiresReports();
  auto writer = [&](const FiresReport& report) {
    return [&result, &report, render](TextSink& out) { report.write(result, render, out); };
  };
  if (o.out_dir.empty()) {
    WriteStreamedFilesAtomically({{"-", writer(reports.front())}});  // report.md
    return;
  }
  std::error_code ec;
  std::filesystem::create_directory(o.out_dir, ec);
  if (ec) throw UsageError("cannot create --out-dir " + o.out_dir + ": " + ec.message());
  std::vector<StreamedOutput> set;
  for (const FiresReport& report : reports)
    set.push_back({(std::filesystem::path(o.out_dir) / report.name).string(), writer(report)});
  WriteStreamedFilesAtomically(set);  // the whole set or nothing
}

size_t KeysOfClass(const FiresResult& r, const std::string& cls) {
  if (cls == "missing") return r.missing.size();
  if (cls == "under") return r.under_firing.size();
  if (cls == "extra") return r.extra.size();
  return r.baseline ? r.baseline->newly_missing.size() : 0;  // new-missing
}

// Exit 1 when any --fail-on class is present, naming each one on stderr.
int Gate(const FiresOptions& o, const FiresResult& r) {
  int code = 0;
  for (const std::string& cls : o.fail_on) {
    size_t keys = KeysOfClass(r, cls);
    if (keys == 0) continue;
    std::fprintf(stderr, "diff_events: fires: failing (--fail-on %s): %zu key(s)\n", cls.c_str(),
                 keys);
    code = 1;
  }
  return code;
}

class StageTimer {
 public:
  explicit StageTimer(bool enabled) : enabled_(enabled) {}
  void Done(const char* stage, uint64_t bytes = 0) {
    auto now = std::chrono::steady_clock::now();
    double seconds = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    if (!enabled_) return;
    std::fprintf(stderr, "diff_events: stats: %-8s %8.3f s", stage, seconds);
    if (bytes) std::fprintf(stderr, "  %.0f MB/s", bytes / 1e6 / seconds);
    std::fputc('\n', stderr);
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

uint64_t BytesRead(const BothSides& sides) {
  uint64_t bytes = 0;
  for (const auto* side : {&sides.canary, &sides.ours})
    for (const InputTally& t : side->inputs()) bytes += t.bytes;
  return bytes;
}

// The scan, with a progress line over every input while it runs.
BothSides Scan(const FiresOptions& o, const FiresProfile& profile, bool show_progress) {
  std::deque<ReadProgress> counters;
  std::vector<ReadProgress*> progress;
  counters.emplace_back(o.canary);
  for (const std::string& path : o.ours) counters.emplace_back(path);
  for (ReadProgress& counter : counters) progress.push_back(&counter);
  ProgressMeter meter(show_progress, PollReadProgress({progress.begin(), progress.end()}));
  return ScanBothSides(o.canary, o.ours, profile, o.strict, progress);
}

int RunFires(const FiresOptions& o) {
  bool show_progress = ApplyTerminalOptions(o.terminal);
  CheckOptions(o);
  CheckInputsNotOverwritten(o);
  StageTimer timer(o.stats);
  FiresProfile profile = ChooseProfile(o);
  std::optional<SymbolMap> symbols;
  if (!o.symbols.empty()) symbols = SymbolMap::Load(o.symbols);
  std::optional<BaselineKeys> baseline;
  if (!o.baseline.empty()) baseline = LoadFiresBaseline(o.baseline);
  timer.Done("setup");

  FiresResult result;
  {
    BothSides sides = Scan(o, profile, show_progress);
    timer.Done("scan", BytesRead(sides));

    FiresDiffContext context(profile);
    if (symbols) context.symbols = &*symbols;
    context.symbols_path = o.symbols;
    if (baseline) context.baseline = &*baseline;
    result = DiffFires(std::move(sides.canary), std::move(sides.ours), context);
    timer.Done("diff");
  }  // the histograms go as the result is built: memory peaks once, not twice

  WriteReports(o, result);
  WriteFiresCiOutputs(o.ci, result);
  timer.Done("write");
  if (!o.out_dir.empty() && !o.terminal.quiet) {
    Tone tone = result.headline == Headline::kSameFires ? Tone::kGood : Tone::kBad;
    PrintNote(fmt::format("fires: {} ({} missing, {} under-firing, {} extra)",
                          Paint(Stream::kStderr, tone, HeadlineName(result.headline)),
                          result.missing.size(), result.under_firing.size(), result.extra.size()));
  }
  return Gate(o, result);
}

}  // namespace

int RunFiresCommand(int argc, char** argv) {
  CLI::App app("(op, lr) fire-histogram diff of two engines' fire traces", "diff_events fires");
  FiresOptions options;
  AddOptions(app, options);
  int parsed = ParseCommandLine(app, argc, argv, "fires");
  if (parsed >= 0) return parsed;
  return RunGuarded([&] { return RunFires(options); });
}

}  // namespace de
