// Hex/int parsing, op categorization and record decoding of fire traces.
#include <catch2/catch.hpp>
#include <string>

#include "diff_events/fires/fire_decoder.h"
#include "diff_events/fires/hex.h"
#include "diff_events/fires/op_table.h"

namespace {

// A line as LineReader hands it out: simdjson padding readable past the text.
struct PaddedLine {
  explicit PaddedLine(const std::string& text) : buf(text + std::string(64, '\0')) {
    line.text = std::string_view(buf.data(), text.size());
    line.number = 1;
    line.readable = buf.size();
  }
  std::string buf;
  de::Line line;
};

}  // namespace

TEST_CASE("hex strings of either case, with or without 0x", "[fires][hex]") {
  uint64_t v = 0;
  CHECK(de::ParseHex("0x824ab168", v));
  CHECK(v == 0x824ab168);
  CHECK(de::ParseHex("0X824AB168", v));
  CHECK(v == 0x824ab168);
  CHECK(de::ParseHex("824aB168", v));
  CHECK(v == 0x824ab168);
  CHECK(de::ParseHex("ffffffffffffffff", v));
  CHECK(v == UINT64_MAX);
  CHECK_FALSE(de::ParseHex("", v));
  CHECK_FALSE(de::ParseHex("0x", v));
  CHECK_FALSE(de::ParseHex("0xZZ", v));
  CHECK_FALSE(de::ParseHex("12 ", v));
  CHECK_FALSE(de::ParseHex("1ffffffffffffffff", v));  // 65 bits
}

TEST_CASE("decimal parsing rejects overflow and stray characters", "[fires][hex]") {
  uint64_t v = 0;
  CHECK(de::ParseDecimal("18446744073709551615", v));
  CHECK(v == UINT64_MAX);
  CHECK_FALSE(de::ParseDecimal("18446744073709551616", v));
  CHECK_FALSE(de::ParseDecimal("-1", v));
  CHECK_FALSE(de::ParseDecimal("", v));
}

TEST_CASE("addresses print as 0x%08x", "[fires][hex]") {
  CHECK(de::Hex32(0x104c) == "0x0000104c");
  CHECK(de::Hex32(0x824AB168) == "0x824ab168");
  CHECK(de::Hex32(0x1234567890) == "0x1234567890");
}

TEST_CASE("op categorization: fn rules first, then the record's op", "[fires][op]") {
  de::OpTable ops(de::DefaultFiresProfile());
  auto name = [&](de::OpId id) { return id == de::kNoOp ? std::string("-") : ops.Name(id); };
  CHECK(name(ops.ForHook("NtReleaseSemaphore", "set")) == "release");
  CHECK(name(ops.ForHook("xeKeReleaseSemaphore", "")) == "release");
  CHECK(name(ops.ForHook("my_release_thing", "")) == "release");
  CHECK(name(ops.ForHook("NtSetEvent", "release")) == "set");
  CHECK(name(ops.ForHook("KeSetEvent", "")) == "set");
  // "Release" wins over "Set" when both occur: rules are tried in order.
  CHECK(name(ops.ForHook("SetAndReleaseX", "")) == "release");
  CHECK(name(ops.ForHook("NtPulseEvent", "pulse")) == "pulse");
  CHECK(name(ops.ForHook("", "set")) == "set");
  CHECK(name(ops.ForHook("NtPulseEvent", "")) == "-");
  CHECK(name(ops.ForHook("", "")) == "-");
}

TEST_CASE("op categorization: the pc table", "[fires][op]") {
  de::OpTable ops(de::DefaultFiresProfile());
  CHECK(ops.Name(ops.ForPc(0x8284dddc)) == "set");
  CHECK(ops.Name(ops.ForPc(0x8284e49c)) == "release");
  CHECK(ops.Name(ops.ForPc(0x824aa2f0)) == "set");
  CHECK(ops.Name(ops.ForPc(0x824ab158)) == "release");
  CHECK(ops.ForPc(0x8284e100) == de::kNoOp);
}

TEST_CASE("hook records decode with integers or hex strings", "[fires][decode]") {
  de::OpTable ops(de::DefaultFiresProfile());
  de::FireDecoder decoder(ops);
  de::FireRecord r;
  PaddedLine hook(
      R"({"op":"release","fn":"NtReleaseSemaphore","handle":4176,"count":1,"lr":2185933160,"tid":17,"host_ns":1937223600})");
  REQUIRE(decoder.Decode(hook.line, r) == de::Decoded::kFire);
  CHECK(ops.Name(r.op) == "release");
  CHECK(r.lr == 2185933160u);
  CHECK(r.tid == 17);
  CHECK(r.handle == 4176);
  CHECK(r.has_handle);
  CHECK(r.host_ns == 1937223600u);

  PaddedLine no_fn(R"({"op":"set","lr":"0x82000100","tid":6})");
  REQUIRE(decoder.Decode(no_fn.line, r) == de::Decoded::kFire);
  CHECK(ops.Name(r.op) == "set");
  CHECK(r.lr == 0x82000100);
  CHECK_FALSE(r.has_handle);
  CHECK_FALSE(r.has_host_ns);
}

