// The one canonicalization: numbers by exact decimal value, a fingerprint with no zero
// multiplier, and the "what differs" description agreeing with the fingerprint.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "diff_events/align/difference_description.h"
#include "diff_events/canon/allocator_ordinals.h"
#include "diff_events/canon/field_filter.h"
#include "diff_events/canon/profile.h"
#include "diff_events/decode/event_decoder.h"
#include "diff_events/decode/json_hash.h"
#include "diff_events/input_error.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace {

struct OwnedLine {
  OwnedLine(const std::string& text, uint64_t number)
      : storage(std::make_unique<std::string>(text + std::string(de::kLinePadding, '\0'))) {
    line.text = std::string_view(storage->data(), text.size());
    line.number = number;
    line.readable = storage->size();
  }
  std::unique_ptr<std::string> storage;
  de::Line line;
};

de::DecodedEvent DecodeOne(const std::string& text, const de::Profile& profile) {
  de::EventDecoder decoder(profile, "e.jsonl");
  de::EventBatch batch;
  OwnedLine owned(text, 2);
  decoder.Decode(owned.line, batch);
  return batch.events.back();
}

std::string WithPayload(const std::string& payload, const std::string& kind = "k") {
  return R"({"tid":1,"tid_event_idx":0,"kind":")" + kind + R"(","payload":)" + payload + "}";
}

uint64_t PayloadFingerprint(const std::string& payload) {
  return DecodeOne(WithPayload(payload), de::DefaultProfile()).fingerprint;
}

// Exact decimal reference, independent of ParseJsonNumber: the value written out positionally
// ("-123.45"), for literals whose exponent is small enough to expand.
std::string Positional(const std::string& token) {
  std::string t = token;
  bool negative = !t.empty() && t[0] == '-';
  if (negative) t.erase(0, 1);
  long exponent = 0;
  size_t e = t.find_first_of("eE");
  if (e != std::string::npos) {
    exponent = std::stol(t.substr(e + 1));
    t.erase(e);
  }
  size_t point = t.find('.');
  std::string digits = t;
  long int_len = static_cast<long>(t.size());
  if (point != std::string::npos) {
    digits = t.substr(0, point) + t.substr(point + 1);
    int_len = static_cast<long>(point);
  }
  int_len += exponent;
  while (int_len <= 0) digits.insert(0, "0"), ++int_len;
  while (static_cast<long>(digits.size()) < int_len) digits += '0';
  std::string ip = digits.substr(0, static_cast<size_t>(int_len));
  std::string fp = digits.substr(static_cast<size_t>(int_len));
  ip.erase(0, std::min(ip.find_first_not_of('0'), ip.size()));
  while (!fp.empty() && fp.back() == '0') fp.pop_back();
  if (ip.empty()) ip = "0";
  std::string out = ip + (fp.empty() ? "" : "." + fp);
  return (negative && out != "0") ? "-" + out : out;
}

std::string Canonical(const std::string& token) {
  std::string scratch;
  de::CanonicalNumber n;
  REQUIRE(de::ParseJsonNumber(token, scratch, n));
  return de::CanonicalNumberText(n);
}

}  // namespace

TEST_CASE("Numbers compare by exact decimal value however written", "[canon]") {
  struct Case {
    const char* a;
    const char* b;
    bool equal;
  };
  const std::vector<Case> cases = {
      {"3.1415926535897932384", "0.0", false},
      {"1234567890.123456789", "9876543210.987654321", false},
      {"2.000000000000000000", "7.000000000000000000", false},
      {"2.000000000000000000", "2", true},
      {"1000000000000000000.0", "1000000000000000000", true},
      {"1e400", "10e399", true},
      {"1e-400", "1e-401", false},
      {"1e-400", "0.1e-399", true},
      {"-0", "0", true},
      {"-0.0e10", "0", true},
      {"1", "1.0", true},
      {"100", "1e2", true},
      {"100", "1E+2", true},
      {"0.5", "5e-1", true},
      {"123456789012345678901234567890", "123456789012345678901234567891", false},
      {"123456789012345678901234567890", "1.2345678901234567890123456789e29", true},
      {"16646288086500911323", "-1800455987208640293", false},
      {"9300000000000000000", "9.3e18", true},
      {"999999999999999999", "1e18", false},
      {"999999999999999999", "999999999999999999.0", true},
      {"1e18", "1000000000000000000", true},
      {"0.1", "0.10000000000000001", false},
      {"-5", "5", false},
      {"-1.5", "-15e-1", true},
      {"12.3400", "1234e-2", true},
      {"1e0", "1", true},
      {"0e-5", "0.000", true},
  };
  for (const Case& c : cases) {
    INFO(c.a << " vs " << c.b);
    CHECK((Positional(c.a) == Positional(c.b)) == c.equal);  // the table itself is right
    CHECK((Canonical(c.a) == Canonical(c.b)) == c.equal);
    CHECK((PayloadFingerprint(std::string("{\"v\":") + c.a + "}") ==
           PayloadFingerprint(std::string("{\"v\":") + c.b + "}")) == c.equal);
  }
}

