// Decodes one side's JSONL lines (schema v1) into canonical events: checks the header, the
// required fields and per-thread index order, hashes what is compared (simdjson on-demand, one
// pass per line, no per-event allocation once warm) and applies allocator canonicalization.
#pragma once

#include <simdjson.h>
#include <tsl/robin_map.h>

#include <set>
#include <string>
#include <vector>

#include "diff_events/canon/allocator_ordinals.h"
#include "diff_events/canon/field_filter.h"
#include "diff_events/canon/pointer_identity.h"
#include "diff_events/decode/event.h"
#include "diff_events/decode/json_hash.h"
#include "diff_events/io/line_reader.h"

namespace de {

class EventDecoder {
 public:
  EventDecoder(const Profile& profile, std::string file_name);

  // Checks the first non-empty line: {"kind":"schema_version","schema_version":1,...}.
  // Returns the header's "engine" (may be empty). Throws InputError.
  std::string DecodeHeader(const Line& line);

  // Decodes an event line into `out` and appends its raw text (and first-call name) to `batch`.
  // Throws InputError naming the file and line.
  void Decode(const Line& line, EventBatch& batch);

 private:
  struct ThreadState {
    uint64_t last_idx = 0;
    bool seen_call = false;
    std::vector<int64_t> alloc_counters;
    std::vector<uint64_t> pending_sizes;  // per allocator: the size its open call asked for
    AllocationMap allocations;            // pointer scope "thread"
    bool last_call_masked = false;        // its return and waits are masked too
    uint32_t masked_waits = 0;            // masked wait.begin events without their wait.end
  };
  struct PayloadFacts;  // what the payload walk pulls out besides the hash

  uint64_t HashPayload(simdjson::ondemand::value payload, std::string_view kind,
                       PayloadFacts& facts);
  uint32_t Intern(const std::string& name, EventBatch& batch);
  bool PointerWalk(const PayloadFacts& facts, std::string_view key) const;
  static bool MapAddress(void* facts, uint64_t address, uint64_t& hash);
  bool HashPointerMember(simdjson::ondemand::value member, PayloadFacts& facts, uint64_t& hash);
  void TrackAllocation(ThreadState& thread, const DecodedEvent& e, const PayloadFacts& facts);
  bool Masked(ThreadState& thread, const DecodedEvent& e, bool has_name);
  bool WantsFacts(EventClass cls, uint32_t name_id) const;
  StringTap TapFor(PayloadFacts& facts, std::string_view key);
  [[noreturn]] void Fail(const Line& line, const std::string& what) const;

  FieldFilter filter_;
  AllocatorOrdinals allocators_;
  std::string file_;
  simdjson::ondemand::parser parser_;
  tsl::robin_map<uint64_t, ThreadState> threads_;
  std::string name_buf_;
  tsl::robin_map<std::string, uint32_t> name_ids_;  // payload names seen, id 0 reserved
  std::set<std::string> signal_calls_;
  std::vector<bool> is_signal_call_;  // by name id
  std::vector<bool> is_masked_;       // by name id
  std::set<std::string> mask_;
  bool pointers_ = false;  // pointer canonicalization on
  Profile::PointerScope pointer_scope_ = Profile::PointerScope::kThread;
  AllocationMap engine_allocations_;                  // pointer scope "engine"
  std::vector<std::vector<std::string>> size_paths_;  // per allocator index; empty: unknown
  std::vector<uint64_t> allocator_hashes_;            // per allocator index
  std::string last_name_;  // a call's return repeats its name: skip the lookup
  uint32_t last_name_id_ = 0;
};

}  // namespace de
