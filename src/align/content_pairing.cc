#include "diff_events/align/content_pairing.h"

#include <tsl/robin_map.h>

#include <algorithm>
#include <tuple>

namespace de {
namespace {

// Larger groups pair in order of appearance: scoring every pair there would be quadratic.
constexpr size_t kMaxTieBreakPairs = 256;

struct EdgeKey {
  uint32_t node;
  uint64_t fingerprint;
  bool operator==(const EdgeKey& o) const { return node == o.node && fingerprint == o.fingerprint; }
};
struct EdgeKeyHash {
  size_t operator()(const EdgeKey& k) const {
    return static_cast<size_t>(k.fingerprint ^ (uint64_t{k.node} * 0x9e3779b97f4a7c15ULL));
  }
};

// Longest common subsequence of a[from..] and b[from..], O(|a|·|b|) time, O(|b|) space.
size_t SuffixLcs(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b, size_t from) {
  if (a.size() <= from || b.size() <= from) return 0;
  std::vector<size_t> row(b.size() - from + 1, 0);
  for (size_t i = from; i < a.size(); ++i) {
    size_t diagonal = 0;
    for (size_t j = from; j < b.size(); ++j) {
      size_t up = row[j - from + 1];
      row[j - from + 1] = a[i] == b[j] ? diagonal + 1 : std::max(up, row[j - from]);
      diagonal = up;
    }
  }
  return row.back();
}

}  // namespace

ContentScorer::ContentScorer(const std::vector<ContentCandidate>& canary,
                             const std::vector<ContentCandidate>& ours, size_t window)
    : canary_(canary), ours_(ours), window_(window) {
  canary_end_.reserve(canary_.size());
  ours_end_.reserve(ours_.size());
  nodes_.push_back(Node{});  // the root: depth 0, every candidate below it
  tsl::robin_map<EdgeKey, uint32_t, EdgeKeyHash> edges;
  auto insert = [&](const ContentCandidate& c, bool is_canary) {
    uint32_t node = 0;
    size_t n = std::min(c.prefix.size(), window_);
    for (size_t i = 0;; ++i) {
      (is_canary ? nodes_[node].canary_below : nodes_[node].ours_below)++;
      if (i == n) break;
      auto [it, inserted] =
          edges.try_emplace(EdgeKey{node, c.prefix[i]}, static_cast<uint32_t>(nodes_.size()));
      if (inserted) nodes_.push_back(Node{node, nodes_[node].depth + 1, 0, 0});
      node = it->second;
    }
    return node;
  };
  for (const auto& c : canary_) canary_end_.push_back(insert(c, true));
  for (const auto& o : ours_) ours_end_.push_back(insert(o, false));
}

std::vector<std::pair<size_t, size_t>> ContentScorer::BestAssignment() const {
  // Candidates wait at their deepest node; level by level from the deepest, each node pairs
  // what waits there and passes the rest up to its parent.
  struct Waiting {
    uint32_t node;
    bool ours;
    size_t index;
    bool operator<(const Waiting& o) const {
      return std::tie(node, ours, index) < std::tie(o.node, o.ours, o.index);
    }
  };
  std::vector<std::vector<Waiting>> level(window_ + 1);
  for (size_t i = 0; i < canary_end_.size(); ++i) {
    level[nodes_[canary_end_[i]].depth].push_back({canary_end_[i], false, i});
  }
  for (size_t i = 0; i < ours_end_.size(); ++i) {
    level[nodes_[ours_end_[i]].depth].push_back({ours_end_[i], true, i});
  }
  std::vector<std::pair<size_t, size_t>> out;
  std::vector<size_t> cs, os;
  for (size_t depth = window_ + 1; depth-- > 0;) {
    std::vector<Waiting>& here = level[depth];
    std::sort(here.begin(), here.end());
    for (size_t begin = 0; begin < here.size();) {
      uint32_t node = here[begin].node;
      size_t end = begin;
      cs.clear();
      os.clear();
      for (; end < here.size() && here[end].node == node; ++end) {
        (here[end].ours ? os : cs).push_back(here[end].index);
      }
      begin = end;
      PairWithin(cs, os, static_cast<uint32_t>(depth), out);
      if (depth == 0) continue;
      for (size_t c : cs) level[depth - 1].push_back({nodes_[node].parent, false, c});
      for (size_t o : os) level[depth - 1].push_back({nodes_[node].parent, true, o});
    }
    here = std::vector<Waiting>();
  }
  std::sort(out.begin(), out.end());
  return out;
}

void ContentScorer::PairWithin(std::vector<size_t>& cs, std::vector<size_t>& os, uint32_t depth,
                               std::vector<std::pair<size_t, size_t>>& out) const {
  if (cs.empty() || os.empty()) return;
  auto by_order = [](const std::vector<ContentCandidate>& side) {
    return [&side](size_t a, size_t b) {
      return std::tie(side[a].order, side[a].tid) < std::tie(side[b].order, side[b].tid);
    };
  };
  std::sort(cs.begin(), cs.end(), by_order(canary_));
  std::sort(os.begin(), os.end(), by_order(ours_));
  bool choice = cs.size() > 1 || os.size() > 1;
  if (!choice || cs.size() * os.size() > kMaxTieBreakPairs) {
    size_t n = std::min(cs.size(), os.size());
    for (size_t i = 0; i < n; ++i) out.emplace_back(cs[i], os[i]);
    cs.erase(cs.begin(), cs.begin() + static_cast<std::ptrdiff_t>(n));
    os.erase(os.begin(), os.begin() + static_cast<std::ptrdiff_t>(n));
    return;
  }
  // Tie-break by how much of the rest of the prefix still lines up, best first; equal
  // similarity keeps the order of appearance.
  struct Scored {
    size_t similarity, ci, oi;
  };
  std::vector<Scored> scored;
  for (size_t ci = 0; ci < cs.size(); ++ci) {
    for (size_t oi = 0; oi < os.size(); ++oi) {
      scored.push_back({SuffixLcs(canary_[cs[ci]].prefix, ours_[os[oi]].prefix, depth), ci, oi});
    }
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const Scored& a, const Scored& b) { return a.similarity > b.similarity; });
  std::vector<bool> c_taken(cs.size()), o_taken(os.size());
  for (const Scored& s : scored) {
    if (c_taken[s.ci] || o_taken[s.oi]) continue;
    c_taken[s.ci] = o_taken[s.oi] = true;
    out.emplace_back(cs[s.ci], os[s.oi]);
  }
  auto keep_untaken = [](std::vector<size_t>& v, const std::vector<bool>& taken) {
    std::vector<size_t> rest;
    for (size_t i = 0; i < v.size(); ++i) {
      if (!taken[i]) rest.push_back(v[i]);
    }
    v = std::move(rest);
  };
  keep_untaken(cs, c_taken);
  keep_untaken(os, o_taken);
}

