// The ignore rules of a profile compiled for the hot path: per event kind, a small trie of
// payload paths, looked up field by field while the payload is hashed.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "diff_events/canon/profile.h"

namespace de {

// Splits a dotted payload path into its keys: "args_resolved.ctx" is two keys, and a key that
// holds a dot or a backslash escapes it: "args_resolved\.ctx" is the one key "args_resolved.ctx".
// False (with `error`) for an empty key or a backslash before anything but '.' or '\'.
bool SplitFieldPath(std::string_view path, std::vector<std::string>& keys, std::string& error);

class PathNode {
 public:
  bool ignored = false;  // this field (and everything under it) is not compared
  // The node for field `key` under this one, or nullptr when no rule names it.
  const PathNode* Child(std::string_view key) const;
  PathNode& AddChild(std::string_view key);

 private:
  std::vector<std::pair<std::string, std::unique_ptr<PathNode>>> children_;
};

class FieldFilter {
 public:
  explicit FieldFilter(const Profile& profile);

  bool IgnoresTopLevel(std::string_view field) const {  // inline: runs per top-level field
    for (const std::string& name : ignored_top_level_) {
      if (name.size() == field.size() && name == field) return true;
    }
    return false;
  }
  // Root of the payload rules for `kind`, or nullptr when the kind has none.
  const PathNode* PayloadRules(std::string_view kind) const;

 private:
  std::vector<std::string> ignored_top_level_;
  std::vector<std::pair<std::string, PathNode>> payload_rules_;
};

}  // namespace de
