// One side's fires, counted per (op, lr) key: fires, fires per tid, a bounded set of handles, the
// first host_ns. Memory grows with distinct keys (and their threads), not with records. Also
// keeps, per input file, what was skipped and why.
#pragma once

#include <tsl/robin_map.h>

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "diff_events/fires/fire_decoder.h"
#include "diff_events/fires/op_table.h"
#include "diff_events/small_list.h"

namespace de {

// Handles are engine-local context, not part of the key: keep a few per key, say if there were
// more.
constexpr size_t kMaxHandlesPerKey = 32;

struct TidFires {  // trivial, to sit inline in a SmallList
  uint64_t tid;
  uint64_t fires;
  bool operator==(const TidFires& o) const { return tid == o.tid && fires == o.fires; }
};

// 72 bytes with its packed key, and no heap block while the key has one tid and one handle.
struct KeyCounts {
  uint64_t fires = 0;
  uint64_t first_host_ns = UINT64_MAX;  // UINT64_MAX: none seen
  SmallList<TidFires> tids;             // sorted by tid
  SmallList<uint64_t> handles;          // sorted, at most kMaxHandlesPerKey
  bool handles_truncated = false;

  void Add(const FireRecord& record);
};

// A skipped line, named for the report (the first few of each kind are kept).
struct SkippedLine {
  uint64_t line = 0;
  std::string why;
};
constexpr size_t kMaxSkippedExamples = 5;
constexpr size_t kMaxOffTablePcs = 16;

struct InputTally {
  std::string name;
  uint64_t lines = 0;
  uint64_t bytes = 0;
  uint64_t fires = 0;
  uint64_t blank = 0;
  uint64_t not_fire_site = 0;  // probe records whose pc is not in the table
  uint64_t invalid_json = 0;
  uint64_t unusable = 0;
  std::vector<SkippedLine> first_invalid;
  std::vector<SkippedLine> first_unusable;
  std::vector<std::pair<uint64_t, uint64_t>> off_table_pcs;  // (pc, records), first few pcs

  void CountOffTablePc(uint64_t pc);
};

inline uint64_t PackKey(OpId op, uint64_t lr) { return (uint64_t{op} << 48) | lr; }
inline OpId KeyOp(uint64_t key) { return static_cast<OpId>(key >> 48); }
inline uint64_t KeyLr(uint64_t key) { return key & kMaxLr; }

// One key's counts, with its packed (op, lr).
struct KeyEntry {
  uint64_t key;
  KeyCounts counts;
};

class FireHistogram {
 public:
  explicit FireHistogram(const FiresProfile& profile) : ops_(profile) {}

  void Add(const FireRecord& record) {
    auto [it, inserted] =
        index_.try_emplace(PackKey(record.op, record.lr), static_cast<uint32_t>(keys_.size()));
    if (inserted) keys_.push_back({it->first, {}});
    keys_[it->second].counts.Add(record);
  }

  OpTable& ops() { return ops_; }
  const OpTable& ops() const { return ops_; }
  // Every key, in the order first seen.
  const std::deque<KeyEntry>& keys() const { return keys_; }
  const KeyCounts* Find(uint64_t key) const;
  std::vector<InputTally>& inputs() { return inputs_; }
  const std::vector<InputTally>& inputs() const { return inputs_; }
  uint64_t total_fires() const;

  // For a consumer that is done with the scan (the diff): frees the lookup index (Add and Find
  // no longer work; keys() stays), and hands over the keys (the histogram is empty after).
  void DropIndex() { index_ = {}; }
  std::deque<KeyEntry> TakeKeys() { return std::exchange(keys_, {}); }

 private:
  OpTable ops_;  // ids are local to this side; the diff goes by op name
  // The map holds only an index: its buckets (half of them empty at most load factors) stay
  // small, and growing it never moves the counts. A key costs ~72 bytes here and ~50 in the map.
  tsl::robin_map<uint64_t, uint32_t> index_;
  std::deque<KeyEntry> keys_;
  std::vector<InputTally> inputs_;
};

}  // namespace de
