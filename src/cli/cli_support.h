// What every command's front end shares: CLI11 parsing with our exit codes, the error line
// format, and output-path checks done before a long run rather than after it.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace de {

constexpr int kExitSame = 0;
constexpr int kExitDifferent = 1;
constexpr int kExitTrouble = 2;

// Parses argv; returns -1 to go on, else the exit code (0 for --help/--version, 2 for errors,
// CLI11's own 100+ codes mapped to 2). `command` names a subcommand in the error line ("" for the
// default command). An unknown option is reported with the closest known one ("did you mean").
int ParseCommandLine(CLI::App& app, int argc, char** argv, const std::string& command = "");

// What every command shows on the terminal: --color, --progress, -q.
struct TerminalOptions {
  std::string color = "auto";
  bool progress = false;
  bool quiet = false;
};
// Adds --color and --progress, and -q/--quiet unless `with_quiet` is false (a command that
// already has its own); also the footer listing every command with an example.
void AddTerminalOptions(CLI::App& app, TerminalOptions& o, bool with_quiet = true);
// Applies --color (validated) to stdout/stderr; true when progress should be drawn.
bool ApplyTerminalOptions(const TerminalOptions& o);

// Runs `body`, turning InputError/UsageError/other exceptions into "diff_events: error: ..." on
// stderr and exit 2.
int RunGuarded(const std::function<int()>& body);

// Fails early (UsageError) when an output file could not be written (its directory missing, not
// a directory, or read-only while the file is not writable itself), would overwrite one of the
// inputs, or is named by two outputs (`--out x --csv ./x`). Devices may be named twice.
void CheckOutputPaths(const std::vector<std::string>& outputs,
                      const std::vector<std::string>& inputs);

// Option checks CLI11's own Range lets through: a whole number of decimal digits (no sign, so
// -1 does not wrap) no larger than `max`; a real number in [lo, hi] that is not NaN.
CLI::Validator WholeNumber(uint64_t max);
CLI::Validator RealInRange(double lo, double hi);

// Fails (UsageError) when more than one input is "-": they would race for stdin.
void CheckStdinOnce(const std::vector<std::string>& inputs);

}  // namespace de