TEST_CASE("Number tokens outside the JSON grammar are rejected", "[canon]") {
  std::string scratch;
  de::CanonicalNumber n;
  for (const char* bad : {"", "-", "01", "-01", "1.", ".5", "1e", "1e+", "+1", "1x", "0x10",
                          "1.5.5", "1e1000000000000000000", "--1", "1e5.0"}) {
    INFO(bad);
    CHECK_FALSE(de::ParseJsonNumber(bad, scratch, n));
  }
  CHECK(de::ParseJsonNumber("1e000000000000000000000005", scratch, n));
  CHECK(de::CanonicalNumberText(n) == "100000");
}

TEST_CASE("The fingerprint has no zero multiplier: these numbers all differ", "[canon]") {
  // 0xe7037ed1a0b428db, the same bits as int64 and as a double: the old multiply-based mix
  // mapped all three (and any tag) to 0.
  std::vector<uint64_t> prints;
  for (const char* v :
       {"16646288086500911323", "-1800455987208640293", "-1.6965206470142566e+188", "0", "1"}) {
    prints.push_back(PayloadFingerprint(std::string("{\"v\":") + v + "}"));
  }
  for (size_t i = 0; i < prints.size(); ++i) {
    for (size_t j = i + 1; j < prints.size(); ++j) CHECK(prints[i] != prints[j]);
  }
  CHECK(de::MixHash(1, 0xe7037ed1a0b428dbULL) != de::MixHash(2, 0xe7037ed1a0b428dbULL));
  CHECK(de::UnsignedIntegerHash(16646288086500911323ULL) != de::UnsignedIntegerHash(0));
}

TEST_CASE("The hashes are XXH3's own values at every length (the short paths are inlined)",
          "[canon]") {
  std::string bytes;
  for (size_t len = 0; len <= 300; ++len) {
    INFO("length " << len);
    CHECK(de::HashBytes(bytes) == XXH3_64bits(bytes.data(), bytes.size()));
    for (uint64_t v : {0ULL, 1ULL, 0x4d454d0000000008ULL, 0xe7037ed1a0b428dbULL}) {
      uint64_t seed = v ^ 0x4d454d0000000008ULL;  // MemberHash's tag
      uint64_t expected = len <= 240 ? XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed)
                                     : de::MixHash(seed, XXH3_64bits(bytes.data(), bytes.size()));
      CHECK(de::MemberHash(bytes, v) == expected);
    }
    bytes += static_cast<char>('a' + len * 7 % 26);
  }
  for (uint64_t a : {0ULL, 1ULL, 0xffffffffffffffffULL, 0x123456789abcdef0ULL}) {
    for (uint64_t b : {0ULL, 2ULL, 0xe7037ed1a0b428dbULL}) {
      CHECK(de::MixHash(a, b) == XXH3_64bits_withSeed(&b, sizeof b, a));
    }
  }
}

namespace {

de::EventRef Ref(const std::string& raw, int64_t alloc_ordinal = -1) {
  de::EventRef r;
  r.raw = raw;
  r.alloc_ordinal = alloc_ordinal;
  return r;
}

de::EventDifference Describe(const std::string& a, const std::string& b,
                             const de::Profile& profile = de::DefaultProfile()) {
  return de::DescribeDifference(Ref(a), Ref(b), profile);
}

}  // namespace

TEST_CASE("The description names the field the fingerprint saw", "[canon]") {
  auto d = Describe(WithPayload(R"({"a":123456789012345678901234567890})"),
                    WithPayload(R"({"a":123456789012345678901234567891})"));
  CHECK(d.field == "payload.a");
  CHECK(d.summary ==
        "payload.a: canary=123456789012345678901234567890 ours=123456789012345678901234567891");

  d = Describe(WithPayload(R"({"a":1,"a":1})"), WithPayload(R"({"a":1})"));
  CHECK(d.field == "payload.a");
  CHECK(d.summary == "payload.a: canary=1 and 1 ours=1");

  d = Describe(WithPayload(R"({"x":[1,2,{"y":3.0}]})"), WithPayload(R"({"x":[1,2,{"y":4}]})"));
  CHECK(d.field == "payload.x[2].y");

  d = Describe(WithPayload(R"({"x":[1,2]})"), WithPayload(R"({"x":[1,2,3]})"));
  CHECK(d.summary == "payload.x[2]: canary=<absent> ours=3");

  d = Describe(WithPayload(R"({"a.b":1})"), WithPayload(R"({"a":{"b":1}})"));
  CHECK(d.field == "payload.a\\.b");

  d = Describe(WithPayload(R"({"v":3.1415926535897932384})"), WithPayload(R"({"v":0.0})"));
  CHECK(d.summary == "payload.v: canary=3.1415926535897932384 ours=0.0");

  d = Describe(WithPayload(R"({"v":1.0,"w":"\u0041"})"), WithPayload(R"({"w":"A","v":1})"));
  CHECK(d.field.empty());
}

