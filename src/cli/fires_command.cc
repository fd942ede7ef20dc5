// Placeholder until the fires subcommand lands (issue 3).
#include <cstdio>

#include "commands.h"

namespace de {

int RunFiresCommand(int, char**) {
  std::fprintf(stderr, "diff_events: error: the fires command is not built yet\n");
  return 2;
}

}  // namespace de
