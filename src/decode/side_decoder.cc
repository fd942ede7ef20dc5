#include "diff_events/decode/side_decoder.h"

#include <atomic>
#include <chrono>
#include <functional>

#include "diff_events/decode/event_decoder.h"
#include "diff_events/input_error.h"
#include "diff_events/io/line_reader.h"

namespace de {
namespace {

std::atomic<bool> g_detached_decoders{false};

constexpr size_t kQueueDepth = 4;  // batches in flight per side
// ... when batches carry their text (stdin, pipes): each holds ~1 MB more. Two fewer in flight
// take ~6 MB off chain from stdin, for ~4 % more wall time on rerun from stdin (paired runs).
constexpr size_t kQueueDepthWithText = 2;
constexpr size_t kTextSlack = 64 << 10;  // room past batch_bytes for a batch's last line
// Blocks of a split input read ahead of its decoding (SplitWindow): enough that the helper
// finds one to prepare while the decoder thread works on another.
constexpr size_t kSplitWindow = 4;

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

// Where batches end: after the line that brings their text to `batch_bytes`. A batch's size is
// that of its lines, not what the reader happened to read ahead: the aligner paces the two
// inputs by it, and that must depend on content only. Both ways of decoding cut here, so they
// hand on the same batches.
class BatchCut {
 public:
  explicit BatchCut(size_t batch_bytes) : batch_bytes_(batch_bytes) {}
  // Counts `line`; true when it ends the batch, whose input bytes are then `bytes`.
  bool Ends(const Line& line, uint64_t& bytes) {
    text_ += line.text.size();
    if (text_ < batch_bytes_) return false;
    uint64_t end = line.offset + line.text.size();
    bytes = end - start_;
    start_ = end;
    text_ = 0;
    return true;
  }
  // The last batch's input bytes: up to the end of the input.
  uint64_t Rest(uint64_t bytes_read) const { return bytes_read - start_; }

 private:
  size_t batch_bytes_;
  uint64_t start_ = 0;  // input offset where the current batch's lines begin
  size_t text_ = 0;     // the size of its lines' text, kept or not
};

// One batch's lines, copied out of the reader's buffer so that another thread can decode them
// while the reader moves on.
struct Block {
  std::string text;         // the lines end to end, then kLinePadding bytes
  std::vector<Line> lines;  // into text
  uint64_t bytes = 0;       // the input bytes they took (EventBatch::bytes)
};

// The blocks of a split input between reading and decoding, in file order, and the helper
// thread that prepares some of them (EventDecoder::Prepare) on a decoder of its own. The
// decoder thread reads blocks in and takes them from the front: it decodes a block nobody has
// claimed itself, and completes one the helper prepared. The helper claims the second block
// nobody has claimed, leaving the first to the decoder thread, so neither waits for the other
// while the window holds work. (A lockstep of one block each left a core idle whenever a third
// thread, the decompression of a compressed input, ran on it.)
class SplitWindow {
 public:
  struct Slot {
    enum class Claim { kNone, kHelper, kPrepared };
    Block block;
    Claim claim = Claim::kNone;
    EventDecoder::PreparedBatch out;  // the helper's work
    std::exception_ptr error;         // raised in file order, by the decoder thread
  };

