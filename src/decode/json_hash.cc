#include "diff_events/decode/json_hash.h"

// Inlined: the hash runs several times per event, a call through the PLT each time shows.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstring>

#include "diff_events/canon/pointer_identity.h"

namespace de {
namespace {

// Type tags keep e.g. the string "1" and the number 1 apart; they seed the byte hashes.
constexpr uint64_t kTagNull = 0x6e756c6c9e3779b9ULL;
constexpr uint64_t kTagTrue = 0x74727565c2b2ae35ULL;
constexpr uint64_t kTagFalse = 0x66616c73165667b1ULL;
constexpr uint64_t kTagString = 0x5354520000000001ULL;
constexpr uint64_t kTagInt = 0x494e540000000002ULL;
constexpr uint64_t kTagDecimal = 0x4445430000000005ULL;
constexpr uint64_t kTagObject = 0x4f424a0000000006ULL;
constexpr uint64_t kTagArray = 0x4152520000000007ULL;
constexpr uint64_t kTagMember = 0x4d454d0000000008ULL;

constexpr int kSmallDigits = 18;  // 10^18 - 1 fits an int64 with room for the sign

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class TokenScanner {
 public:
  explicit TokenScanner(std::string_view t) : t_(t) {}
  bool Take(char c) {
    if (i_ < t_.size() && t_[i_] == c) return ++i_, true;
    return false;
  }
  bool Peek(char c) const { return i_ < t_.size() && t_[i_] == c; }
  std::string_view Digits() {
    size_t start = i_;
    while (i_ < t_.size() && IsDigit(t_[i_])) ++i_;
    return t_.substr(start, i_ - start);
  }
  bool AtEnd() const { return i_ == t_.size(); }

 private:
  std::string_view t_;
  size_t i_ = 0;
};

}  // namespace

bool ParseJsonNumber(std::string_view token, std::string& scratch, CanonicalNumber& out) {
  if (ParseShortJsonInteger(token, out)) return true;
  TokenScanner s(token);
  bool negative = s.Take('-');
  std::string_view int_part = s.Digits();
  if (int_part.empty() || (int_part[0] == '0' && int_part.size() > 1)) return false;
  std::string_view frac_part;
  if (s.Take('.') && (frac_part = s.Digits()).empty()) return false;
  int64_t exponent = 0;
  if (s.Take('e') || s.Take('E')) {
    bool exp_negative = s.Take('-');
    if (!exp_negative) s.Take('+');
    std::string_view exp_digits = s.Digits();
    if (exp_digits.empty()) return false;
    while (exp_digits.size() > 1 && exp_digits[0] == '0') exp_digits.remove_prefix(1);
    if (exp_digits.size() > kSmallDigits) return false;
    for (char c : exp_digits) exponent = exponent * 10 + (c - '0');
    if (exp_negative) exponent = -exponent;
  }
  if (!s.AtEnd()) return false;

  // value = (int_part frac_part) × 10^(exponent - |frac_part|), then strip the zeros.
  scratch.assign(int_part);
  scratch.append(frac_part);
  exponent -= static_cast<int64_t>(frac_part.size());
  size_t first = scratch.find_first_not_of('0');
  if (first == std::string::npos) {
    out = CanonicalNumber{};  // every zero, -0.0e5 included
    return true;
  }
  size_t last = scratch.find_last_not_of('0');
  exponent += static_cast<int64_t>(scratch.size() - 1 - last);
  std::string_view digits = std::string_view(scratch).substr(first, last - first + 1);
  if (exponent >= 0 && static_cast<int64_t>(digits.size()) + exponent <= kSmallDigits) {
    int64_t v = 0;
    for (char c : digits) v = v * 10 + (c - '0');
    for (int64_t k = 0; k < exponent; ++k) v *= 10;
    out = CanonicalNumber{};
    out.value = negative ? -v : v;
    return true;
  }
  out.small = false;
  out.value = 0;
  out.negative = negative;
  out.digits = digits;
  out.exponent = exponent;
  return true;
}

std::string CanonicalNumberText(const CanonicalNumber& n) {
  if (n.small) return std::to_string(n.value);
  std::string text = n.negative ? "-" : "";
  text.append(n.digits);
  text += 'e';
  text += std::to_string(n.exponent);
  return text;
}

namespace {

// The short-input paths of XXH3, called directly: XXH3_64bits[_withSeed] dispatches on the
// length in a function the compiler does not inline, and most keys, names and handles here are
// at most 16 bytes. The values are XXH3's own (tests/unit/canonical_test.cc checks it).
static_assert(XXH_VERSION_NUMBER >= 800, "xxHash 0.8 (XXH3_len_0to16_64b, XXH3_kSecret)");

uint64_t Xxh3(std::string_view bytes, uint64_t seed) {
  const auto* p = reinterpret_cast<const xxh_u8*>(bytes.data());
  if (bytes.size() <= 16) return XXH3_len_0to16_64b(p, bytes.size(), XXH3_kSecret, seed);
  return seed == 0 ? XXH3_64bits(p, bytes.size()) : XXH3_64bits_withSeed(p, bytes.size(), seed);
}

}  // namespace

uint64_t HashBytes(std::string_view bytes) { return Xxh3(bytes, 0); }

uint64_t MixHash(uint64_t a, uint64_t b) {
  // XXH3 of the 8 bytes of b seeded with a: for 4-8 byte inputs it is a keyed bijection, so
  // (unlike a multiply of (a^K)(b^K'), which is zero when b == K') no b erases a. Written out
  // (XXH3_len_4to8_64b with len 8, then XXH3_rrmxmx) because the compiler keeps rrmxmx a call
  // and this runs for every value; the result is XXH3's (tested).
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "b as XXH3 reads its 8 bytes");
  constexpr uint64_t kSecretBitflip = 0xc73ab174c5ecd5a2ULL;  // readLE64(kSecret+8 ^ kSecret+16)
  constexpr uint64_t kPrime = 0x9FB21C651E98DF25ULL;
  uint64_t seed = a ^ (static_cast<uint64_t>(__builtin_bswap32(static_cast<uint32_t>(a))) << 32);
  uint64_t h = ((b >> 32) + (b << 32)) ^ (kSecretBitflip - seed);  // the two 32-bit reads
  h ^= ((h << 49) | (h >> 15)) ^ ((h << 24) | (h >> 40));
  h *= kPrime;
  h ^= (h >> 35) + sizeof b;
  h *= kPrime;
  return h ^ (h >> 28);
}

