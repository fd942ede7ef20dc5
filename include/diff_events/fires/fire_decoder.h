// One JSON line → one fire record, with simdjson on-demand and one reused parser (no heap
// allocation per record). Two record shapes, told apart by the `pc` field:
//   hook record  {"op":"release","fn":"NtReleaseSemaphore","handle":4176,"lr":2185933160,
//                 "tid":17,"host_ns":1937223600,...}            op from fn rules, else `op`
//   probe record {"pc":"0x8284e07c","tid":13,"r3":"0x0000104c","lr":"0x824ab168",...}
//                 op from the pc table; handle is r3; other pcs are not fires
// Addresses and ids may be JSON unsigned integers or hex strings (either case, 0x optional).
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>

#include "diff_events/fires/op_table.h"
#include "diff_events/io/line_reader.h"

namespace de {

struct FireRecord {
  OpId op = kNoOp;
  uint64_t lr = 0;
  uint64_t tid = 0;
  uint64_t handle = 0;
  uint64_t host_ns = 0;
  uint64_t pc = 0;  // probe records only
  bool has_handle = false;
  bool has_host_ns = false;
};

enum class Decoded {
  kFire,         // `record` holds a fire
  kNotFireSite,  // a probe record whose pc is not in the table (record.pc says which)
  kBlank,        // an empty or all-blank line
  kInvalidJson,  // not one JSON value (problem() says why)
  kUnusable,     // valid JSON but no usable fire record (problem() says why)
};

// Keys pack as (op << 48) | lr, so an lr must fit in 48 bits (guest addresses are 32-bit).
constexpr uint64_t kMaxLr = (uint64_t{1} << 48) - 1;

class FireDecoder {
 public:
  explicit FireDecoder(OpTable& ops) : ops_(ops) {}

  Decoded Decode(const Line& line, FireRecord& record);
  const std::string& problem() const { return problem_; }

 private:
  Decoded Invalid(simdjson::error_code error);
  Decoded Unusable(std::string why);

  OpTable& ops_;
  simdjson::ondemand::parser parser_;
  std::string problem_;
};

}  // namespace de
