// libFuzzer target: fire traces of probe records (seeded with the probe format; see fire_lines.h).
#include "fire_lines.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return FuzzFireLines(data, size);
}
