#include "diff_events/canon/allocator_ordinals.h"

#include <fmt/format.h>

namespace de {

AllocatorOrdinals::AllocatorOrdinals(const Profile& profile) {
  if (profile.canonicalize_allocators)
    names_.assign(profile.allocators.begin(), profile.allocators.end());
}

int AllocatorOrdinals::AllocatorIndex(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

int64_t AllocatorOrdinals::Next(std::vector<int64_t>& thread_counters, int index) {
  return thread_counters[static_cast<size_t>(index)]++;
}

std::string AllocatorSentinel(std::string_view name, int64_t ordinal) {
  return fmt::format("<ALLOC_{}_{}>", name, ordinal);
}

}  // namespace de
