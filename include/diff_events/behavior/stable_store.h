// Records appended in chunks that never move: a map may point at them. Unlike std::deque, whose
// 512-byte nodes hold two 200-byte records in 512 bytes, a chunk wastes nothing per record; and
// unlike std::vector, growing never holds the old and the new array at once.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace de {

template <class T, size_t kChunk = 1024>
class StableStore {
 public:
  T& emplace_back() {
    if (size_ % kChunk == 0) chunks_.push_back(std::make_unique<T[]>(kChunk));
    return chunks_.back()[size_++ % kChunk];
  }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return chunks_[i / kChunk][i % kChunk]; }
  const T& operator[](size_t i) const { return chunks_[i / kChunk][i % kChunk]; }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  size_t size_ = 0;
};

}  // namespace de
