#include "diff_events/canon/allocator_ordinals.h"

#include <fmt/format.h>

namespace de {

AllocatorOrdinals::AllocatorOrdinals(const Profile& profile) {
  if (profile.canonicalize_allocators)
    names_.assign(profile.allocators.begin(), profile.allocators.end());
  index_.reserve(names_.size());
  for (size_t i = 0; i < names_.size(); ++i) index_.emplace(names_[i], static_cast<int>(i));
}

int AllocatorOrdinals::AllocatorIndex(std::string_view name) const {
  if (index_.empty()) return -1;
  auto it = index_.find(name);  // a profile may name thousands of allocators
  return it == index_.end() ? -1 : it->second;
}

int64_t AllocatorOrdinals::Next(std::vector<int64_t>& thread_counters, int index) {
  return thread_counters[static_cast<size_t>(index)]++;
}

std::string AllocatorSentinel(std::string_view name, int64_t ordinal) {
  return fmt::format("<ALLOC_{}_{}>", name, ordinal);
}

}  // namespace de
