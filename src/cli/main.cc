// diff_events: differential analysis of two engines' event logs.
#include <signal.h>

#include "commands.h"
#include "diff_events/report/atomic_file.h"
#include "terminal.h"

int main(int argc, char** argv) {
  // A closed pipe (`diff_events ... | head -1`) ends us quietly via EPIPE, not by a signal.
  signal(SIGPIPE, SIG_IGN);
  // Ctrl-C or a CI timeout must not leave a half-written report behind.
  de::InstallTempFileCleanup();
  // Colour is decided before parsing, so that even a usage error is styled as --color asks.
  de::SetColorMode(de::ColorModeFromArgs(argc, argv));
  // One table of commands: the first word picks one, else the default diff runs.
  return de::DispatchCommand(argc, argv);
}
