// The one canonicalization of JSON values. A walker reads a simdjson on-demand value once,
// applies the ignore rules (PathNode) and the value rules, and tells a sink what it sees; the
// decoder's sink hashes (the fingerprint compared), the description's sink keeps the values (to
// say what differs). Both therefore agree on what is equal:
// - object key order does not matter; a null member counts as absent;
// - numbers compare by exact decimal value however they are written (1 == 1.0 == 10e-1,
//   -0 == 0, 1e400 != 10e401), never through a double that could round, saturate or underflow;
// - strings compare by their unescaped text ("\u0041" == "A");
// - fields named by the ignore rules are skipped (but still validated).
#pragma once

#include <simdjson.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstdint>
#include <string>
#include <string_view>

#include "diff_events/canon/field_filter.h"

namespace de {

// Nesting deeper than this is rejected as invalid input.
constexpr int kMaxJsonDepth = 1000;

// A JSON number as its exact decimal value. Integers below 10^18 in magnitude are `small` (the
// fast path, and the form every spelling of them reduces to); any other value is
// (-1)^negative × digits × 10^exponent with `digits` free of leading and trailing zeros.
struct CanonicalNumber {
  bool small = true;
  int64_t value = 0;
  bool negative = false;
  std::string_view digits;  // points into the scratch buffer given to ParseJsonNumber
  int64_t exponent = 0;
};

// Parses an RFC 8259 number token (no surrounding whitespace). False when it is not one, or
// when its exponent has more than 18 digits (a value no engine writes). `scratch` holds the
// digits of a non-small result.
bool ParseJsonNumber(std::string_view token, std::string& scratch, CanonicalNumber& out);
// ParseJsonNumber's fast path, inline for the walk: a plain integer of at most 18 digits. False
// for every other token (which ParseJsonNumber then reads).
inline bool ParseShortJsonInteger(std::string_view t, CanonicalNumber& out) {
  size_t i = !t.empty() && t[0] == '-' ? 1 : 0;
  size_t n = t.size() - i;
  if (n == 0 || n > 18 || (t[i] == '0' && n > 1)) return false;
  int64_t v = 0;
  for (; i < t.size(); ++i) {
    unsigned digit = static_cast<unsigned char>(t[i]) - unsigned{'0'};
    if (digit > 9) return false;
    v = v * 10 + static_cast<int64_t>(digit);
  }
  out = CanonicalNumber{};
  out.value = t[0] == '-' ? -v : v;  // -0 is 0
  return true;
}
// Text that is equal for two numbers exactly when their values are: "-12", "15e-1", "1e400".
std::string CanonicalNumberText(const CanonicalNumber& n);

uint64_t HashBytes(std::string_view bytes);
// Order-dependent combination (arrays, the parts of an event); a bijection in `b` for every `a`,
// so no value of either side can cancel the other.
uint64_t MixHash(uint64_t a, uint64_t b);
// The contribution of one object member; members are summed, so key order does not matter.
uint64_t MemberHash(std::string_view key, uint64_t value_hash);
uint64_t StringValueHash(std::string_view s);
// StringValueHash(s) from HashBytes(s), for a caller that needs both.
uint64_t StringValueHashOfBytes(uint64_t bytes_hash);
uint64_t NumberHash(const CanonicalNumber& n);
// The hash of a JSON number token with this unsigned value (what the walker gives it).
uint64_t UnsignedIntegerHash(uint64_t v);

// Walks a value once and hands a sink what it sees, canonicalized. A Sink provides:
//   using Value, Object, Array;
//   Value Null(); Value Bool(bool); Value String(std::string_view unescaped);
//   Value Number(const CanonicalNumber&, std::string_view token);
//   Object BeginObject(); void Member(Object&, std::string_view key, Value);
//   Value EndObject(Object&);  (and the same for Array with Element)
template <class Sink>
class JsonWalker {
 public:
  explicit JsonWalker(Sink& sink) : sink_(sink) {}

  // Consumes `value`. `rules` is the ignore-rule node for it, or nullptr; `depth` its nesting
  // depth in the document. Throws simdjson_error on invalid JSON.
  typename Sink::Value Walk(simdjson::ondemand::value value, const PathNode* rules, int depth);

