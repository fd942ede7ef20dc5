// Shared body of the fires fuzz targets: arbitrary bytes as a fire trace, through decompression
// sniffing, line splitting and the fire-record decoder (both record shapes: the shape is decided
// per line, so each target differs only in the seed corpus that steers it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "diff_events/fires/fire_decoder.h"
#include "diff_events/fires/fires_profile.h"
#include "diff_events/fires/op_table.h"
#include "diff_events/input_error.h"
#include "diff_events/io/byte_source.h"
#include "diff_events/io/line_reader.h"

inline int FuzzFireLines(const uint8_t* data, size_t size) {
  static const de::FiresProfile profile = de::DefaultFiresProfile();
  try {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    de::LineReader reader(de::Decompressing(de::MakeMemorySource(std::move(bytes), "fuzz")), 4096);
    de::OpTable ops(profile);
    de::FireDecoder decoder(ops);
    de::FireRecord record;
    de::Line line;
    while (reader.Next(line)) decoder.Decode(line, record);
  } catch (const de::InputError&) {
  }
  return 0;
}
