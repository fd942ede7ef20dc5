#include "diff_events/align/pending_queue.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "diff_events/input_error.h"

namespace de {
namespace {

// A queue keeps this much of its front in memory when it spills (the aligner reads the front,
// pairing the first few hundred events); the file is written and read in chunks of about
// kChunk bytes.
constexpr size_t kKeep = 8 << 10;
constexpr size_t kChunk = 64 << 10;
// The longest record header: flags, two fingerprints, five varints.
constexpr size_t kMaxHeader = 1 + 8 + 8 + 5 * 10;

enum : uint8_t {
  kOwnRawFingerprint = 1,  // raw_fingerprint differs from fingerprint: stored after it
  kAllocOrdinal = 2,
  kChildTid = 4,
};

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
int64_t UnZigZag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

char* PutVarint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}
const char* GetVarint(const char* p, uint64_t& v) {
  v = 0;
  for (int shift = 0;; shift += 7) {
    uint8_t b = static_cast<uint8_t>(*p++);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (b < 0x80) return p;
  }
}
char* Put64(char* p, uint64_t v) {
  std::memcpy(p, &v, 8);
  return p + 8;
}
const char* Get64(const char* p, uint64_t& v) {
  std::memcpy(&v, p, 8);
  return p + 8;
}

// Where a record that starts at `p` ends, without decoding it.
size_t RecordSize(const char* p, bool with_text) {
  const char* q = p;
  uint8_t flags = static_cast<uint8_t>(*q++);
  q += (flags & kOwnRawFingerprint) ? 16 : 8;
  uint64_t v = 0, size = 0;
  for (int i = 0; i < 3; ++i) q = GetVarint(q, v);  // idx, line, offset
  q = GetVarint(q, size);
  if (flags & kAllocOrdinal) q = GetVarint(q, v);
  if (flags & kChildTid) q = GetVarint(q, v);
  return static_cast<size_t>(q - p) + (with_text ? size : 0);
}

}  // namespace

EventRef MakeEventRef(const PendingEvent& pending) {
  EventRef ref;
  ref.idx = pending.event.idx;
  ref.line = pending.event.line;
  ref.alloc_ordinal = pending.event.alloc_ordinal;
  ref.offset = pending.event.offset;
  ref.size = pending.event.raw_size;
  ref.raw = std::string(pending.raw);
  return ref;
}

// ---- SpillFile

SpillFile::~SpillFile() {
  if (fd_ >= 0) close(fd_);
}

void SpillFile::Open() {
  const char* tmp = std::getenv("TMPDIR");
  dir_ = tmp && *tmp ? tmp : "/tmp";
#ifdef O_TMPFILE
  fd_ = open(dir_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
  if (fd_ < 0) {
    std::string path = dir_ + "/diff_events-pending-XXXXXX";
    fd_ = mkstemp(path.data());
    if (fd_ >= 0) unlink(path.c_str());
  }
  if (fd_ < 0) {
    throw InputError(
        dir_, 0, std::string("cannot create a file for pending events: ") + std::strerror(errno));
  }
}

uint64_t SpillFile::Append(std::string_view bytes) {
  if (fd_ < 0) Open();
  uint64_t at = end_;
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n =
        pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(at + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw InputError(
          dir_, 0,
          std::string("cannot write pending events: ") + std::strerror(n < 0 ? errno : ENOSPC));
    }
    done += static_cast<size_t>(n);
  }
  end_ += bytes.size();
  return at;
}

void SpillFile::ReadAppend(uint64_t offset, size_t size, std::string& out) const {
  size_t base = out.size();
  out.resize(base + size);
  size_t done = 0;
  while (done < size) {
    ssize_t n =
        pread(fd_, out.data() + base + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw InputError(dir_, 0,
                       std::string("cannot read pending events back: ") +
                           (n < 0 ? std::strerror(errno) : "file too short"));
    }
    done += static_cast<size_t>(n);
  }
}

void SpillFile::Release(uint64_t offset, size_t size) {
#if defined(FALLOC_FL_PUNCH_HOLE) && defined(FALLOC_FL_KEEP_SIZE)
  // Best effort: a file system without holes keeps the blocks until the file is closed.
  (void)fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(offset),
                  static_cast<off_t>(size));
#else
  (void)offset;
  (void)size;
#endif
}

PendingStats PendingMemory::stats() const {
  PendingStats s = stats_;
  s.spill_files = (files_[0].opened() ? 1 : 0) + (files_[1].opened() ? 1 : 0);
  return s;
}

// ---- PendingQueue

PendingQueue::~PendingQueue() {
  if (tally_) *tally_ -= size_;
  if (memory_) memory_->Add(-static_cast<int64_t>(accounted_));
}