  SplitWindow(const Profile& profile, const std::string& name, bool keep_text,
              std::function<std::unique_ptr<EventBatch>()> take_free)
      : decoder_(profile, name), take_free_(std::move(take_free)) {
    decoder_.set_keep_text(keep_text);
    thread_ = std::thread([this] { Loop(); });
  }
  SplitWindow(const SplitWindow&) = delete;
  SplitWindow& operator=(const SplitWindow&) = delete;
  ~SplitWindow() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      quit_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return slots_.size();
  }
  // A slot to read the next block into: a recycled one when there is one.
  std::unique_ptr<Slot> Spare() {
    std::lock_guard<std::mutex> lock(mu_);
    if (spare_.empty()) return std::make_unique<Slot>();
    auto slot = std::move(spare_.back());
    spare_.pop_back();
    return slot;
  }
  void Add(std::unique_ptr<Slot> slot) {
    std::lock_guard<std::mutex> lock(mu_);
    slot->claim = Slot::Claim::kNone;
    slots_.push_back(std::move(slot));
    cv_.notify_all();
  }
  // The front block, once nobody works on it: unclaimed (the caller decodes it) or prepared.
  // Null when the window is empty.
  std::unique_ptr<Slot> TakeFront() {
    std::unique_lock<std::mutex> lock(mu_);
    if (slots_.empty()) return nullptr;
    cv_.wait(lock, [&] { return slots_.front()->claim != Slot::Claim::kHelper; });
    auto slot = std::move(slots_.front());
    slots_.pop_front();
    cv_.notify_all();
    return slot;
  }
  void Recycle(std::unique_ptr<Slot> slot) {
    slot->out = EventDecoder::PreparedBatch();
    slot->error = nullptr;
    std::lock_guard<std::mutex> lock(mu_);
    spare_.push_back(std::move(slot));
  }

 private:
  // The second unclaimed slot, or null.
  Slot* Claimable() {
    bool first = true;
    for (auto& slot : slots_) {
      if (slot->claim != Slot::Claim::kNone) continue;
      if (!first) return slot.get();
      first = false;
    }
    return nullptr;
  }
  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      Slot* slot = nullptr;
      cv_.wait(lock, [&] { return quit_ || (slot = Claimable()) != nullptr; });
      if (quit_) return;
      slot->claim = Slot::Claim::kHelper;
      lock.unlock();
      slot->out.batch = take_free_();
      try {
        for (const Line& line : slot->block.lines) decoder_.Prepare(line, slot->out);
      } catch (...) {
        slot->error = std::current_exception();
      }
      lock.lock();
      slot->claim = Slot::Claim::kPrepared;
      cv_.notify_all();
    }
  }

  EventDecoder decoder_;
  std::function<std::unique_ptr<EventBatch>()> take_free_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Slot>> slots_;  // file order
  std::vector<std::unique_ptr<Slot>> spare_;
  bool quit_ = false;
  std::thread thread_;
};

}  // namespace

struct SideDecoder::State {
  State(std::unique_ptr<ByteSource> bytes, std::string name, const Profile& prof,
        SideDecoder::Options options)
      : bytes_(std::move(bytes)), name_(std::move(name)), profile_(prof), options_(options) {}
  void Run();
  bool ReadHeader(LineReader& reader, EventDecoder& decoder);
  void RunSequential(LineReader& reader, EventDecoder& decoder);
  void RunSplit(LineReader& reader, EventDecoder& decoder);
  bool ReadBlock(LineReader& reader, Block& block, BatchCut& cut);
  void PushCounted(std::unique_ptr<EventBatch> batch, const LineReader& reader);
  void Finish();
  void Push(std::unique_ptr<EventBatch> batch);
  std::unique_ptr<EventBatch> TakeFree();
  std::unique_ptr<EventBatch> Next();
  void Recycle(std::unique_ptr<EventBatch> batch);
  std::string engine() const;
  uint64_t input_bytes() const;
  std::shared_ptr<const SidePointers> pointers() const;

  std::unique_ptr<ByteSource> bytes_;  // moved into the line reader when the thread starts
  std::string name_;
  Profile profile_;  // a copy: the thread may outlive the caller's
  SideDecoder::Options options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<EventBatch>> ready_;
  std::deque<std::unique_ptr<EventBatch>> free_;
  bool done_ = false;
  std::atomic<bool> stop_{false};  // read per line, without the lock
  std::exception_ptr error_;
  std::string engine_;
  uint64_t input_bytes_ = 0;
  std::shared_ptr<const SidePointers> pointers_;  // set once the input is decoded
};

SideDecoder::SideDecoder(std::unique_ptr<ByteSource> bytes, std::string name,
                         const Profile& profile, Options options)
    : state_(std::make_shared<State>(std::move(bytes), std::move(name), profile, options)) {}

