// libFuzzer target: fire traces of hook records (seeded with the hook format; see fire_lines.h).
#include "fire_lines.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return FuzzFireLines(data, size);
}
