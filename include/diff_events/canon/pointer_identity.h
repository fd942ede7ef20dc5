// Pointers compared by allocation identity. Engines hand out different addresses for the same
// allocation, and programs pass those addresses back into later calls (a thread's ctx, a buffer
// argument): such a value is compared as "the n-th RtlAllocateHeap of this thread, plus an
// offset" instead of as a number. An AllocationMap remembers the blocks allocators returned on
// one side (per thread or per engine, as the profile's pointer scope says) and answers which
// block, if any, a value points to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace de {

// What a pointer value stands for: a block, the offset into it, and (engine scope) whether the
// block belongs to another thread than the one passing the pointer.
struct PointerTarget {
  int alloc_index = -1;  // AllocatorOrdinals index of the allocator that returned the block
  int64_t ordinal = 0;   // the block's ordinal among its thread's calls of that allocator
  uint64_t offset = 0;
  bool other_thread = false;
};

class AllocationMap {
 public:
  // A block returned at `base`; `size` 0 when unknown (then only `base` itself matches). A new
  // block replaces every older one it overlaps: their memory was freed and handed out again.
  // `line`: the input line of the allocator's return (for FindAt).
  void Record(uint64_t base, uint64_t size, int alloc_index, int64_t ordinal, uint64_t owner_tid,
              uint64_t line = 0);
  // The block `value` equals the base of or lies inside, asked from thread `tid`.
  std::optional<PointerTarget> Find(uint64_t value, uint64_t tid) const;

  // What Find answered while the event at input line `line` was decoded, asked afterwards (to
  // describe a difference). kUnknown when the blocks replaced then are no longer remembered.
  enum class Then { kNone, kBlock, kUnknown };
  Then FindAt(uint64_t value, uint64_t tid, uint64_t line, PointerTarget& out) const;
  bool empty() const { return count_ == 0; }
  // Every block lies in [lowest(), highest_end()): a value outside needs no lookup.
  uint64_t lowest() const { return lowest_; }
  uint64_t highest_end() const { return highest_end_; }
  size_t size() const { return count_; }

 private:
  struct Block {
    uint64_t base;
    uint64_t size;  // 0: unknown
    int64_t ordinal;
    uint64_t owner_tid;
    uint64_t since;  // line of the allocator's return
    int alloc_index;
  };
  struct Retired {
    Block block;
    uint64_t until;  // line of the allocator's return that replaced it
  };
  using Chunk = std::vector<Block>;
  // The chunk and position where a block at `base` goes (the first block not before it).
  std::pair<size_t, size_t> Locate(uint64_t base) const;
  void EraseOverlapping(size_t chunk, size_t& at, uint64_t base, uint64_t end, uint64_t line);
  void Retire(const Block& block, uint64_t line);
  const Block* LiveBlock(uint64_t value) const;
  static bool Holds(const Block& b, uint64_t value);
  static PointerTarget TargetOf(const Block& b, uint64_t value, uint64_t tid);
  void Tidy(size_t first_chunk, size_t last_chunk);

  // The blocks by base address, disjoint, in short sorted chunks: a lookup is two binary
  // searches over contiguous memory and an insertion moves at most a chunk. (A std::map walked
  // a cold node per tree level on every allocation; that showed in the profile.)
  std::vector<Chunk> chunks_;
  std::vector<uint64_t> firsts_;  // firsts_[i] == chunks_[i].front().base
  size_t count_ = 0;
  uint64_t lowest_ = UINT64_MAX;  // every block lies in [lowest_, highest_end_]
  uint64_t highest_end_ = 0;
  // Replaced blocks, oldest first, for FindAt: at most as many as there are live blocks (or
  // kMinRetired), so the history at most doubles the map; the older ones are forgotten.
  static constexpr size_t kMinRetired = 1024;
  std::vector<Retired> retired_;
  uint64_t forgotten_until_ = 0;  // the latest `until` among the forgotten
};

// A side's blocks once its input is decoded: what a pointer value in one of its events stood
// for, for the description of a difference (the decoder hands it over at the end).
class SidePointers {
 public:
  SidePointers(bool engine_scope, std::vector<std::string> allocator_names)
      : engine_scope_(engine_scope), allocator_names_(std::move(allocator_names)) {}
  AllocationMap& ThreadMap(uint64_t tid) { return threads_[tid]; }
  AllocationMap& EngineMap() { return engine_; }
  // The sentinel (PointerSentinel) `value` was hashed as in thread `tid`'s event at `line`;
  // nullopt when it stood for no block, or (`forgotten` set) when that can no longer be told.
  std::optional<std::string> SentinelAt(uint64_t tid, uint64_t line, uint64_t value,
                                        bool& forgotten) const;

 private:
  bool engine_scope_;
  std::vector<std::string> allocator_names_;  // by AllocatorOrdinals index
  std::unordered_map<uint64_t, AllocationMap> threads_;
  AllocationMap engine_;
};

// A JSON value's token as an address: a non-negative decimal integer ("1073741824") or a hex
// string's text ("0x40000000", quotes included or not). False for anything else.
bool ParseAddress(std::string_view token, uint64_t& out);

// "<ALLOC_RtlAllocateHeap_3>", "<ALLOC_RtlAllocateHeap_3>+0x10", "<ALLOC_..._3@other>" (engine
// scope, a block of another thread).
std::string PointerSentinel(std::string_view allocator, const PointerTarget& target);

}  // namespace de
