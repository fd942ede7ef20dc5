#include "diff_events/canon/pointer_identity.h"

#include <fmt/format.h>

#include <algorithm>

namespace de {

// One past a block's last byte; a size that wraps reaches the top.
static uint64_t BlockEnd(uint64_t base, uint64_t size) {
  uint64_t end = base + (size ? size : 1);
  return end < base ? UINT64_MAX : end;
}

namespace {

constexpr size_t kChunkSplit = 128;  // a chunk that grows past this splits in two

}  // namespace

std::pair<size_t, size_t> AllocationMap::Locate(uint64_t base) const {
  auto after = std::upper_bound(firsts_.begin(), firsts_.end(), base);
  if (after == firsts_.begin()) return {0, 0};
  auto chunk = static_cast<size_t>(after - firsts_.begin() - 1);
  const Chunk& c = chunks_[chunk];
  auto at = std::lower_bound(c.begin(), c.end(), base,
                             [](const Block& b, uint64_t v) { return b.base < v; });
  return {chunk, static_cast<size_t>(at - c.begin())};
}

// Takes out the blocks overlapping [base, end): the one before `at` (it may reach into the new
// block) and those from `at` on that start inside it, across chunks. `at` stays the insertion
// point in `chunk`; emptied chunks are left for Tidy.
void AllocationMap::EraseOverlapping(size_t chunk, size_t& at, uint64_t base, uint64_t end,
                                     uint64_t line) {
  Chunk& c = chunks_[chunk];
  if (at > 0 && BlockEnd(c[at - 1].base, c[at - 1].size) > base) {
    Retire(c[at - 1], line);
    c.erase(c.begin() + static_cast<ptrdiff_t>(--at));
    --count_;
  } else if (at == 0 && chunk > 0 && !chunks_[chunk - 1].empty()) {
    const Block& prev = chunks_[chunk - 1].back();
    if (BlockEnd(prev.base, prev.size) > base) {
      Retire(prev, line);
      chunks_[chunk - 1].pop_back();
      --count_;
    }
  }
  for (size_t k = chunk; k < chunks_.size(); ++k) {
    Chunk& ck = chunks_[k];
    auto from = ck.begin() + static_cast<ptrdiff_t>(k == chunk ? at : 0);
    auto to = std::find_if(from, ck.end(), [&](const Block& b) { return b.base >= end; });
    for (auto it = from; it != to; ++it) Retire(*it, line);
    count_ -= static_cast<size_t>(to - from);
    bool reached_end = to == ck.end();
    ck.erase(from, to);
    if (!reached_end) break;
  }
}

void AllocationMap::Retire(const Block& block, uint64_t line) {
  if (retired_.size() >= std::max(kMinRetired, count_)) {
    auto half = retired_.begin() + static_cast<ptrdiff_t>(retired_.size() / 2);
    for (auto it = retired_.begin(); it != half; ++it)
      forgotten_until_ = std::max(forgotten_until_, it->until);
    retired_.erase(retired_.begin(), half);
  }
  retired_.push_back(Retired{block, line});
}

// Drops the empty chunks among [first_chunk, last_chunk], splits an oversized one, and brings
// firsts_ up to date for them.
void AllocationMap::Tidy(size_t first_chunk, size_t last_chunk) {
  last_chunk = std::min(last_chunk, chunks_.size() - 1);
  for (size_t k = last_chunk + 1; k-- > first_chunk;) {
    if (chunks_[k].empty()) {
      chunks_.erase(chunks_.begin() + static_cast<ptrdiff_t>(k));
      firsts_.erase(firsts_.begin() + static_cast<ptrdiff_t>(k));
      continue;
    }
    if (chunks_[k].size() > kChunkSplit) {
      Chunk& c = chunks_[k];
      auto half = c.begin() + static_cast<ptrdiff_t>(c.size() / 2);
      Chunk upper(half, c.end());
      c.erase(half, c.end());
      chunks_.insert(chunks_.begin() + static_cast<ptrdiff_t>(k + 1), std::move(upper));
      firsts_.insert(firsts_.begin() + static_cast<ptrdiff_t>(k + 1), chunks_[k + 1].front().base);
    }
    firsts_[k] = chunks_[k].front().base;
  }
}

void AllocationMap::Record(uint64_t base, uint64_t size, int alloc_index, int64_t ordinal,
                           uint64_t owner_tid, uint64_t line) {
  uint64_t end = BlockEnd(base, size);
  lowest_ = std::min(lowest_, base);
  highest_end_ = std::max(highest_end_, end);
  Block block{base, size, ordinal, owner_tid, line, alloc_index};
  ++count_;
  if (chunks_.empty()) {
    chunks_.push_back(Chunk{block});
    firsts_.push_back(base);
    return;
  }
  auto [chunk, at] = Locate(base);
  EraseOverlapping(chunk, at, base, end, line);
  Chunk& c = chunks_[chunk];
  c.insert(c.begin() + static_cast<ptrdiff_t>(at), block);
  // The chunk before may have lost its last block, those after their first ones.
  size_t first = chunk > 0 ? chunk - 1 : 0;
  size_t last = chunk;
  while (last + 1 < chunks_.size() &&
         (chunks_[last + 1].empty() || chunks_[last + 1].front().base != firsts_[last + 1])) {
    ++last;
  }
  Tidy(first, last);
}

const AllocationMap::Block* AllocationMap::LiveBlock(uint64_t value) const {
  if (value < lowest_ || value >= highest_end_) return nullptr;  // the common answer
  auto after = std::upper_bound(firsts_.begin(), firsts_.end(), value);
  if (after == firsts_.begin()) return nullptr;
  const Chunk& c = chunks_[static_cast<size_t>(after - firsts_.begin() - 1)];
  // c's first block starts at or before value, so the one it may lie in is in c.
  const Block& b = *(std::upper_bound(c.begin(), c.end(), value,
                                      [](uint64_t v, const Block& x) { return v < x.base; }) -
                     1);
  return Holds(b, value) ? &b : nullptr;
}

bool AllocationMap::Holds(const Block& b, uint64_t value) {
  uint64_t offset = value - b.base;
  return value >= b.base && (offset == 0 || (b.size != 0 && offset < b.size));
}

PointerTarget AllocationMap::TargetOf(const Block& b, uint64_t value, uint64_t tid) {
  return PointerTarget{b.alloc_index, b.ordinal, value - b.base, b.owner_tid != tid};
}

std::optional<PointerTarget> AllocationMap::Find(uint64_t value, uint64_t tid) const {
  const Block* b = LiveBlock(value);
  if (!b) return std::nullopt;
  return TargetOf(*b, value, tid);
}

AllocationMap::Then AllocationMap::FindAt(uint64_t value, uint64_t tid, uint64_t line,
                                          PointerTarget& out) const {
  // Blocks are disjoint at every moment: a live block recorded before the line was the one.
  const Block* live = LiveBlock(value);
  if (live && live->since < line) {
    out = TargetOf(*live, value, tid);
    return Then::kBlock;
  }
  for (const Retired& r : retired_) {
    if (r.block.since < line && line <= r.until && Holds(r.block, value)) {
      out = TargetOf(r.block, value, tid);
      return Then::kBlock;
    }
  }
  return line <= forgotten_until_ ? Then::kUnknown : Then::kNone;
}

std::optional<std::string> SidePointers::SentinelAt(uint64_t tid, uint64_t line, uint64_t value,
                                                    bool& forgotten) const {
  const AllocationMap* map = &engine_;
  if (!engine_scope_) {
    auto it = threads_.find(tid);
    if (it == threads_.end()) return std::nullopt;
    map = &it->second;
  }
  PointerTarget target;
  AllocationMap::Then then = map->FindAt(value, tid, line, target);
  if (then == AllocationMap::Then::kUnknown) forgotten = true;
  if (then != AllocationMap::Then::kBlock) return std::nullopt;
  return PointerSentinel(allocator_names_.at(static_cast<size_t>(target.alloc_index)), target);
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
