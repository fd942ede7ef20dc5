// A byte source read on its own thread, a few blocks ahead of its reader: decompression then
// runs beside the decoder instead of inside it. With one input much larger than the other (the
// users' usual case), the small side's core is idle most of the diff; this puts it to work.
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "diff_events/io/byte_source.h"

namespace de {
namespace {

constexpr size_t kBlockBytes = 1 << 20;
constexpr size_t kBlocksAhead = 3;

class ReadAheadSource : public ByteSource {
 public:
  explicit ReadAheadSource(std::unique_ptr<ByteSource> inner)
      : inner_(std::move(inner)), name_(inner_->name()) {
    thread_ = std::thread([this] { Fill(); });
  }
  ~ReadAheadSource() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();  // a read blocked on a silent pipe: the decoder's owner lets that thread go
  }

  size_t Read(char* dst, size_t capacity) override {
    if (pos_ == current_.size()) {
      std::unique_lock<std::mutex> lock(mu_);
      if (!current_.empty()) free_.push_back(std::move(current_));
      cv_.notify_all();
      cv_.wait(lock, [&] { return !ready_.empty() || done_; });
      if (ready_.empty()) {
        if (error_) std::rethrow_exception(error_);
        return 0;
      }
      current_ = std::move(ready_.front());
      ready_.pop_front();
      pos_ = 0;
      cv_.notify_all();
    }
    size_t n = std::min(capacity, current_.size() - pos_);
    std::memcpy(dst, current_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  void Fill() {
    for (bool more = true; more;) {
      std::vector<char> block;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || ready_.size() < kBlocksAhead; });
        if (stop_) break;
        if (!free_.empty()) {
          block = std::move(free_.back());
          free_.pop_back();
        }
      }
      block.resize(kBlockBytes);
      size_t have = 0;
      std::exception_ptr error;
      try {
        while (have < block.size()) {  // whole blocks: fewer hand-overs
          size_t n = inner_->Read(block.data() + have, block.size() - have);
          if (n == 0) break;
          have += n;
        }
      } catch (...) {
        error = std::current_exception();  // after the bytes read before it
      }
      more = have == block.size() && !error;
      block.resize(have);
      std::lock_guard<std::mutex> lock(mu_);
      if (have > 0) ready_.push_back(std::move(block));
      error_ = error;
      cv_.notify_all();
    }
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
    cv_.notify_all();
  }

  std::unique_ptr<ByteSource> inner_;
  std::string name_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<char>> ready_;
  std::vector<std::vector<char>> free_;
  bool stop_ = false;
  bool done_ = false;
  std::exception_ptr error_;
  // The reader's side, touched by Read only.
  std::vector<char> current_;
  size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> ReadingAhead(std::unique_ptr<ByteSource> inner) {
  return std::make_unique<ReadAheadSource>(std::move(inner));
}

}  // namespace de
