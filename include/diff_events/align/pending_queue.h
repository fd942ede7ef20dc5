// Events received but not yet compared, per thread, in a compact byte encoding; beyond a memory
// cap shared by all queues of a diff, queue tails go to a temp file and come back in order as
// the partner catches up. Memory then follows the cap, not the skew between the two inputs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "diff_events/align/diff_result.h"
#include "diff_events/decode/event.h"

namespace de {

// A queued event as the aligner reads it: a view, valid until the next call on its queue.
// Of the DecodedEvent only what the aligner, the resynchronizer and pairing read comes back:
// fingerprint, raw_fingerprint, idx, line, offset, raw_size, alloc_ordinal and child_tid.
struct PendingEvent {
  DecodedEvent event;
  std::string_view raw;
};

EventRef MakeEventRef(const PendingEvent& pending);

// An unlinked temp file in $TMPDIR (or /tmp), created on first use: it vanishes with the
// process, whatever way it ends. Throws InputError when it cannot be created or written.
class SpillFile {
 public:
  SpillFile() = default;
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;
  ~SpillFile();

  uint64_t Append(std::string_view bytes);  // returns where they start
  void ReadAppend(uint64_t offset, size_t size, std::string& out) const;
  void Release(uint64_t offset, size_t size);  // read back for good: gives the disk space back
  bool opened() const { return fd_ >= 0; }

 private:
  void Open();
  int fd_ = -1;
  uint64_t end_ = 0;
  std::string dir_;
};

// The cap all queues of a diff share, and one spill file per side.
class PendingMemory {
 public:
  explicit PendingMemory(uint64_t cap_bytes) { stats_.cap_bytes = cap_bytes; }

  void Add(int64_t delta) {
    held_ = static_cast<uint64_t>(static_cast<int64_t>(held_) + delta);
    if (held_ > stats_.peak_bytes) stats_.peak_bytes = held_;
  }
  uint64_t cap() const { return stats_.cap_bytes; }
  uint64_t held() const { return held_; }
  SpillFile& file(bool canary_side) { return files_[canary_side ? 0 : 1]; }
  void CountSpill(uint64_t records, uint64_t bytes) {
    stats_.spilled_records += records;
    stats_.spilled_bytes += bytes;
  }
  PendingStats stats() const;

 private:
  uint64_t held_ = 0;
  PendingStats stats_;
  SpillFile files_[2];
};

// A FIFO of events received but not yet compared. Records are delta-encoded back to back in one
// buffer (~16–24 bytes an event, no allocation per event), with the raw line after each when
// the input cannot be read again. Attached to a PendingMemory, a queue that grows while all
// queues together hold more than the cap moves everything but its first few KB to the spill
// file; further events go there too (in chunks) until the reader has caught up with them.
class PendingQueue {
 public:
  PendingQueue() = default;
  PendingQueue(const PendingQueue&) = delete;
  PendingQueue& operator=(const PendingQueue&) = delete;
  ~PendingQueue();

  // Off for rereadable inputs: events are queued without their text (raw is empty) and reports
  // fetch the few lines they show by offset (LineFetcher). Set before the first push.
  void set_keep_text(bool keep) { keep_text_ = keep; }
  // Null (the default): no cap, never spills.
  void set_memory(PendingMemory* memory, bool canary_side) {
    memory_ = memory;
    canary_side_ = canary_side;
  }

  // A count this queue keeps its size added to (the registry's paired-pending total), so that
  // nobody sums over threads per batch. Null: none.
  void set_tally(size_t* tally) {
    if (tally_) *tally_ -= size_;
    tally_ = tally;
    if (tally_) *tally_ += size_;
  }

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  PendingEvent front() { return at(0); }
  PendingEvent at(size_t i);  // O(i): records decode from the front
  // The fingerprints of the first min(n, size()) events.
  std::vector<uint64_t> FrontFingerprints(size_t n);
  void push_back(const DecodedEvent& event, std::string_view raw);
  void pop_front();
  void clear();

  bool spilling() const {
    return buf_ && buf_->spill && (!buf_->spill->chunks.empty() || !buf_->spill->tail.empty());
  }
  size_t held_bytes() const { return accounted_; }

 private:
  // Delta bases: the previous record's values (pushed, or popped for the reader).
  struct Base {
    uint64_t idx = 0;
    uint64_t line = 0;
    uint64_t end = 0;  // offset + raw_size
  };
  struct Chunk {
    uint64_t offset;
    size_t size;
  };

  // Decodes the record at `pos` bytes past the read position; returns its encoded size.
  size_t Decode(size_t pos, Base& base, PendingEvent& out);
  bool Ensure(size_t bytes);  // at least `bytes` readable past the read position, if there are
  bool LoadMore();
  void Compact();
  bool WouldOvergrow(size_t bytes) const;
  void SpillHead();
  void FlushTail();
  void Account();

  bool keep_text_ = true;
  bool canary_side_ = true;
  PendingMemory* memory_ = nullptr;
  size_t* tally_ = nullptr;
  size_t size_ = 0;
  struct Spill {
    std::vector<Chunk> chunks;  // then these, in the spill file, from next_chunk on
    size_t next_chunk = 0;
    std::string tail;  // then these, not written yet (only while spilling)
  };
  // What a waiting queue holds, behind a pointer and only while it holds anything: every
  // thread has a queue, and most are empty most of the time.
  struct Buffer {
    std::string head;  // records from `read` on, in memory
    size_t read = 0;
    std::unique_ptr<Spill> spill;  // behind a pointer again: few queues ever spill
    Base pushed;
    Base popped;
  };
  std::unique_ptr<Buffer> buf_;
  Spill& spill() {
    if (!buf_->spill) buf_->spill = std::make_unique<Spill>();
    return *buf_->spill;
  }
  size_t accounted_ = 0;  // bytes this queue holds, as told to memory_
};

}  // namespace de
