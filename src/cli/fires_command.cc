// Placeholder until the fires subcommand lands (issue 3).
#include <cstdio>

#include "commands.h"
#include "diff_events/fires/fire_scanner.h"

namespace de {

int RunFiresCommand(int argc, char** argv) {
  std::vector<std::string> ours;
  for (int i = 2; i < argc; ++i) ours.push_back(argv[i]);
  auto sides = ScanBothSides(argv[1], ours, DefaultFiresProfile(), false);
  for (auto* h : {&sides.canary, &sides.ours}) {
    for (auto& t : h->inputs()) {
      std::printf("%s lines=%lu fires=%lu blank=%lu offtable=%lu invalid=%lu unusable=%lu\n",
                  t.name.c_str(), t.lines, t.fires, t.blank, t.not_fire_site, t.invalid_json,
                  t.unusable);
      for (auto& s : t.first_invalid) std::printf("  inv %lu %s\n", s.line, s.why.c_str());
      for (auto& s : t.first_unusable) std::printf("  unu %lu %s\n", s.line, s.why.c_str());
    }
    std::printf("keys=%zu\n", h->keys().size());
  }
  return 0;
}

}  // namespace de
