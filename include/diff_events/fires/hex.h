// Numbers as fire traces spell them: hex strings of either case, with or without "0x"; and the
// one way reports print addresses and handles (0x%08x).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace de {

// Parses 1..16 hex digits, optionally prefixed by "0x"/"0X". False on anything else (empty,
// stray characters, more than 64 bits).
bool ParseHex(std::string_view text, uint64_t& value);

// Parses 1..20 decimal digits into a uint64; false on anything else or overflow.
bool ParseDecimal(std::string_view text, uint64_t& value);

// "0x%08x": at least eight lower-case digits, more when the value needs them.
std::string Hex32(uint64_t value);

}  // namespace de