void PendingQueue::push_back(const DecodedEvent& event, std::string_view raw) {
  if (!buf_) buf_ = std::make_unique<Buffer>();
  // The line's size: its text's, or the event's when the decoder kept no text (rereadable).
  uint64_t size = raw.empty() ? event.raw_size : raw.size();
  char buf[kMaxHeader];
  char* p = buf;
  uint8_t flags = 0;
  if (event.raw_fingerprint != event.fingerprint) flags |= kOwnRawFingerprint;
  if (event.alloc_ordinal != -1) flags |= kAllocOrdinal;
  if (event.has_child_tid) flags |= kChildTid;
  *p++ = static_cast<char>(flags);
  p = Put64(p, event.fingerprint);
  if (flags & kOwnRawFingerprint) p = Put64(p, event.raw_fingerprint);
  p = PutVarint(p, ZigZag(static_cast<int64_t>(event.idx - buf_->pushed.idx)));
  p = PutVarint(p, ZigZag(static_cast<int64_t>(event.line - buf_->pushed.line)));
  p = PutVarint(p, ZigZag(static_cast<int64_t>(event.offset - buf_->pushed.end)));
  p = PutVarint(p, size);
  if (flags & kAllocOrdinal) p = PutVarint(p, ZigZag(event.alloc_ordinal));
  if (flags & kChildTid) p = PutVarint(p, event.child_tid);
  buf_->pushed = Base{event.idx, event.line, event.offset + size};
  ++size_;
  if (tally_) ++*tally_;

  size_t bytes = static_cast<size_t>(p - buf) + (keep_text_ ? raw.size() : 0);
  if (memory_ && !spilling() && WouldOvergrow(bytes)) SpillHead();
  // The unwritten tail gets its chunk at once: doubling would hold twice that per queue.
  if (spilling() && buf_->spill->tail.capacity() < kChunk)
    buf_->spill->tail.reserve(kChunk + kChunk / 4);
  std::string& into = spilling() ? buf_->spill->tail : buf_->head;
  into.append(buf, static_cast<size_t>(p - buf));
  if (keep_text_) into.append(raw);
  if (buf_->spill && buf_->spill->tail.size() >= kChunk) FlushTail();
  Account();
}

// Over the cap, or about to go over it by growing the buffer: growing allocates twice the
// capacity while the old buffer is still there. Time to spill, when there is more than the
// front to spill.
bool PendingQueue::WouldOvergrow(size_t bytes) const {
  if (buf_->head.size() - buf_->read <= 2 * kKeep) return false;
  size_t growth = buf_->head.size() + bytes > buf_->head.capacity() ? 2 * buf_->head.capacity() : 0;
  return memory_->held() + growth > memory_->cap();
}

PendingEvent PendingQueue::at(size_t i) {
  PendingEvent out;
  Base base = buf_->popped;
  size_t pos = 0;
  for (size_t k = 0; k <= i; ++k) pos += Decode(pos, base, out);
  return out;
}

std::vector<uint64_t> PendingQueue::FrontFingerprints(size_t n) {
  n = std::min(n, size_);
  if (n == 0) return {};
  std::vector<uint64_t> out;
  out.reserve(n);
  PendingEvent e;
  Base base = buf_->popped;
  size_t pos = 0;
  for (size_t k = 0; k < n; ++k) {
    pos += Decode(pos, base, e);
    out.push_back(e.event.fingerprint);
  }
  return out;
}

void PendingQueue::pop_front() {
  PendingEvent e;
  size_t n = Decode(0, buf_->popped, e);  // may compact: the read position only after
  buf_->read += n;
  if (tally_) --*tally_;
  if (--size_ == 0) {
    clear();
    return;
  }
  // Drop the consumed front once it is most of the buffer: amortized O(1) per byte. Memory
  // follows what is waiting now, not the longest wait this thread ever had: summed over
  // threads, those high-water marks would keep growing with the trace.
  if (buf_->read > kChunk && buf_->read > buf_->head.size() / 2) {
    Compact();
    if (buf_->head.capacity() > 4 * buf_->head.size()) buf_->head.shrink_to_fit();
    Account();
  }
}

void PendingQueue::clear() {
  if (buf_ && buf_->spill && memory_) {
    const Spill& spill = *buf_->spill;
    for (size_t i = spill.next_chunk; i < spill.chunks.size(); ++i) {
      memory_->file(canary_side_).Release(spill.chunks[i].offset, spill.chunks[i].size);
    }
  }
  // An empty queue holds no buffer: 100 000 threads that each waited once must not keep one
  // each. Queues empty at batch boundaries, not per event, so the allocation is rare. The
  // next record is encoded against a fresh base, as the first one was.
  buf_.reset();
  if (tally_) *tally_ -= size_;
  size_ = 0;
  Account();
}