 private:
  typename Sink::Value WalkObject(simdjson::ondemand::object object, const PathNode* rules,
                                  int depth);
  typename Sink::Value WalkArray(simdjson::ondemand::array array, int depth);
  typename Sink::Value WalkNumber(simdjson::ondemand::value& value);

  Sink& sink_;
  std::string digits_;
};

// Reads and checks a value without keeping anything (ignored fields are still validated).
void ValidateJsonValue(simdjson::ondemand::value value, int depth);

// A value's raw token without the blanks simdjson counts into it (it runs to the next
// structural character).
inline std::string_view TokenText(simdjson::ondemand::value& value) {
  std::string_view token = value.raw_json_token();
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\r' ||
                            token.back() == '\n')) {
    token.remove_suffix(1);
  }
  return token;
}

// A key's or a string value's text, as written when it holds no escape (nearly always), and only
// then unescaped: unescaping copies every string into simdjson's buffer, and most of the time
// the bytes as written are already the text. Stage 1 has checked the document (UTF-8, control
// characters, closed strings), so the raw bytes are as valid as the unescaped ones. A view as
// written lives as long as the line; an unescaped one until the parser's next document.
inline std::string_view KeyText(simdjson::simdjson_result<simdjson::ondemand::field>& result) {
  if (result.error()) throw simdjson::simdjson_error(result.error());
  simdjson::ondemand::field& field = result.value_unsafe();
  const char* begin = field.key().raw();  // just past the opening quote
  const char* p = begin;
#if defined(__SSE2__)
  // 16 bytes at a time: a key ends in the first chunk, and reading past its closing quote stays
  // within the line's padding (simdjson's, at least 64 bytes).
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  for (;; p += 16) {
    __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    int hits = _mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)));
    if (hits != 0) {
      p += __builtin_ctz(static_cast<unsigned>(hits));
      break;
    }
  }
#else
  while (*p != '"' && *p != '\\') ++p;  // a closing quote follows: stage 1 found it
#endif
  if (*p == '"') return std::string_view(begin, static_cast<size_t>(p - begin));
  return field.unescaped_key();
}
// The same for a value known to be a string; throws when it is not one.
inline std::string_view StringText(simdjson::ondemand::value& value) {
  std::string_view token = TokenText(value);  // the quoted string
  if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
    std::string_view text = token.substr(1, token.size() - 2);
    if (text.find('\\') == std::string_view::npos) return text;
  }
  return value.get_string();
}

// ValidateJsonValue, inline for the common scalars (a plain string, a short integer, true, false,
// null), checked on their text; anything else goes to ValidateJsonValue. Ignored fields are most
// of an event's members, and a full walk of each showed in the profile.
inline void ValidateJsonValueFast(simdjson::ondemand::value value, int depth) {
  std::string_view token = TokenText(value);
  if (!token.empty()) {
    CanonicalNumber n;
    switch (token.front()) {
      case '"':
        if (token.size() >= 2 && token.back() == '"' &&
            token.find('\\') == std::string_view::npos) {
          return;  // stage 1 checked the rest
        }
        break;
      case 't':
        if (token == "true") return;
        break;
      case 'f':
        if (token == "false") return;
        break;
      case 'n':
        if (token == "null") return;
        break;
      default:
        if (ParseShortJsonInteger(token, n)) return;
    }
  }
  ValidateJsonValue(value, depth);
}

// Hashes `value` (consuming it) under `rules` (or nullptr) at nesting `depth`.
uint64_t HashJsonValue(simdjson::ondemand::value value, const PathNode* rules, int depth);

// The same hash, also handing every string value under `value` to `tap`: the thread analyses
// take their handles out of the walk that hashes them.
using StringTap = void (*)(void* context, std::string_view s);
uint64_t HashJsonValueTapped(simdjson::ondemand::value value, const PathNode* rules, int depth,
                             StringTap tap, void* context);

