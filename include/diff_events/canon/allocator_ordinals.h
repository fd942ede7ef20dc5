// Allocator canonicalization: engines return different guest addresses for the same allocation,
// so an allocator's kernel.return is compared by its ordinal (the n-th RtlAllocateHeap of this
// thread) instead of its address. Counting per (tid, name) keeps a real drift — one side
// allocating once more — visible as a divergence from that point on.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "diff_events/canon/profile.h"

namespace de {

class AllocatorOrdinals {
 public:
  explicit AllocatorOrdinals(const Profile& profile);
  AllocatorOrdinals(const AllocatorOrdinals&) = delete;  // index_ points into names_
  AllocatorOrdinals& operator=(const AllocatorOrdinals&) = delete;
  AllocatorOrdinals(AllocatorOrdinals&&) = default;

  // Index of `name` among the allocators, or -1 when it is not one (or canonicalization is off).
  int AllocatorIndex(std::string_view name) const;
  // Number of allocator names (size of a per-thread counter vector).
  size_t size() const { return names_.size(); }
  const std::string& name(int index) const { return names_[static_cast<size_t>(index)]; }

  // Takes the next ordinal from a thread's counters (0, 1, 2, ...).
  static int64_t Next(std::vector<int64_t>& thread_counters, int index);

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string_view, int> index_;  // views into names_
};

// The sentinel that replaces return_value and status: <ALLOC_RtlAllocateHeap_3>.
std::string AllocatorSentinel(std::string_view name, int64_t ordinal);

}  // namespace de
