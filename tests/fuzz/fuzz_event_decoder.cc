// libFuzzer target: arbitrary bytes as an event log — decompression sniffing, line splitting,
// header and event decoding. Any outcome but a clean decode or an InputError is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "diff_events/decode/event_decoder.h"
#include "diff_events/input_error.h"
#include "diff_events/io/byte_source.h"
#include "diff_events/io/line_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const de::Profile profile = de::DefaultProfile();
  try {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    de::LineReader reader(de::Decompressing(de::MakeMemorySource(std::move(bytes), "fuzz")), 4096);
    de::EventDecoder decoder(profile, "fuzz");
    de::EventBatch batch;
    de::Line line;
    bool header = false;
    while (reader.Next(line)) {
      if (line.text.empty()) continue;
      if (!header) {
        decoder.DecodeHeader(line);
        header = true;
      } else {
        decoder.Decode(line, batch);
      }
    }
  } catch (const de::InputError&) {
  }
  return 0;
}
