// Decodes one side's JSONL lines (schema v1) into canonical events: checks the header, the
// required fields and per-thread index order, hashes what is compared (simdjson on-demand, one
// pass per line, no per-event allocation once warm) and applies allocator canonicalization.
#pragma once

#include <simdjson.h>
#include <tsl/robin_map.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "diff_events/canon/allocator_ordinals.h"
#include "diff_events/canon/field_filter.h"
#include "diff_events/canon/pointer_identity.h"
#include "diff_events/decode/call_mask.h"
#include "diff_events/decode/event.h"
#include "diff_events/decode/json_hash.h"
#include "diff_events/decode/tid_map.h"
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
  // False: lines are not copied into the batch (EventBatch::Raw is empty). For an input that can
  // be read again by offset, where copying every line is most of a memcpy of the whole file.
  void set_keep_text(bool keep) { keep_text_ = keep; }

  // Decoding split in two, for one input decoded by two threads (SideDecoder): Prepare does the
  // part of Decode that needs nothing of the lines before it (the parse, the checks, the hashes,
  // the facts), on a decoder of its own and a batch of its own; Complete, on the decoder that
  // saw every line before that batch, does the rest in file order (the names' ids, index order,
  // allocator ordinals, masks), and decodes again the few lines a pointer in them turns out to
  // point into a block: what it hands on is what Decode would have made of the same lines.
  struct Prepared {
    int alloc_index = -1;       // payload.name is an allocator
    int call_alloc_index = -1;  // an allocator's kernel.call: its size is known
    uint64_t alloc_size = 0;
    bool has_name = false;
    bool has_return_address = false;
    uint64_t return_address = 0;
    uint32_t candidates_begin = 0, candidates_end = 0;  // the values that may point into a block
  };
  struct PreparedBatch {
    std::unique_ptr<EventBatch> batch;
    std::vector<Prepared> prepared;  // per event of `batch`
    std::vector<uint64_t> candidates;
    std::vector<Line> lines;      // per event: its line, for decoding it again
    uint32_t first_new_name = 0;  // the preparing decoder's id of batch->new_names[0]
  };
  void Prepare(const Line& line, PreparedBatch& out);
  void Complete(PreparedBatch& in);
  uint32_t name_count() const { return static_cast<uint32_t>(names_.size()); }

  // After the last line: the blocks pointers were compared by, for describing differences;
  // null when pointers are not canonicalized. Leaves the decoder without them.
  std::shared_ptr<const SidePointers> TakePointers();

 private:
  // What only a thread that calls allocators needs: behind a pointer, because 100 000 threads of
  // one event each must not hold an allocation map apiece (they did: ~100 MB of the many shape).
  struct Allocating {
    std::vector<int64_t> alloc_counters;
    std::vector<uint64_t> pending_sizes;  // per allocator: the size its open call asked for
    AllocationMap allocations;            // pointer scope "thread"
  };
  struct ThreadState {
    uint64_t last_idx = 0;
    bool seen_call = false;
    CallMaskState mask;
    std::unique_ptr<Allocating> allocating;  // null until the thread's first allocator event
    Allocating& Alloc() {
      if (!allocating) allocating = std::make_unique<Allocating>();
      return *allocating;
    }
  };
  struct PayloadFacts;  // what the payload walk pulls out besides the hash

  uint64_t HashPayload(simdjson::ondemand::value payload, std::string_view kind,
                       PayloadFacts& facts);
  // What the decoder keeps per interned name, so that an event with a name costs one lookup.
  struct NameInfo {
    std::string text;
    uint64_t bytes_hash = 0;  // HashBytes(text): the interning key, and the allocator sentinel's
    int alloc_index = -1;     // AllocatorOrdinals::AllocatorIndex(text)
    bool signal_call = false;
    bool masked = false;  // a --mask call
  };

  const NameInfo& Intern(std::string_view name, uint64_t bytes_hash, EventBatch& batch);
  uint32_t AddName(std::string_view name, uint64_t bytes_hash, EventBatch& batch);
  bool PointerWalk(const PayloadFacts& facts, std::string_view key) const;
  WalkCapture* SizeCapture(PayloadFacts& facts, std::string_view key) const;
  static bool MapAddress(void* facts, uint64_t address, uint64_t& hash);
  bool HashPointerMember(simdjson::ondemand::value member, PayloadFacts& facts, uint64_t& hash);
  void ParseLine(const Line& line, EventBatch& batch, Prepared& out,
                 std::vector<uint64_t>* candidates);
  void ApplyState(DecodedEvent& e, const Prepared& p);
  bool PointsIntoBlock(const DecodedEvent& e, const uint64_t* begin, const uint64_t* end) const;
  void TrackAllocation(ThreadState& thread, const DecodedEvent& e, const Prepared& facts);
  bool Masked(ThreadState& thread, const DecodedEvent& e, bool has_name);
  bool WantsFacts(EventClass cls, uint32_t name_id) const;
  StringTap TapFor(PayloadFacts& facts, std::string_view key);
  [[noreturn]] void Fail(const Line& line, const std::string& what) const;

  FieldFilter filter_;
  AllocatorOrdinals allocators_;
  std::string file_;
  simdjson::ondemand::parser parser_;
  TidMap<ThreadState> threads_;
  // Payload names by id (id 0 reserved: no name). Looked up by the XXH3 of the text that the
  // hash of the name's value computes anyway; two names with the same XXH3 go to `colliding_`.
  std::vector<NameInfo> names_;
  tsl::robin_map<uint64_t, uint32_t> name_ids_;
  tsl::robin_map<std::string, uint32_t> colliding_;
  std::set<std::string> signal_calls_;
  std::set<std::string> mask_;
  bool pointers_ = false;  // pointer canonicalization on
  Profile::PointerScope pointer_scope_ = Profile::PointerScope::kThread;
  bool keep_text_ = true;                             // set_keep_text
  AllocationMap engine_allocations_;                  // pointer scope "engine"
  std::vector<std::vector<std::string>> size_paths_;  // per allocator index; empty: unknown
  std::vector<uint64_t> allocator_hashes_;            // per allocator index
  uint32_t last_name_id_ = 0;             // a call's return repeats its name: skip the lookup
  std::vector<uint32_t> foreign_ids_{0};  // Complete: the preparing decoder's name ids, in ours
};

}  // namespace de
