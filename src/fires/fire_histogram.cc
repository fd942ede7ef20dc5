#include "diff_events/fires/fire_histogram.h"

#include <algorithm>

namespace de {

void KeyCounts::Add(const FireRecord& record) {
  ++fires;
  if (record.has_host_ns && record.host_ns < first_host_ns) first_host_ns = record.host_ns;

  auto tid = std::lower_bound(tids.begin(), tids.end(), record.tid,
                              [](const TidFires& t, uint64_t wanted) { return t.tid < wanted; });
  if (tid != tids.end() && tid->tid == record.tid) {
    ++tid->fires;
  } else {
    tids.insert(tid, {record.tid, 1});
  }

  if (!record.has_handle) return;
  auto handle = std::lower_bound(handles.begin(), handles.end(), record.handle);
  if (handle != handles.end() && *handle == record.handle) return;
  if (handles.size() >= kMaxHandlesPerKey) {
    handles_truncated = true;
    return;
  }
  handles.insert(handle, record.handle);
}

void InputTally::CountOffTablePc(uint64_t pc) {
  ++not_fire_site;
  for (auto& [known, count] : off_table_pcs) {
    if (known == pc) {
      ++count;
      return;
    }
  }
  if (off_table_pcs.size() < kMaxOffTablePcs) off_table_pcs.emplace_back(pc, 1);
}

const KeyCounts* FireHistogram::Find(uint64_t key) const {
  auto it = index_.find(key);
  return it == index_.end() ? nullptr : &keys_[it->second].counts;
}

uint64_t FireHistogram::total_fires() const {
  uint64_t total = 0;
  for (const auto& [key, counts] : keys_) total += counts.fires;
  return total;
}

}  // namespace de