// Pointer canonicalization during the walk: called with every non-negative integer and every
// hex string ("0x...") under the value that lies in [address_low, address_high); returns true
// and sets `hash` when the address stands for an allocation, whose hash then replaces the
// value's in the canonical hash. The range is the caller's pre-filter: most values (sizes,
// flags, statuses) fall outside every block and cost one comparison, no call.
using AddressMap = bool (*)(void* context, uint64_t address, uint64_t& hash);
// A member of the walked object (not nested deeper) to pick out on the way: the first `key`
// found, its value read as ParseAddress reads a token (0 when it is not an integer or hex).
struct WalkCapture {
  std::string_view key;
  bool found = false;
  uint64_t value = 0;
};
struct WalkHooks {
  StringTap tap = nullptr;
  void* tap_context = nullptr;
  AddressMap address_map = nullptr;
  void* map_context = nullptr;
  uint64_t address_low = 0;
  uint64_t address_high = UINT64_MAX;
  WalkCapture* capture = nullptr;
};
// A value's hash as written and with its pointers canonicalized; equal (and `hit` false) when
// no address stood for an allocation.
struct DualHash {
  uint64_t raw = 0;
  uint64_t canon = 0;
  bool hit = false;
};
DualHash HashJsonValueHooked(simdjson::ondemand::value value, const PathNode* rules, int depth,
                             const WalkHooks& hooks);

// ---- implementation of the walker template ----

struct ValidateSink {
  using Value = bool;
  using Object = bool;
  using Array = bool;
  Value Null() { return true; }
  Value Bool(bool) { return true; }
  Value String(std::string_view) { return true; }
  Value Number(const CanonicalNumber&, std::string_view) { return true; }
  Object BeginObject() { return true; }
  void Member(Object&, std::string_view, Value) {}
  Value EndObject(Object&) { return true; }
  Array BeginArray() { return true; }
  void Element(Array&, Value) {}
  Value EndArray(Array&) { return true; }
};

template <class Sink>
typename Sink::Value JsonWalker<Sink>::Walk(simdjson::ondemand::value value, const PathNode* rules,
                                            int depth) {
  namespace od = simdjson::ondemand;
  // Bounded recursion: hostile nesting must end in an error, not a stack overflow (and stay
  // below the on-demand parser's own depth limit of 1024).
  if (depth > kMaxJsonDepth) throw simdjson::simdjson_error(simdjson::DEPTH_ERROR);
  switch (value.type()) {
    case od::json_type::object:
      return WalkObject(value.get_object(), rules, depth);
    case od::json_type::array:
      return WalkArray(value.get_array(), depth);
    case od::json_type::string:
      return sink_.String(StringText(value));
    case od::json_type::number:
      return WalkNumber(value);
    case od::json_type::boolean:
      return sink_.Bool(value.get_bool());
    case od::json_type::null:
      if (!value.is_null()) throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
      return sink_.Null();
  }
  throw simdjson::simdjson_error(simdjson::TAPE_ERROR);
}

template <class Sink>
typename Sink::Value JsonWalker<Sink>::WalkObject(simdjson::ondemand::object object,
                                                  const PathNode* rules, int depth) {
  typename Sink::Object acc = sink_.BeginObject();
  for (auto field : object) {
    std::string_view key = KeyText(field);
    const PathNode* child = rules ? rules->Child(key) : nullptr;
    simdjson::ondemand::value member = field.value();
    if (child && child->ignored) {
      ValidateJsonValueFast(member, depth + 1);
      continue;
    }
    if (member.is_null()) continue;
    sink_.Member(acc, key, Walk(member, child, depth + 1));
  }
  return sink_.EndObject(acc);
}

template <class Sink>
typename Sink::Value JsonWalker<Sink>::WalkArray(simdjson::ondemand::array array, int depth) {
  typename Sink::Array acc = sink_.BeginArray();
  for (auto element : array) sink_.Element(acc, Walk(element.value(), nullptr, depth + 1));
  return sink_.EndArray(acc);
}

template <class Sink>
typename Sink::Value JsonWalker<Sink>::WalkNumber(simdjson::ondemand::value& value) {
  // From the token, not get_number(): simdjson 3.0.1 returns 0 for floating-point literals
  // of 19 or more significant digits, and no double holds every value exactly anyway.
  std::string_view token = TokenText(value);
  CanonicalNumber n;
  if (!ParseShortJsonInteger(token, n) && !ParseJsonNumber(token, digits_, n))
    throw simdjson::simdjson_error(simdjson::NUMBER_ERROR);
  return sink_.Number(n, token);
}

}  // namespace de
