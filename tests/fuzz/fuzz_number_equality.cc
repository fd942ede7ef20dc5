// Differential libFuzzer target: two number tokens (split at the first newline). Our verdict
// (ParseJsonNumber + CanonicalNumberText, and the hash the decoder compares) must agree with an
// exact decimal comparison written independently here, and tokens must be accepted exactly
// when they follow the JSON grammar.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "diff_events/decode/json_hash.h"

namespace {

bool Digits(const std::string& t, size_t& i) {
  size_t start = i;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
  return i > start;
}

// RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool Grammar(const std::string& t) {
  size_t i = 0;
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') {
    ++i;
  } else if (i >= t.size() || t[i] < '1' || t[i] > '9' || !Digits(t, i)) {
    return false;
  }
  if (i < t.size() && t[i] == '.' && !Digits(t, ++i)) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!Digits(t, i)) return false;
  }
  return i == t.size();
}

// The exact value written out positionally ("-12.5"), or "" when the exponent is too large to
// expand here.
std::string Positional(std::string t) {
  bool negative = t[0] == '-';
  if (negative) t.erase(0, 1);
  long exponent = 0;
  size_t e = t.find_first_of("eE");
  if (e != std::string::npos) {
    std::string ex = t.substr(e + 1);
    t.erase(e);
    bool neg = !ex.empty() && ex[0] == '-';
    if (!ex.empty() && (ex[0] == '-' || ex[0] == '+')) ex.erase(0, 1);
    ex.erase(0, std::min(ex.find_first_not_of('0'), ex.size()));
    if (ex.size() > 4) return "";
    exponent = ex.empty() ? 0 : std::stol(ex);
    if (neg) exponent = -exponent;
  }
  size_t point = t.find('.');
  std::string digits = t;
  long int_len = static_cast<long>(t.size());
  if (point != std::string::npos) {
    digits = t.substr(0, point) + t.substr(point + 1);
    int_len = static_cast<long>(point);
  }
  int_len += exponent;
  if (int_len <= 0) digits.insert(0, static_cast<size_t>(1 - int_len), '0'), int_len = 1;
  if (static_cast<long>(digits.size()) < int_len)
    digits.append(static_cast<size_t>(int_len) - digits.size(), '0');
  std::string ip = digits.substr(0, static_cast<size_t>(int_len));
  std::string fp = digits.substr(static_cast<size_t>(int_len));
  ip.erase(0, std::min(ip.find_first_not_of('0'), ip.size()));
  while (!fp.empty() && fp.back() == '0') fp.pop_back();
  std::string out = (ip.empty() ? "0" : ip) + (fp.empty() ? "" : "." + fp);
  return negative && out != "0" ? "-" + out : out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string input(reinterpret_cast<const char*>(data), size);
  size_t nl = input.find('\n');
  std::string a = input.substr(0, nl);
  std::string b = nl == std::string::npos ? a : input.substr(nl + 1);
  std::string scratch_a, scratch_b;
  de::CanonicalNumber na, nb;
  bool ok_a = de::ParseJsonNumber(a, scratch_a, na);
  bool ok_b = de::ParseJsonNumber(b, scratch_b, nb);
  // Accepted exactly when grammatical (an exponent of 19+ digits is refused on purpose).
  if (ok_a && !Grammar(a)) std::abort();
  if (ok_b && !Grammar(b)) std::abort();
  if (!ok_a || !ok_b) return 0;
  std::string pa = Positional(a), pb = Positional(b);
  bool ours = de::CanonicalNumberText(na) == de::CanonicalNumberText(nb);
  if (de::NumberHash(na) == de::NumberHash(nb) && !ours) std::abort();  // hash collision
  if (!pa.empty() && !pb.empty() && ours != (pa == pb)) std::abort();
  return 0;
}
