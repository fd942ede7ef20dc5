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

FieldFilter::FieldFilter(const Profile& profile)
    : ignored_top_level_(profile.ignored_fields.begin(), profile.ignored_fields.end()) {
  for (const auto& [kind, paths] : profile.ignored_payload_paths) {
    payload_rules_.emplace_back(kind, PathNode());
    PathNode& root = payload_rules_.back().second;
    for (const std::string& path : paths) {
      PathNode* node = &root;
      size_t start = 0;
      for (;;) {
        size_t dot = path.find('.', start);
        node = &node->AddChild(std::string_view(path).substr(start, dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
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
