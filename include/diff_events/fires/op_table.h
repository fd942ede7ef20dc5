// Operation categories ("set", "release", ...) as small ids, so a histogram key packs into 64
// bits. Hook records get their op from the profile's fn rules (else their own `op` field); probe
// records from the pc table. Names are interned on first sight: no allocation afterwards.
#pragma once

#include <tsl/robin_map.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "diff_events/fires/fires_profile.h"

namespace de {

using OpId = uint16_t;
constexpr OpId kNoOp = 0xFFFF;

class OpTable {
 public:
  explicit OpTable(const FiresProfile& profile);

  // The op of a hook record: the first fn rule whose substring occurs in `fn`, else `op`
  // (interned). kNoOp when neither gives one (empty fn/op mean "absent").
  OpId ForHook(std::string_view fn, std::string_view op);
  // The op of a probe record's pc; kNoOp when the pc is not a fire site.
  OpId ForPc(uint64_t pc) const;

  OpId Intern(std::string_view name);  // kNoOp when the table is full
  const std::string& Name(OpId id) const { return names_[id]; }
  size_t size() const { return names_.size(); }

 private:
  struct CompiledRule {
    std::vector<std::string> substrings;
    OpId op;
  };
  std::vector<std::string> names_;
  std::vector<CompiledRule> fn_rules_;
  tsl::robin_map<uint64_t, OpId> pc_ops_;
};

}  // namespace de
