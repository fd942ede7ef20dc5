// Placeholder until the diff command lands (issue 2).
#include <cstdio>

#include "commands.h"

namespace de {

int RunDiffCommand(int, char**) {
  std::fprintf(stderr, "diff_events: error: the diff command is not built yet\n");
  return 2;
}

}  // namespace de