size_t PendingQueue::Decode(size_t pos, Base& base, PendingEvent& out) {
  Ensure(pos + kMaxHeader);  // fewer at the very end of the queue: the record is whole there
  const char* start = buf_->head.data() + buf_->read + pos;
  const char* p = start;
  uint8_t flags = static_cast<uint8_t>(*p++);
  DecodedEvent& e = out.event;
  e = DecodedEvent();
  p = Get64(p, e.fingerprint);
  e.raw_fingerprint = e.fingerprint;
  if (flags & kOwnRawFingerprint) p = Get64(p, e.raw_fingerprint);
  uint64_t v = 0;
  p = GetVarint(p, v);
  e.idx = base.idx + static_cast<uint64_t>(UnZigZag(v));
  p = GetVarint(p, v);
  e.line = base.line + static_cast<uint64_t>(UnZigZag(v));
  p = GetVarint(p, v);
  e.offset = base.end + static_cast<uint64_t>(UnZigZag(v));
  p = GetVarint(p, v);
  e.raw_size = static_cast<uint32_t>(v);
  if (flags & kAllocOrdinal) {
    p = GetVarint(p, v);
    e.alloc_ordinal = UnZigZag(v);
  }
  if (flags & kChildTid) {
    e.has_child_tid = true;
    p = GetVarint(p, e.child_tid);
  }
  base = Base{e.idx, e.line, e.offset + e.raw_size};
  size_t header = static_cast<size_t>(p - start);
  out.raw = std::string_view();
  if (!keep_text_) return header;
  Ensure(pos + header + e.raw_size);  // may move the buffer: the view is taken after
  out.raw = std::string_view(buf_->head).substr(buf_->read + pos + header, e.raw_size);
  return header + e.raw_size;
}

bool PendingQueue::Ensure(size_t bytes) {
  while (buf_->head.size() - buf_->read < bytes) {
    if (!LoadMore()) return false;
  }
  return true;
}

// The next chunk from the file, or once they are all back, the unwritten tail: the queue is
// then whole in memory again and stops spilling.
bool PendingQueue::LoadMore() {
  if (buf_->spill && buf_->spill->next_chunk < buf_->spill->chunks.size()) {
    Compact();
    const Chunk& c = buf_->spill->chunks[buf_->spill->next_chunk++];
    SpillFile& file = memory_->file(canary_side_);
    buf_->head.reserve(buf_->head.size() +
                       c.size);  // exactly: growing by doubling would hold twice that
    file.ReadAppend(c.offset, c.size, buf_->head);
    file.Release(c.offset, c.size);
    if (buf_->spill->next_chunk == buf_->spill->chunks.size()) {
      buf_->spill->chunks = std::vector<Chunk>();
      buf_->spill->next_chunk = 0;
    }
  } else if (buf_->spill && !buf_->spill->tail.empty()) {
    Compact();
    buf_->head.append(buf_->spill->tail);
    buf_->spill.reset();
  } else {
    return false;
  }
  Account();
  return true;
}

void PendingQueue::Compact() {
  buf_->head.erase(0, buf_->read);
  buf_->read = 0;
}

// Keeps the first kKeep bytes or so (whole records) and writes the rest to the file, in chunks
// of whole records.
void PendingQueue::SpillHead() {
  Compact();
  size_t keep = 0;
  while (keep < kKeep) keep += RecordSize(buf_->head.data() + keep, keep_text_);
  SpillFile& file = memory_->file(canary_side_);
  uint64_t records = 0;
  size_t begin = keep;
  for (size_t pos = keep; pos < buf_->head.size();) {
    pos += RecordSize(buf_->head.data() + pos, keep_text_);
    ++records;
    if (pos - begin >= kChunk || pos == buf_->head.size()) {
      std::string_view bytes(buf_->head.data() + begin, pos - begin);
      spill().chunks.push_back({file.Append(bytes), bytes.size()});
      memory_->CountSpill(records, bytes.size());
      records = 0;
      begin = pos;
    }
  }
  buf_->head.resize(keep);
  buf_->head.shrink_to_fit();
  Account();
}

void PendingQueue::FlushTail() {
  SpillFile& file = memory_->file(canary_side_);
  uint64_t records = 0;
  std::string& tail = spill().tail;
  for (size_t pos = 0; pos < tail.size(); pos += RecordSize(tail.data() + pos, keep_text_)) {
    ++records;
  }
  buf_->spill->chunks.push_back({file.Append(tail), tail.size()});
  memory_->CountSpill(records, tail.size());
  tail.clear();
}

void PendingQueue::Account() {
  size_t now = 0;
  if (buf_) now += buf_->head.capacity();
  if (buf_ && buf_->spill) {
    now += buf_->spill->tail.capacity() + buf_->spill->chunks.capacity() * sizeof(Chunk);
  }
  if (memory_) memory_->Add(static_cast<int64_t>(now) - static_cast<int64_t>(accounted_));
  accounted_ = now;
}

}  // namespace de
