// libFuzzer target: arbitrary bytes as a fires --baseline report.json. Any outcome but parsed
// keys or an InputError naming the file (no raw library exception) is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "diff_events/fires/fires_baseline.h"
#include "diff_events/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    de::BaselineKeys keys = de::ParseFiresBaseline(text, "baseline.json");
    if (keys.path != "baseline.json") std::abort();
  } catch (const de::InputError& e) {
    if (e.file() != "baseline.json") std::abort();
  }
  return 0;
}