uint32_t ContentScorer::CommonDepth(size_t c, size_t o) const {
  const auto& a = canary_[c].prefix;
  const auto& b = ours_[o].prefix;
  size_t n = std::min({a.size(), b.size(), window_});
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return static_cast<uint32_t>(i);
}

// Walks up from a candidate's last node to the deepest node that has another candidate of the
// other side below it; the partner itself is below every node down to the shared depth.
std::optional<uint64_t> ContentScorer::RunnerUp(uint32_t from, uint32_t shared_depth,
                                                bool other_is_ours) const {
  for (uint32_t node = from;; node = nodes_[node].parent) {
    const Node& n = nodes_[node];
    uint32_t others = other_is_ours ? n.ours_below : n.canary_below;
    if (n.depth <= shared_depth) --others;
    if (others > 0) return n.depth;
    if (node == 0) return std::nullopt;
  }
}

PairingConfidence ContentScorer::Confidence(size_t c, size_t o) const {
  PairingConfidence conf;
  uint32_t shared = CommonDepth(c, o);
  conf.score = shared;
  conf.window = std::min(window_, std::max(canary_[c].prefix.size(), ours_[o].prefix.size()));
  std::optional<uint64_t> a = RunnerUp(canary_end_[c], shared, true);
  std::optional<uint64_t> b = RunnerUp(ours_end_[o], shared, false);
  if (a || b) conf.runner_up = std::max(a.value_or(0), b.value_or(0));
  conf.ambiguous = conf.runner_up && *conf.runner_up >= conf.score && conf.score < conf.window;
  return conf;
}

}  // namespace de