TEST_CASE("A long differing string is cut at a character boundary", "[canon]") {
  std::string s(118, 'a');
  s += "\xc3\xa9\xc3\xa9";  // é é: the cut lands inside the first
  auto d = Describe(WithPayload("{\"s\":\"" + s + "\"}"), WithPayload(R"({"s":"b"})"));
  CHECK(d.summary.find("canary='" + std::string(118, 'a') + "… (124 bytes)") != std::string::npos);
  CHECK(de::Utf8Prefix("\xc3\xa9", 1).empty());
  CHECK(de::Utf8Prefix("ab", 5) == "ab");
}

TEST_CASE("One differing event with 100 000 payload keys is described", "[canon]") {
  std::string a = "{", b = "{";
  for (int i = 0; i < 100000; ++i) {
    std::string m = "\"k" + std::to_string(i) + "\":" + std::to_string(i);
    a += (i ? "," : "") + m;
    b += (i ? "," : "") + (i == 99999 ? "\"k99999\":0" : m);
  }
  auto d = Describe(WithPayload(a + "}"), WithPayload(b + "}"));
  CHECK(d.summary == "payload.k99999: canary=99999 ours=0");
}

TEST_CASE("The description applies the profile and the allocator sentinel", "[canon]") {
  de::Profile profile = de::DefaultProfile();
  auto ret = [](const std::string& addr, const std::string& status) {
    return WithPayload(R"({"name":"RtlAllocateHeap","return_value":")" + addr + "\"" + status + "}",
                       "kernel.return");
  };
  auto d = de::DescribeDifference(Ref(ret("0x1", R"(,"status":"0x1")"), 3), Ref(ret("0x2", ""), 4),
                                  profile);
  CHECK(d.summary ==
        "payload.return_value: canary='<ALLOC_RtlAllocateHeap_3>' "
        "ours='<ALLOC_RtlAllocateHeap_4>'");
  d = de::DescribeDifference(Ref(ret("0x1", R"(,"status":"0x1")"), 3), Ref(ret("0x2", ""), 3),
                             profile);
  CHECK(d.field.empty());
  d = Describe(R"({"tid":1,"tid_event_idx":0,"kind":"thread.create","payload":{"ctx":1,"e":2}})",
               R"({"tid":1,"tid_event_idx":0,"kind":"thread.create","payload":{"ctx":9,"e":3}})");
  CHECK(d.field == "payload.e");
  d = Describe(WithPayload("{}"), R"({"tid":1,"tid_event_idx":0,"kind":"k","payload":null})");
  CHECK(d.field.empty());
}

TEST_CASE("Fingerprint and description agree on every pair", "[canon]") {
  const std::vector<std::string> payloads = {"{}",
                                             "null",
                                             R"({"a":null})",
                                             R"({"a":1})",
                                             R"({"a":1.0})",
                                             R"({"a":"1"})",
                                             R"({"a":1,"a":1})",
                                             R"({"a":{"x":1},"a":{"y":2}})",
                                             R"({"a":{"x":1,"y":2}})",
                                             R"({"a":[1,2]})",
                                             R"({"a":[2,1]})",
                                             R"({"a":[]})",
                                             R"({"a":{}})",
                                             R"({"a.b":1})",
                                             R"({"a":{"b":1}})",
                                             R"({"a":1e400})",
                                             R"({"a":10e399})",
                                             R"({"a":true})",
                                             R"({"a":false})",
                                             R"({"b":1,"a":1})",
                                             R"({"a":1,"b":1})",
                                             R"([1])",
                                             R"(5)",
                                             R"("s")",
                                             R"({"a":16646288086500911323})",
                                             R"({"a":-1800455987208640293})"};
  de::Profile profile = de::DefaultProfile();
  for (const std::string& a : payloads) {
    for (const std::string& b : payloads) {
      INFO(a << " vs " << b);
      bool same_print = PayloadFingerprint(a) == PayloadFingerprint(b);
      auto d = Describe(WithPayload(a), WithPayload(b));
      CHECK(same_print == d.field.empty());
    }
  }
}

TEST_CASE("An escaped payload key before kind is read as payload", "[canon]") {
  de::Profile profile = de::DefaultProfile();
  auto early =
      DecodeOne(R"({"tid":1,"tid_event_idx":0,"p\u0061yload":{"a":1},"kind":"k"})", profile);
  auto late = DecodeOne(R"({"tid":1,"tid_event_idx":0,"kind":"k","payload":{"a":1}})", profile);
  CHECK(early.fingerprint == late.fingerprint);
}