SideDecoder::~SideDecoder() {
  if (!thread_.joinable()) return;
  bool finished;
  {
    std::unique_lock<std::mutex> lock(state_->mu_);
    state_->stop_ = true;
    state_->cv_.notify_all();
    // A working thread sees stop_ at its next line; only one blocked in a read stays.
    finished =
        state_->cv_.wait_for(lock, std::chrono::milliseconds(500), [&] { return state_->done_; });
  }
  if (finished) {
    thread_.join();
  } else {
    thread_.detach();  // it holds state_; the process exits right after the error report
    g_detached_decoders.store(true);
  }
}

void SideDecoder::Start() {
  thread_ = std::thread([state = state_] {
    state->Run();
    state->Finish();  // also after an early return on stop_
  });
}

bool SideDecoder::AnyDetached() { return g_detached_decoders.load(); }

const std::string& SideDecoder::name() const { return state_->name_; }
std::unique_ptr<EventBatch> SideDecoder::Next() { return state_->Next(); }
void SideDecoder::Recycle(std::unique_ptr<EventBatch> batch) { state_->Recycle(std::move(batch)); }
std::string SideDecoder::engine() const { return state_->engine(); }
std::shared_ptr<const SidePointers> SideDecoder::pointers() const { return state_->pointers(); }
uint64_t SideDecoder::input_bytes() const { return state_->input_bytes(); }

std::unique_ptr<EventBatch> SideDecoder::State::TakeFree() {
  std::unique_ptr<EventBatch> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!free_.empty()) {
      batch = std::move(free_.front());
      free_.pop_front();
    }
  }
  if (batch) {
    batch->Clear();
  } else {
    batch = std::make_unique<EventBatch>();
  }
  // A kept text ends past batch_bytes by less than its last line: reserved once, it is not
  // grown by doubling to twice that (~1 MB more per batch in flight, a dozen of them).
  size_t text_bytes = options_.batch_bytes + kTextSlack;
  if (options_.keep_text && batch->text.capacity() < text_bytes) batch->text.reserve(text_bytes);
  return batch;
}

void SideDecoder::State::Push(std::unique_ptr<EventBatch> batch) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] {
    return stop_ || ready_.size() < (options_.keep_text ? kQueueDepthWithText : kQueueDepth);
  });
  if (stop_) return;
  ready_.push_back(std::move(batch));
  cv_.notify_all();
}

// Reads the next batch's lines into `block` (cut as Run cuts them); false once the input has
// ended (the block holds what was left).
bool SideDecoder::State::ReadBlock(LineReader& reader, Block& block, BatchCut& cut) {
  block.text.clear();
  block.lines.clear();
  std::vector<std::pair<size_t, size_t>> spans;  // the text moves as it grows: views at the end
  bool more = true;
  Line line;
  while (true) {
    if (!reader.Next(line)) {
      more = false;
      block.bytes = cut.Rest(reader.bytes_read());
      break;
    }
    if (stop_.load(std::memory_order_relaxed)) return false;
    if (IsBlank(line.text)) continue;
    spans.emplace_back(block.text.size(), line.text.size());
    block.text.append(line.text);
    block.lines.push_back(line);
    if (cut.Ends(line, block.bytes)) break;
  }
  block.text.append(kLinePadding, '\0');
  for (size_t i = 0; i < block.lines.size(); ++i) {
    Line& l = block.lines[i];
    l.text = std::string_view(block.text).substr(spans[i].first, spans[i].second);
    l.readable = block.text.size() - spans[i].first;
  }
  return more;
}

// One input on two threads: this one reads the blocks, decodes those the helper has not
// claimed and completes those it prepared, in file order. For a big input beside a small one,
// whose own decoder would leave a core idle.
void SideDecoder::State::RunSplit(LineReader& reader, EventDecoder& decoder) {
  SplitWindow window(profile_, name_, options_.keep_text, [this] { return TakeFree(); });
  BatchCut cut(options_.batch_bytes);
  bool more = true;
  while (!stop_) {
    while (more && window.size() < kSplitWindow) {
      std::unique_ptr<SplitWindow::Slot> slot = window.Spare();
      more = ReadBlock(reader, slot->block, cut);
      if (stop_) return;
      if (!slot->block.lines.empty()) window.Add(std::move(slot));
    }
    std::unique_ptr<SplitWindow::Slot> slot = window.TakeFront();
    if (!slot) return;
    std::unique_ptr<EventBatch> batch;
    if (slot->claim == SplitWindow::Slot::Claim::kNone) {
      batch = TakeFree();
      for (const Line& line : slot->block.lines) decoder.Decode(line, *batch);
    } else {
      decoder.Complete(slot->out);
      if (slot->error) std::rethrow_exception(slot->error);
      batch = std::move(slot->out.batch);
    }
    batch->bytes = slot->block.bytes;
    window.Recycle(std::move(slot));
    PushCounted(std::move(batch), reader);
  }
}

