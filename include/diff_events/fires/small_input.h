// Whole-file reads for the small side inputs (profile, symbols, baseline), through OpenInput so
// they may be compressed or "-" too.
#pragma once

#include <string>

namespace de {

struct SmallInput {
  std::string name;  // as errors should name it ("<stdin>" for "-")
  std::string text;
};

SmallInput ReadSmallInput(const std::string& path);

}  // namespace de
