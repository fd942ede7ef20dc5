// The ignore rules of a profile compiled for the hot path: per event kind, a small trie of
// payload paths, looked up field by field while the payload is hashed.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "diff_events/canon/profile.h"

namespace de {

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