TEST_CASE("probe records decode through the pc table", "[fires][decode]") {
  de::OpTable ops(de::DefaultFiresProfile());
  de::FireDecoder decoder(ops);
  de::FireRecord r;
  PaddedLine probe(
      R"({"pc":"0x8284E07C","tid":13,"hw":2,"cycle":991,"r3":"0x0000104C","r4":"0x00000001","lr":"0x824AB168"})");
  REQUIRE(decoder.Decode(probe.line, r) == de::Decoded::kFire);
  CHECK(ops.Name(r.op) == "release");
  CHECK(r.lr == 0x824ab168);
  CHECK(r.handle == 0x104c);
  CHECK(r.tid == 13);

  PaddedLine off_table(R"({"pc":"0x8284e100","tid":13,"r3":"0x1","lr":"0x824ab168"})");
  CHECK(decoder.Decode(off_table.line, r) == de::Decoded::kNotFireSite);
  CHECK(r.pc == 0x8284e100);
}

TEST_CASE("bad lines: invalid JSON vs unusable records", "[fires][decode]") {
  de::OpTable ops(de::DefaultFiresProfile());
  de::FireDecoder decoder(ops);
  de::FireRecord r;
  auto decode = [&](const std::string& text) {
    PaddedLine line(text);
    return decoder.Decode(line.line, r);
  };
  CHECK(decode("") == de::Decoded::kBlank);
  CHECK(decode("  \t") == de::Decoded::kBlank);
  CHECK(decode("hook: audit_70 buffer overflow") == de::Decoded::kInvalidJson);
  CHECK(decode(R"({"op":"set","lr":1,"tid")") == de::Decoded::kInvalidJson);
  CHECK(decode(R"({"op":"set",,"lr":1})") == de::Decoded::kInvalidJson);
  CHECK(decode("\x1b[0m{\"op\":\"release\"}") == de::Decoded::kInvalidJson);
  CHECK(decode(R"({"op":"release","handle":4176}{"op":"set"})") == de::Decoded::kInvalidJson);
  CHECK(decoder.problem() == "invalid JSON: Unexpected trailing content in the JSON input.");

  // Fields the tool ignores must still be valid JSON.
  CHECK(decode(R"({"op":"set","lr":1,"tid":1,"count":12x})") == de::Decoded::kInvalidJson);
  CHECK(decode(R"({"op":"set","lr":1,"tid":1,"count":tru})") == de::Decoded::kInvalidJson);
  CHECK(decoder.problem() == "invalid JSON: malformed literal");
  CHECK(decode(R"({"op":"set","lr":1,"tid":1,"x":{"a":}})") == de::Decoded::kInvalidJson);
  CHECK(decode(R"({"op":"set","lr":1,"tid":1,"x":"bad \q"})") == de::Decoded::kInvalidJson);
  CHECK(decode(R"({"op":"set","lr":1,"tid":tru})") == de::Decoded::kInvalidJson);
  CHECK(decode(R"({"op":"set","lr":1,"tid":1,"x":[1,{"a":null,"b":[true,-1.5e3]}]})") ==
        de::Decoded::kFire);
  CHECK(decode(R"({"op":"set","lr":1,"tid":1,"x":)" + std::string(1500, '[') +
               std::string(1500, ']') + "}") == de::Decoded::kInvalidJson);

  CHECK(decode("[1,2]") == de::Decoded::kUnusable);
  CHECK(decoder.problem() == "unusable record: not a JSON object");
  CHECK(decode(R"({"op":"set","tid":1})") == de::Decoded::kUnusable);
  CHECK(decoder.problem() == "unusable record: no \"lr\" field");
  CHECK(decode(R"({"op":"set","lr":1})") == de::Decoded::kUnusable);
  CHECK(decode(R"({"op":"set","lr":-1,"tid":1})") == de::Decoded::kUnusable);
  CHECK(decode(R"({"op":"set","lr":1.5,"tid":1})") == de::Decoded::kUnusable);
  CHECK(decode(R"({"op":"set","lr":"0xZZ","tid":1})") == de::Decoded::kUnusable);
  CHECK(decode(R"({"op":7,"lr":1,"tid":1})") == de::Decoded::kUnusable);
  CHECK(decoder.problem() == "unusable record: field \"op\" is not a string");
  CHECK(decode(R"({"lr":1,"tid":1})") == de::Decoded::kUnusable);
  CHECK(decode(R"({"op":"set","lr":"0x1000000000000","tid":1})") == de::Decoded::kUnusable);
}
