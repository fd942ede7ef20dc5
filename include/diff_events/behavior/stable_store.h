// Records appended in chunks that never move: a map may point at them. Unlike std::deque, whose
// 512-byte nodes hold two 200-byte records in 512 bytes, a chunk wastes nothing per record; and
// unlike std::vector, growing never holds the old and the new array at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace de {

template <class T, size_t kChunk = 1024>
class StableStore {
 public:
  T& emplace_back() {
    if (size_ % kChunk == 0) {
      chunks_.push_back(std::make_unique<T[]>(kChunk));
      live_.push_back(0);
    }
    ++live_.back();
    return chunks_.back()[size_++ % kChunk];
  }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return chunks_[i / kChunk][i % kChunk]; }
  const T& operator[](size_t i) const { return chunks_[i / kChunk][i % kChunk]; }

  // Record `i` is not read again: once every record of a full chunk is released, the chunk is
  // freed (one block, which later allocations can reuse whole). Each record at most once.
  void Release(size_t i) {
    size_t c = i / kChunk;
    if (--live_[c] == 0 && (c + 1) * kChunk <= size_) chunks_[c].reset();
  }
  // False once record `i`'s chunk is freed.
  bool held(size_t i) const { return chunks_[i / kChunk] != nullptr; }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::vector<uint32_t> live_;  // per chunk: records not released
  size_t size_ = 0;
};

}  // namespace de