uint64_t MemberHash(std::string_view key, uint64_t value_hash) {
  if (key.size() <= 240) return Xxh3(key, value_hash ^ kTagMember);
  return MixHash(value_hash ^ kTagMember, HashBytes(key));
}

uint64_t StringValueHash(std::string_view s) {
  // Unseeded, then mixed: XXH3 with a seed derives a custom secret for inputs over 240 bytes.
  return StringValueHashOfBytes(HashBytes(s));
}

uint64_t StringValueHashOfBytes(uint64_t bytes_hash) { return MixHash(kTagString, bytes_hash); }

uint64_t NumberHash(const CanonicalNumber& n) {
  if (n.small) return MixHash(kTagInt, static_cast<uint64_t>(n.value));
  // sign, exponent, digits: the canonical bytes of a decimal beyond the fast path.
  XXH3_state_t state;
  XXH3_64bits_reset_withSeed(&state, kTagDecimal);
  unsigned char head[9];
  head[0] = n.negative ? 1 : 0;
  std::memcpy(head + 1, &n.exponent, sizeof n.exponent);
  XXH3_64bits_update(&state, head, sizeof head);
  XXH3_64bits_update(&state, n.digits.data(), n.digits.size());
  return XXH3_64bits_digest(&state);
}

uint64_t UnsignedIntegerHash(uint64_t v) {
  char text[24];
  int len = 0;
  do {
    text[len++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  for (int i = 0; i < len / 2; ++i) std::swap(text[i], text[len - 1 - i]);
  std::string scratch;
  CanonicalNumber n;
  ParseJsonNumber(std::string_view(text, static_cast<size_t>(len)), scratch, n);
  return NumberHash(n);
}

namespace {

struct HashSink {
  using Value = uint64_t;
  using Object = uint64_t;
  using Array = uint64_t;
  Value Null() { return kTagNull; }
  Value Bool(bool b) { return b ? kTagTrue : kTagFalse; }
  Value String(std::string_view s) { return StringValueHash(s); }
  Value Number(const CanonicalNumber& n, std::string_view) { return NumberHash(n); }
  Object BeginObject() { return 0; }
  void Member(Object& sum, std::string_view key, Value v) { sum += MemberHash(key, v); }
  Value EndObject(Object& sum) { return MixHash(kTagObject, sum); }
  Array BeginArray() { return kTagArray; }
  void Element(Array& h, Value v) { h = MixHash(h, v); }
  Value EndArray(Array& h) { return h; }
};

// ParseAddress for a hex string's text, inline: the walk meets one in most call arguments.
bool ParseHexAddress(std::string_view s, uint64_t& out) {
  if (s.size() < 3 || s.size() > 18 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
  uint64_t v = 0;
  for (size_t i = 2; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    unsigned d = c - unsigned{'0'};
    if (d > 9) {
      d = (c | 0x20u) - unsigned{'a'};  // 'A'-'F' folded to 'a'-'f'
      if (d > 5) return false;
      d += 10;
    }
    v = v << 4 | d;
  }
  out = v;
  return true;
}

// Two hashes at once: the value as written (`raw`) and with every address that stands for an
// allocation replaced by that allocation (`canon`). While no address was replaced the two are
// equal and computed once.
struct HookedHashSink {
  using Value = DualHash;
  using Object = DualHash;
  using Array = DualHash;
  const WalkHooks* hooks;
  HashSink plain;

  static Value Same(uint64_t h) { return {h, h, false}; }
  bool MayBeBlock(uint64_t address) const {
    return address - hooks->address_low < hooks->address_high - hooks->address_low;
  }
  void Map(uint64_t address, Value& v) const {
    if (MayBeBlock(address) && hooks->address_map(hooks->map_context, address, v.canon))
      v.hit = true;
  }
  // WalkCapture: the nesting (1 inside the walked object) and the last scalar as an integer.
  int depth = 0;
  bool last_parsed = false;
  uint64_t last_value = 0;
  void Nest(int step) {
    depth += step;
    last_parsed = false;
  }

  Value Null() {
    if (hooks->capture) last_parsed = false;
    return Same(plain.Null());
  }
  Value Bool(bool b) {
    if (hooks->capture) last_parsed = false;
    return Same(plain.Bool(b));
  }
  Value String(std::string_view s) {
    if (hooks->tap) hooks->tap(hooks->tap_context, s);
    Value v = Same(plain.String(s));
    uint64_t address = 0;
    if (hooks->address_map && ParseHexAddress(s, address)) Map(address, v);
    if (hooks->capture) last_parsed = ParseAddress(s, last_value);
    return v;
  }
  Value Number(const CanonicalNumber& n, std::string_view token) {
    Value v = Same(plain.Number(n, token));
    if (hooks->address_map && n.small && n.value >= 0) Map(static_cast<uint64_t>(n.value), v);
    if (hooks->capture) last_parsed = ParseAddress(token, last_value);
    return v;
  }
  Object BeginObject() {
    if (hooks->capture) Nest(1);
    return Same(0);
  }
  void Member(Object& sum, std::string_view key, Value v) {
    if (WalkCapture* c = hooks->capture; c && depth == 1 && !c->found && key == c->key) {
      c->found = true;
      c->value = last_parsed ? last_value : 0;
    }
    uint64_t raw = MemberHash(key, v.raw);
    sum.raw += raw;
    sum.canon += v.hit ? MemberHash(key, v.canon) : raw;
    sum.hit |= v.hit;
  }
  Value EndObject(Object& sum) {
    if (hooks->capture) Nest(-1);
    uint64_t raw = MixHash(kTagObject, sum.raw);
    return {raw, sum.hit ? MixHash(kTagObject, sum.canon) : raw, sum.hit};
  }
  Array BeginArray() {
    if (hooks->capture) Nest(1);
    return Same(kTagArray);
  }
  void Element(Array& h, Value v) {
    uint64_t raw = MixHash(h.raw, v.raw);
    h.canon = h.hit || v.hit ? MixHash(h.canon, v.canon) : raw;
    h.raw = raw;
    h.hit |= v.hit;
  }
  Value EndArray(Array& h) {
    if (hooks->capture) Nest(-1);
    return h;
  }
};

}  // namespace

DualHash HashJsonValueHooked(simdjson::ondemand::value value, const PathNode* rules, int depth,
                             const WalkHooks& hooks) {
  HookedHashSink sink;
  sink.hooks = &hooks;
  return JsonWalker<HookedHashSink>(sink).Walk(value, rules, depth);
}

uint64_t HashJsonValueTapped(simdjson::ondemand::value value, const PathNode* rules, int depth,
                             StringTap tap, void* context) {
  WalkHooks hooks;
  hooks.tap = tap;
  hooks.tap_context = context;
  return HashJsonValueHooked(value, rules, depth, hooks).raw;
}

void ValidateJsonValue(simdjson::ondemand::value value, int depth) {
  ValidateSink sink;
  JsonWalker<ValidateSink>(sink).Walk(value, nullptr, depth);
}

uint64_t HashJsonValue(simdjson::ondemand::value value, const PathNode* rules, int depth) {
  HashSink sink;
  return JsonWalker<HashSink>(sink).Walk(value, rules, depth);
}

}  // namespace de
