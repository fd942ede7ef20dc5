#include "diff_events/fires/op_table.h"

namespace de {

OpTable::OpTable(const FiresProfile& profile) {
  for (const FnRule& rule : profile.fn_rules)
    fn_rules_.push_back({rule.substrings, Intern(rule.op)});
  for (const auto& [pc, op] : profile.pc_ops) pc_ops_[pc] = Intern(op);
}

OpId OpTable::ForHook(std::string_view fn, std::string_view op) {
  if (!fn.empty()) {
    for (const CompiledRule& rule : fn_rules_) {
      for (const std::string& s : rule.substrings)
        if (fn.find(s) != std::string_view::npos) return rule.op;
    }
  }
  return op.empty() ? kNoOp : Intern(op);
}

OpId OpTable::ForPc(uint64_t pc) const {
  auto it = pc_ops_.find(pc);
  return it == pc_ops_.end() ? kNoOp : it->second;
}

OpId OpTable::Intern(std::string_view name) {
  for (size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return static_cast<OpId>(i);
  if (names_.size() >= kNoOp) return kNoOp;
  names_.emplace_back(name);
  return static_cast<OpId>(names_.size() - 1);
}

}  // namespace de
