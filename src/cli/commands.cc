#include "commands.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstring>

#include "suggest.h"
#include "terminal.h"

#ifndef DIFF_EVENTS_VERSION
#error "DIFF_EVENTS_VERSION must come from CMake (project version)"
#endif

namespace de {

const char* const kVersionText = "diff_events " DIFF_EVENTS_VERSION;

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {"", RunDiffCommand, "compare two event logs thread by thread (the default command)",
       "diff_events --canary canary.jsonl --ours ours.jsonl --out report.md"},
      {"fires", RunFiresCommand, "(op, lr) fire-histogram diff of two engines' fire traces",
       "diff_events fires --canary hooks.jsonl --ours iat.jsonl --out-dir out/"},
      {"validate", RunValidateCommand, "check one event log against schema v1",
       "diff_events validate canary.jsonl.zst"},
      {"timeline", RunTimelineCommand, "one thread's events as CSV",
       "diff_events timeline canary.jsonl --tid 6 --kinds kernel.call,wait.begin > t6.csv"},
      {"stats", RunStatsCommand, "per-thread overview of one event log",
       "diff_events stats canary.jsonl.zst --csv threads.csv"},
  };
  return commands;
}

std::string CommandsHelp() {
  std::string out = "Commands (diff_events COMMAND --help for each):\n";
  for (const Command& c : Commands()) {
    out += fmt::format("  {:<10}{}\n            e.g. {}\n", *c.name ? c.name : "(none)", c.summary,
                       c.example);
  }
  out += "Exit codes: 0 same / valid, 1 different / problems (when gating), 2 trouble.\n";
  return out;
}

int DispatchCommand(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--version") == 0 && argc == 2) {
    std::printf("%s\n", kVersionText);
    return 0;
  }
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> names;
    for (const Command& c : Commands()) {
      if (std::strcmp(argv[1], c.name) == 0) return c.run(argc - 1, argv + 1);
      if (*c.name) names.push_back(c.name);
    }
    std::string guess = ClosestName(argv[1], names);
    std::string hint = guess.empty() ? "" : "; did you mean '" + guess + "'?";
    // `diff_events a.jsonl b.jsonl`: logs are named by option, not by position.
    if (guess.empty() && std::strpbrk(argv[1], "./"))
      hint = "; to compare two logs: diff_events --canary A --ours B";
    PrintError(fmt::format("unknown command '{}'{} (see diff_events --help)", argv[1], hint));
    return 2;
  }
  return Commands().front().run(argc, argv);
}

}  // namespace de
