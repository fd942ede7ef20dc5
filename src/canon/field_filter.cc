#include "diff_events/canon/field_filter.h"

#include <algorithm>

namespace de {

const PathNode* PathNode::Child(std::string_view key) const {
  for (const auto& [name, node] : children_) {
    if (name == key) return node.get();
  }
  return nullptr;
}

PathNode& PathNode::AddChild(std::string_view key) {
  for (auto& [name, node] : children_) {
    if (name == key) return *node;
  }
  children_.emplace_back(std::string(key), std::make_unique<PathNode>());
  return *children_.back().second;
}

bool SplitFieldPath(std::string_view path, std::vector<std::string>& keys, std::string& error) {
  keys.assign(1, "");
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '\\') {
      if (i + 1 == path.size() || (path[i + 1] != '.' && path[i + 1] != '\\')) {
        error = "a backslash escapes only '.' or '\\'";
        return false;
      }
      keys.back() += path[++i];
    } else if (c == '.') {
      keys.emplace_back();
    } else {
      keys.back() += c;
    }
  }
  for (const std::string& key : keys) {
    if (key.empty()) {
      error = "empty key (two dots, or a dot at an end)";
      return false;
    }
  }
  return true;
}

FieldFilter::FieldFilter(const Profile& profile)
    : ignored_top_level_(profile.ignored_fields.begin(), profile.ignored_fields.end()) {
  for (const auto& [kind, paths] : profile.ignored_payload_paths) {
    payload_rules_.emplace_back(kind, PathNode());
    PathNode& root = payload_rules_.back().second;
    for (const std::string& path : paths) {
      std::vector<std::string> keys;
      std::string error;
      if (!SplitFieldPath(path, keys, error)) continue;  // LoadProfile refuses such paths
      PathNode* node = &root;
      for (const std::string& key : keys) node = &node->AddChild(key);
      node->ignored = true;
    }
  }
}

const PathNode* FieldFilter::PayloadRules(std::string_view kind) const {
  for (const auto& [name, root] : payload_rules_) {
    if (name == kind) return &root;
  }
  return nullptr;
}

}  // namespace de
