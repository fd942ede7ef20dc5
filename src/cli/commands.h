// The tool's commands, in one table; main() only dispatches through it.
#pragma once

#include <string>
#include <vector>

namespace de {

// "diff_events 0.1.0" (the project version from CMake).
extern const char* const kVersionText;

struct Command {
  const char* name;                   // "" for the default command (no subcommand word)
  int (*run)(int argc, char** argv);  // argv[0] is the command's name (or the program's)
  const char* summary;                // one line for --help
  const char* example;                // one command line for --help
};

// Every command, the default one first.
const std::vector<Command>& Commands();

// "Commands:" followed by each command's summary and example: the footer of every --help.
std::string CommandsHelp();

// Picks the command from argv[1] (the default one when argv[1] is an option), handles a bare
// --version, and says "did you mean" for an unknown command word.
int DispatchCommand(int argc, char** argv);

// `diff_events --canary A --ours B ...`: first divergence per thread pair (diff_command.cc).
int RunDiffCommand(int argc, char** argv);
// `diff_events fires --canary A --ours B ...`: (op, lr) fire-histogram diff (fires_command.cc).
int RunFiresCommand(int argc, char** argv);
// `diff_events validate LOG`: schema v1 checks, every problem with its line (validate_command.cc).
int RunValidateCommand(int argc, char** argv);
// `diff_events timeline LOG --tid N`: one thread's events as CSV (timeline_command.cc).
int RunTimelineCommand(int argc, char** argv);
// `diff_events stats LOG`: per-thread overview of one log (stats_command.cc).
int RunStatsCommand(int argc, char** argv);

}  // namespace de
