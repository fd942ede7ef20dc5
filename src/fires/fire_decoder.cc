#include "diff_events/fires/fire_decoder.h"

#include <string_view>
#include <utility>

#include "diff_events/fires/hex.h"

namespace de {
namespace {

using simdjson::error_code;
namespace od = simdjson::ondemand;

enum FieldBit : uint32_t {
  kNone = 0,
  kLr = 1,
  kTid = 2,
  kHandle = 4,
  kHostNs = 8,
  kPc = 16,
  kR3 = 32,
  kFn = 64,
  kOp = 128,
};

// The fields a fire record may use, as read from one line (views into the parser's buffers).
struct RawFields {
  uint32_t seen = 0;
  uint64_t lr = 0, tid = 0, handle = 0, host_ns = 0, pc = 0, r3 = 0;
  std::string_view fn, op;
};

// Reading a field: fine, valid JSON of the wrong type/shape, or broken JSON.
struct FieldStatus {
  error_code json_error = simdjson::SUCCESS;
  bool wrong_type = false;
};

bool IsTypeError(error_code e) {
  return e == simdjson::INCORRECT_TYPE || e == simdjson::NUMBER_OUT_OF_RANGE;
}

FieldStatus FromError(error_code e) {
  if (e == simdjson::SUCCESS) return {};
  if (IsTypeError(e)) return {simdjson::SUCCESS, true};
  return {e, false};
}

// On-demand parsing only checks what it reads: a value we don't use ("count":12x, "hw":tru)
// must still be read through to know the line is JSON.
constexpr int kMaxDepth = 1000;

error_code ValidateValue(od::value value, int depth) {
  if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
  od::json_type type;
  if (error_code e = value.type().get(type)) return e;
  switch (type) {
    case od::json_type::number:
      return value.get_number().error();
    case od::json_type::string:
      return value.get_string().error();
    case od::json_type::boolean:
      return value.get_bool().error();
    case od::json_type::null: {
      bool is_null = false;
      if (error_code e = value.is_null().get(is_null)) return e;
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
    case od::json_type::array: {
      od::array array;
      if (error_code e = value.get_array().get(array)) return e;
      for (auto element : array) {
        od::value v;
        if (error_code e = std::move(element).get(v)) return e;
        if (error_code e = ValidateValue(v, depth + 1)) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::object: {
      od::object object;
      if (error_code e = value.get_object().get(object)) return e;
      for (auto field : object) {
        od::field f;
        if (error_code e = std::move(field).get(f)) return e;
        if (error_code e = f.unescaped_key().error()) return e;
        if (error_code e = ValidateValue(f.value(), depth + 1)) return e;
      }
      return simdjson::SUCCESS;
    }
  }
  return simdjson::TAPE_ERROR;
}

// Any other JSON value is the wrong type, but broken JSON is broken JSON.
FieldStatus WrongTypeUnlessInvalid(od::value value) {
  if (error_code e = ValidateValue(value, 1)) return {e, false};
  return {simdjson::SUCCESS, true};
}

// An unsigned JSON integer, or a hex string ("0x1A2b", "1a2b").
FieldStatus ReadUnsigned(od::value value, uint64_t& out) {
  od::json_type type;
  if (error_code e = value.type().get(type)) return FromError(e);
  if (type == od::json_type::number) {
    error_code e = value.get_uint64().get(out);
    // Negative or fractional: tell a wrong type from a malformed number.
    if (e == simdjson::INCORRECT_TYPE || e == simdjson::NUMBER_OUT_OF_RANGE) {
      return WrongTypeUnlessInvalid(value);
    }
    return FromError(e);
  }
  if (type != od::json_type::string) return WrongTypeUnlessInvalid(value);
  std::string_view text;
  if (error_code e = value.get_string().get(text)) return FromError(e);
  return {simdjson::SUCCESS, !ParseHex(text, out)};
}

FieldStatus ReadString(od::value value, std::string_view& out) {
  od::json_type type;
  if (error_code e = value.type().get(type)) return FromError(e);
  if (type != od::json_type::string) return WrongTypeUnlessInvalid(value);
  return FromError(value.get_string().get(out));
}

// The keys a record may use; any other key's value is only validated. Dispatch on length and
// first letter: this runs for every field of every line.
FieldBit KnownField(std::string_view key) {
  switch (key.size()) {
    case 2:
      if (key == "lr") return kLr;
      if (key == "pc") return kPc;
      if (key == "r3") return kR3;
      if (key == "fn") return kFn;
      if (key == "op") return kOp;
      break;
    case 3:
      if (key == "tid") return kTid;
      break;
    case 6:
      if (key == "handle") return kHandle;
      break;
    case 7:
      if (key == "host_ns") return kHostNs;
      break;
  }
  return kNone;
}

FieldStatus ReadField(FieldBit bit, od::value value, RawFields& f) {
  switch (bit) {
    case kLr:
      return ReadUnsigned(value, f.lr);
    case kTid:
      return ReadUnsigned(value, f.tid);
    case kHandle:
      return ReadUnsigned(value, f.handle);
    case kHostNs:
      return ReadUnsigned(value, f.host_ns);
    case kPc:
      return ReadUnsigned(value, f.pc);
    case kR3:
      return ReadUnsigned(value, f.r3);
    case kFn:
      return ReadString(value, f.fn);
    case kOp:
      return ReadString(value, f.op);
    case kNone:
      break;
  }
  return {};
}

bool IsBlank(std::string_view text) {
  for (char c : text)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

}  // namespace

Decoded FireDecoder::Invalid(error_code error) {
  // Validation reports a broken literal ("tru") as a type error: say what it really is.
  problem_ = error == simdjson::INCORRECT_TYPE
                 ? "invalid JSON: malformed literal"
                 : std::string("invalid JSON: ") + simdjson::error_message(error);
  return Decoded::kInvalidJson;
}

Decoded FireDecoder::Unusable(std::string why) {
  problem_ = "unusable record: " + why;
  return Decoded::kUnusable;
}

Decoded FireDecoder::Decode(const Line& line, FireRecord& record) {
  if (IsBlank(line.text)) return Decoded::kBlank;
  simdjson::padded_string_view json(line.text.data(), line.text.size(), line.readable);
  od::document doc;
  if (error_code e = parser_.iterate(json).get(doc)) return Invalid(e);
  od::json_type root_type;
  if (error_code e = doc.type().get(root_type)) return Invalid(e);
  if (root_type != od::json_type::object) {
    // A scalar or array must still be valid JSON before we call it "not an object".
    if (error_code e = doc.raw_json().error()) return Invalid(e);
    return Unusable("not a JSON object");
  }
  od::object object;
  if (error_code e = doc.get_object().get(object)) return Invalid(e);

  RawFields f;
  for (auto field_result : object) {
    od::field field;
    if (error_code e = std::move(field_result).get(field)) return Invalid(e);
    std::string_view key;
    if (error_code e = field.unescaped_key().get(key)) return Invalid(e);
    FieldBit bit = KnownField(key);
    if (bit == kNone) {
      if (error_code e = ValidateValue(field.value(), 2)) return Invalid(e);
      continue;
    }
    // A repeated field is ambiguous (which lr fired?): the record is unusable, not guessed at.
    if (f.seen & bit) return Unusable("duplicate field \"" + std::string(key) + "\"");
    FieldStatus status = ReadField(bit, field.value(), f);
    if (status.json_error) return Invalid(status.json_error);
    if (status.wrong_type) {
      return Unusable("field \"" + std::string(key) +
                      (bit == kFn || bit == kOp ? "\" is not a string"
                                                : "\" is not an unsigned integer or hex string"));
    }
    f.seen |= bit;
  }
  // Two values on one line ("{...}{...}") parse as the first one unless we look past it.
  if (!doc.current_location().error()) return Invalid(simdjson::TRAILING_CONTENT);

  record = FireRecord{};
  if (f.seen & kPc) {
    record.pc = f.pc;
    record.op = ops_.ForPc(f.pc);
    if (record.op == kNoOp) return Decoded::kNotFireSite;
    record.handle = f.r3;
    record.has_handle = f.seen & kR3;
  } else {
    record.op = ops_.ForHook(f.seen & kFn ? f.fn : std::string_view(),
                             f.seen & kOp ? f.op : std::string_view());
    if (record.op == kNoOp) return Unusable("no \"pc\", and no \"fn\" or \"op\" giving an op");
    record.handle = f.handle;
    record.has_handle = f.seen & kHandle;
    record.host_ns = f.host_ns;
    record.has_host_ns = f.seen & kHostNs;
  }
  if (!(f.seen & kLr)) return Unusable("no \"lr\" field");
  if (!(f.seen & kTid)) return Unusable("no \"tid\" field");
  if (f.lr > kMaxLr) return Unusable("\"lr\" does not fit in 48 bits");
  record.lr = f.lr;
  record.tid = f.tid;
  return Decoded::kFire;
}

}  // namespace de
