#include "diff_events/canon/pointer_identity.h"

#include <fmt/format.h>

#include <algorithm>

namespace de {

void AllocationMap::Record(uint64_t base, uint64_t size, int alloc_index, int64_t ordinal,
                           uint64_t owner_tid) {
  uint64_t end = size ? base + size : base + 1;
  if (end < base) end = UINT64_MAX;  // a size that wraps: the block reaches the top
  // Older blocks overlapping [base, end): the one starting before base, those starting inside.
  auto it = blocks_.lower_bound(base);
  if (it != blocks_.begin()) {
    auto prev = std::prev(it);
    uint64_t prev_end = prev->first + (prev->second.size ? prev->second.size : 1);
    if (prev_end > base) blocks_.erase(prev);
  }
  while (it != blocks_.end() && it->first < end) it = blocks_.erase(it);
  blocks_[base] = Block{size, alloc_index, ordinal, owner_tid};
  lowest_ = std::min(lowest_, base);
  highest_end_ = std::max(highest_end_, end);
}

std::optional<PointerTarget> AllocationMap::Find(uint64_t value, uint64_t tid) const {
  if (value < lowest_ || value >= highest_end_) return std::nullopt;  // the common answer
  auto it = blocks_.upper_bound(value);
  if (it == blocks_.begin()) return std::nullopt;
  --it;
  const Block& b = it->second;
  uint64_t offset = value - it->first;
  if (offset != 0 && (b.size == 0 || offset >= b.size)) return std::nullopt;
  return PointerTarget{b.alloc_index, b.ordinal, offset, b.owner_tid != tid};
}

bool ParseAddress(std::string_view token, uint64_t& out) {
  if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
    token = token.substr(1, token.size() - 2);
  }
  if (token.empty()) return false;
  uint64_t v = 0;
  if (token.size() > 2 && token[0] == '0' && (token[1] == 'x' || token[1] == 'X')) {
    if (token.size() > 18) return false;  // more than 16 hex digits
    for (char c : token.substr(2)) {
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) return false;
      v = v << 4 | static_cast<uint64_t>(d);
    }
    out = v;
    return true;
  }
  if (token.size() > 19) return false;  // beyond 10^19: not an address we track
  for (char c : token) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  out = v;
  return true;
}

std::string PointerSentinel(std::string_view allocator, const PointerTarget& target) {
  std::string s = fmt::format("<ALLOC_{}_{}{}>", allocator, target.ordinal,
                              target.other_thread ? "@other" : "");
  if (target.offset) s += fmt::format("+{:#x}", target.offset);
  return s;
}

}  // namespace de
