// diff_events: differential analysis of two engines' event logs.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "commands.h"
#include "diff_events/decode/side_decoder.h"
#include "diff_events/report/atomic_file.h"

int main(int argc, char** argv) {
  // A closed pipe (`diff_events ... | head -1`) ends us quietly via EPIPE, not by a signal.
  signal(SIGPIPE, SIG_IGN);
  // Ctrl-C or a CI timeout must not leave a half-written report behind.
  de::InstallTempFileCleanup();
  if (argc > 1 && std::strcmp(argv[1], "fires") == 0)
    return de::RunFiresCommand(argc - 1, argv + 1);
  return de::RunDiffCommand(argc, argv);
}