void SideDecoder::State::PushCounted(std::unique_ptr<EventBatch> batch, const LineReader& reader) {
  Push(std::move(batch));
  std::lock_guard<std::mutex> lock(mu_);
  input_bytes_ = reader.bytes_read();
}

// The first non-blank line: the header. False when the input has none (or the aligner stopped).
bool SideDecoder::State::ReadHeader(LineReader& reader, EventDecoder& decoder) {
  Line line;
  while (reader.Next(line)) {
    if (stop_.load(std::memory_order_relaxed)) return false;
    if (IsBlank(line.text)) continue;
    std::string engine = decoder.DecodeHeader(line);
    std::lock_guard<std::mutex> lock(mu_);
    engine_ = std::move(engine);
    return true;
  }
  if (stop_) return false;
  throw InputError(name_, 0, "empty file: expected a schema_version header line");
}

void SideDecoder::State::Run() {
  try {
    LineReader reader(options_.read_ahead ? DecompressingAhead(std::move(bytes_))
                                          : Decompressing(std::move(bytes_)));
    EventDecoder decoder(profile_, name_);
    decoder.set_keep_text(options_.keep_text);
    if (!ReadHeader(reader, decoder)) return;
    if (options_.split) {
      RunSplit(reader, decoder);
    } else {
      RunSequential(reader, decoder);
    }
    if (stop_) return;
    std::shared_ptr<const SidePointers> pointers = decoder.TakePointers();
    std::lock_guard<std::mutex> lock(mu_);
    input_bytes_ = reader.bytes_read();
    pointers_ = std::move(pointers);
  } catch (...) {
    std::lock_guard<std::mutex> lock(mu_);
    error_ = std::current_exception();
  }
}

void SideDecoder::State::RunSequential(LineReader& reader, EventDecoder& decoder) {
  Line line;
  auto batch = TakeFree();
  BatchCut cut(options_.batch_bytes);
  while (reader.Next(line)) {
    if (stop_.load(std::memory_order_relaxed)) return;  // the aligner gave up (an error)
    if (IsBlank(line.text)) continue;
    decoder.Decode(line, *batch);
    if (cut.Ends(line, batch->bytes)) {
      PushCounted(std::move(batch), reader);
      if (stop_) return;
      batch = TakeFree();
    }
  }
  batch->bytes = cut.Rest(reader.bytes_read());
  if (!batch->events.empty()) Push(std::move(batch));
}

void SideDecoder::State::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  done_ = true;
  free_.clear();  // nothing is decoded any more: the spare batches go (Recycle keeps none)
  cv_.notify_all();
}

std::unique_ptr<EventBatch> SideDecoder::State::Next() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return !ready_.empty() || done_; });
  if (!ready_.empty()) {
    auto batch = std::move(ready_.front());
    ready_.pop_front();
    cv_.notify_all();
    return batch;
  }
  if (error_) std::rethrow_exception(error_);
  return nullptr;
}

void SideDecoder::State::Recycle(std::unique_ptr<EventBatch> batch) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!done_ && free_.size() < kQueueDepth + 2) free_.push_back(std::move(batch));
}

std::string SideDecoder::State::engine() const {
  std::lock_guard<std::mutex> lock(mu_);
  return engine_;
}

uint64_t SideDecoder::State::input_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return input_bytes_;
}

std::shared_ptr<const SidePointers> SideDecoder::State::pointers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pointers_;
}

}  // namespace de