TEST_CASE("The whole header line is validated", "[canon]") {
  de::Profile profile = de::DefaultProfile();
  for (const char* bad : {R"({"kind":"schema_version","schema_version":1,"x":tru})",
                          R"({"kind":"schema_version","schema_version":1,"x":"\ud800"})",
                          R"({"kind":"schema_version","schema_version":1,"x":[1,}})",
                          R"({"kind":"schema_version","schema_version":1,"x":01})"}) {
    INFO(bad);
    de::EventDecoder decoder(profile, "h.jsonl");
    OwnedLine owned(bad, 1);
    CHECK_THROWS_AS(decoder.DecodeHeader(owned.line), de::InputError);
  }
}

TEST_CASE("Dotted ignore paths escape a dot inside a key", "[canon]") {
  std::vector<std::string> keys;
  std::string error;
  REQUIRE(de::SplitFieldPath("args_resolved\\.ctx", keys, error));
  CHECK(keys == std::vector<std::string>{"args_resolved.ctx"});
  REQUIRE(de::SplitFieldPath("a.b\\\\c", keys, error));
  CHECK(keys == std::vector<std::string>{"a", "b\\c"});
  CHECK_FALSE(de::SplitFieldPath("a..b", keys, error));
  CHECK_FALSE(de::SplitFieldPath("a\\x", keys, error));
  CHECK_FALSE(de::SplitFieldPath("a\\", keys, error));

  de::Profile profile = de::DefaultProfile();
  profile.ignored_payload_paths["k"] = {"args_resolved\\.ctx"};
  auto a = DecodeOne(WithPayload(R"({"args_resolved.ctx":1,"args_resolved":{"ctx":5}})"), profile);
  auto b = DecodeOne(WithPayload(R"({"args_resolved.ctx":2,"args_resolved":{"ctx":5}})"), profile);
  auto c = DecodeOne(WithPayload(R"({"args_resolved.ctx":2,"args_resolved":{"ctx":6}})"), profile);
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(b.fingerprint != c.fingerprint);
  auto d = de::DescribeDifference(Ref(WithPayload(R"({"args_resolved.ctx":1,"x.y":1})")),
                                  Ref(WithPayload(R"({"args_resolved.ctx":2,"x.y":2})")), profile);
  CHECK(d.field == "payload.x\\.y");
}

namespace {
std::string ProfileError(const std::string& text) {
  char name[] = "/tmp/de_profile_XXXXXX";
  int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  close(fd);
  std::string what = "<no error>";
  try {
    de::LoadProfile(name);
  } catch (const de::InputError& e) {
    what = e.what();
    what.replace(0, std::string(name).size(), "P");
  }
  unlink(name);
  return what;
}
}  // namespace

TEST_CASE("A profile cannot ignore kind or payload, nor give a malformed path", "[canon]") {
  CHECK_THAT(ProfileError(R"({"ignored_fields":["kind"]})"),
             Catch::StartsWith("P: profile field 'ignored_fields': 'kind' cannot be ignored"));
  CHECK_THAT(ProfileError(R"({"ignored_fields":["engine","payload"]})"),
             Catch::StartsWith("P: profile field 'ignored_fields': 'payload' cannot be ignored"));
  CHECK(ProfileError(R"({"ignored_payload_fields":{"k":["a..b"]}})") ==
        "P: profile field 'ignored_payload_fields.k': path 'a..b': empty key (two dots, or a dot "
        "at an end)");
  CHECK(ProfileError(R"({"ignored_payload_fields":{"k":["a\\.b"]}})") == "<no error>");
  CHECK_THROWS_AS(de::LoadProfile("/tmp"), de::InputError);
}

TEST_CASE("A profile with a number out of range is an InputError, not a crash", "[canon]") {
  // The JSON library reports it as out_of_range, not as a parse error (found by the fuzzer).
  CHECK_THAT(ProfileError(R"({"name":"x","allocators":7e02224})"),
             Catch::StartsWith("P: invalid JSON in profile: "));
  CHECK_THAT(ProfileError(R"({"ignored_fields":[1e999]})"),
             Catch::StartsWith("P: invalid JSON in profile: "));
}

TEST_CASE("Allocator names are looked up in a set", "[canon]") {
  de::Profile profile = de::DefaultProfile();
  for (int i = 0; i < 10000; ++i) profile.allocators.insert("Alloc" + std::to_string(i));
  de::AllocatorOrdinals ordinals(profile);
  CHECK(ordinals.AllocatorIndex("Alloc9999") >= 0);
  CHECK(ordinals.name(ordinals.AllocatorIndex("Alloc42")) == "Alloc42");
  CHECK(ordinals.AllocatorIndex("NotAnAllocator") == -1);
}
