#include "diff_events/decode/side_decoder.h"

#include <atomic>
#include <chrono>

#include "diff_events/decode/event_decoder.h"
#include "diff_events/input_error.h"
#include "diff_events/io/line_reader.h"

namespace de {
namespace {

std::atomic<bool> g_detached_decoders{false};

constexpr size_t kQueueDepth = 4;        // batches in flight per side
constexpr size_t kBatchBytes = 1 << 20;  // raw text per batch

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

}  // namespace

struct SideDecoder::State {
  State(std::unique_ptr<ByteSource> bytes, std::string name, const Profile& prof,
        SideDecoder::Options options)
      : bytes_(std::move(bytes)), name_(std::move(name)), profile_(prof), options_(options) {}
  void Run();
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
  std::lock_guard<std::mutex> lock(mu_);
  if (free_.empty()) return std::make_unique<EventBatch>();
  auto batch = std::move(free_.front());
  free_.pop_front();
  batch->Clear();
  return batch;
}

void SideDecoder::State::Push(std::unique_ptr<EventBatch> batch) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return stop_ || ready_.size() < kQueueDepth; });
  if (stop_) return;
  ready_.push_back(std::move(batch));
  cv_.notify_all();
}

void SideDecoder::State::Run() {
  try {
    LineReader reader(options_.read_ahead ? DecompressingAhead(std::move(bytes_))
                                          : Decompressing(std::move(bytes_)));
    EventDecoder decoder(profile_, name_);
    decoder.set_keep_text(options_.keep_text);
    Line line;
    bool header_seen = false;
    auto batch = TakeFree();
    // A batch's size is that of its lines, not what the reader happened to read ahead: the
    // aligner paces the two inputs by it, and that must depend on content only.
    uint64_t batch_start = 0;  // input offset where the current batch's lines begin
    size_t batch_text = 0;     // the size of its lines' text, kept or not
    while (reader.Next(line)) {
      if (stop_.load(std::memory_order_relaxed)) return;  // the aligner gave up (an error)
      if (IsBlank(line.text)) continue;
      if (!header_seen) {
        std::string engine = decoder.DecodeHeader(line);
        std::lock_guard<std::mutex> lock(mu_);
        engine_ = std::move(engine);
        header_seen = true;
        continue;
      }
      decoder.Decode(line, *batch);
      batch_text += line.text.size();
      if (batch_text >= kBatchBytes) {
        batch_text = 0;
        uint64_t batch_end = line.offset + line.text.size();
        batch->bytes = batch_end - batch_start;
        batch_start = batch_end;
        Push(std::move(batch));
        {
          std::lock_guard<std::mutex> lock(mu_);
          input_bytes_ = reader.bytes_read();
          if (stop_) return;
        }
        batch = TakeFree();
      }
    }
    if (!header_seen) {
      throw InputError(name_, 0, "empty file: expected a schema_version header line");
    }
    batch->bytes = reader.bytes_read() - batch_start;
    if (!batch->events.empty()) Push(std::move(batch));
    std::shared_ptr<const SidePointers> pointers = decoder.TakePointers();
    std::lock_guard<std::mutex> lock(mu_);
    input_bytes_ = reader.bytes_read();
    pointers_ = std::move(pointers);
  } catch (...) {
    std::lock_guard<std::mutex> lock(mu_);
    error_ = std::current_exception();
  }
}

void SideDecoder::State::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  done_ = true;
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
  if (free_.size() < kQueueDepth + 2) free_.push_back(std::move(batch));
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
