#include "diff_events/decode/json_hash.h"

// Inlined: the hash runs several times per event, a call through the PLT each time shows.
#define XXH_INLINE_ALL
#include <fmt/format.h>
#include <xxhash.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace de {
namespace {

// Type tags keep e.g. the string "1" and the number 1 apart.
constexpr uint64_t kTagNull = 0x6e756c6cULL;
constexpr uint64_t kTagTrue = 0x74727565ULL;
constexpr uint64_t kTagFalse = 0x66616c73ULL;
constexpr uint64_t kTagString = 0x5354520000000001ULL;
constexpr uint64_t kTagInt = 0x494e540000000002ULL;
constexpr uint64_t kTagNegInt = 0x4e45470000000003ULL;
constexpr uint64_t kTagDouble = 0x44424c0000000004ULL;
constexpr uint64_t kTagBigNumber = 0x4249470000000005ULL;
constexpr uint64_t kTagObject = 0x4f424a0000000006ULL;
constexpr uint64_t kTagArray = 0x4152520000000007ULL;

uint64_t HashDouble(double d) {
  // Integral doubles hash like the integer they equal, so 1.0 matches 1 (and 9.3e18 matches
  // 9300000000000000000): the whole int64 and uint64 ranges.
  if (std::isfinite(d) && d == std::floor(d) && d >= -9223372036854775808.0 &&
      d < 18446744073709551616.0) {
    if (d < 0) {
      auto i = static_cast<int64_t>(d);
      return MixHash(kTagNegInt, static_cast<uint64_t>(i));
    }
    return MixHash(kTagInt, static_cast<uint64_t>(d));
  }
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return MixHash(kTagDouble, bits);
}

// RFC 8259 number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view t) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > start;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < t.size() && t[i] == '.' && (++i, !digits())) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

uint64_t HashNumber(simdjson::ondemand::value& value) {
  simdjson::ondemand::number number;
  if (value.get_number().get(number) != simdjson::SUCCESS) {
    // simdjson says NUMBER_ERROR both for malformed numbers and for valid ones it cannot hold
    // (beyond 64 bits, beyond double range): those are compared by their literal text.
    std::string_view token = value.raw_json_token();
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\r' ||
                              token.back() == '\n')) {
      token.remove_suffix(1);
    }
    if (!IsJsonNumber(token)) throw simdjson::simdjson_error(simdjson::NUMBER_ERROR);
    // A value a double holds exactly compares as that double (100000000000000000000 matches
    // 1e20); anything else compares by its text, so two long integers that differ in their
    // last digit stay different.
    std::string text(token);
    double d = std::strtod(text.c_str(), nullptr);
    bool integer_literal = text.find_first_of(".eE") == std::string::npos;
    if (std::isfinite(d) && (!integer_literal || fmt::format("{:.0f}", d) == text))
      return HashDouble(d);
    for (char& c : text) c = c == 'E' ? 'e' : c;  // 1E400 is 1e400
    return MixHash(kTagBigNumber, HashBytes(text));
  }
  switch (number.get_number_type()) {
    case simdjson::ondemand::number_type::signed_integer: {
      int64_t i = number.get_int64();
      return i < 0 ? MixHash(kTagNegInt, static_cast<uint64_t>(i))
                   : MixHash(kTagInt, static_cast<uint64_t>(i));
    }
    case simdjson::ondemand::number_type::unsigned_integer:
      return MixHash(kTagInt, number.get_uint64());
    default:
      return HashDouble(number.get_double());
  }
}

uint64_t HashObject(simdjson::ondemand::object object, const PathNode* rules, int depth) {
  uint64_t sum = 0;
  for (auto field : object) {
    std::string_view key = field.unescaped_key();
    const PathNode* child = rules ? rules->Child(key) : nullptr;
    simdjson::ondemand::value member = field.value();
    if (child && child->ignored) {
      HashJsonValue(member, nullptr,
                    depth + 1);  // not compared, but still validated: on-demand checks
      continue;                  // only what it visits
    }
    if (member.is_null()) continue;
    sum += MemberHash(key, HashJsonValue(member, child, depth + 1));
  }
  return MixHash(kTagObject, sum);
}

uint64_t HashArray(simdjson::ondemand::array array, int depth) {
  uint64_t h = kTagArray;
  for (auto element : array) h = MixHash(h, HashJsonValue(element.value(), nullptr, depth + 1));
  return h;
}

}  // namespace

uint64_t HashBytes(std::string_view bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

uint64_t MixHash(uint64_t a, uint64_t b) {
  // One 64x64->128 multiply folded (the "mum" mix wyhash uses): runs several times per event,
  // and mixes well enough that sums of member hashes stay collision-resistant.
  __uint128_t product = static_cast<__uint128_t>(a ^ 0xa0761d6478bd642fULL) *
                        static_cast<__uint128_t>(b ^ 0xe7037ed1a0b428dbULL);
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

uint64_t MemberHash(std::string_view key, uint64_t value_hash) {
  return MixHash(HashBytes(key), value_hash);
}

uint64_t StringValueHash(std::string_view s) { return MixHash(kTagString, HashBytes(s)); }

uint64_t HashJsonValue(simdjson::ondemand::value value, const PathNode* rules, int depth) {
  // Bounded recursion: hostile nesting must end in an error, not a stack overflow (and stay
  // below the on-demand parser's own depth limit of 1024).
  if (depth > kMaxJsonDepth) throw simdjson::simdjson_error(simdjson::DEPTH_ERROR);
  switch (value.type()) {
    case simdjson::ondemand::json_type::object:
      return HashObject(value.get_object(), rules, depth);
    case simdjson::ondemand::json_type::array:
      return HashArray(value.get_array(), depth);
    case simdjson::ondemand::json_type::string:
      return StringValueHash(value.get_string());
    case simdjson::ondemand::json_type::number:
      return HashNumber(value);
    case simdjson::ondemand::json_type::boolean:
      return value.get_bool() ? kTagTrue : kTagFalse;
    case simdjson::ondemand::json_type::null:
      if (!value.is_null()) throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
      return kTagNull;
  }
  return kTagNull;
}

}  // namespace de
