// A short list of trivially copyable values that keeps its first value inline. A key's tids and
// handles are one value for most keys: a std::vector would cost 24 bytes plus a 32-byte heap
// block for it, a million times over; this costs 8 + sizeof(T) bytes and no heap block.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <new>
#include <type_traits>
#include <utility>

namespace de {

template <typename T>
class SmallList {
  static_assert(std::is_trivially_copyable_v<T>, "values are moved with memcpy");

 public:
  using value_type = T;
  using iterator = T*;
  using const_iterator = const T*;

  SmallList() = default;
  SmallList(std::initializer_list<T> values) {
    for (const T& v : values) push_back(v);
  }
  SmallList(const SmallList& o) { *this = o; }
  SmallList(SmallList&& o) noexcept { Steal(o); }
  SmallList& operator=(const SmallList& o) {
    if (this == &o) return *this;
    clear();
    reserve(o.size_);
    std::memcpy(data(), o.data(), o.size_ * sizeof(T));
    size_ = o.size_;
    return *this;
  }
  SmallList& operator=(SmallList&& o) noexcept {
    if (this != &o) {
      Free();
      Steal(o);
    }
    return *this;
  }
  ~SmallList() { Free(); }

  T* data() { return capacity_ == 1 ? &value_.one : value_.heap; }
  const T* data() const { return capacity_ == 1 ? &value_.one : value_.heap; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  const T& front() const { return data()[0]; }
  const T& back() const { return data()[size_ - 1]; }

  void reserve(size_t n) {
    if (n <= capacity_) return;
    T* grown = static_cast<T*>(std::malloc(n * sizeof(T)));
    if (!grown) throw std::bad_alloc();
    std::memcpy(grown, data(), size_ * sizeof(T));
    if (capacity_ > 1) std::free(value_.heap);
    value_.heap = grown;
    capacity_ = static_cast<uint32_t>(n);
  }
  void push_back(const T& value) { insert(end(), value); }
  T* insert(const T* at, const T& value) {
    size_t i = static_cast<size_t>(at - data());
    if (size_ == capacity_) reserve(size_ < 4 ? 4 : 2 * size_);
    T* d = data();
    std::memmove(d + i + 1, d + i, (size_ - i) * sizeof(T));
    d[i] = value;
    ++size_;
    return d + i;
  }
  void clear() { size_ = 0; }

  friend bool operator==(const SmallList& a, const SmallList& b) {
    if (a.size_ != b.size_) return false;
    for (size_t i = 0; i < a.size_; ++i)
      if (!(a[i] == b[i])) return false;
    return true;
  }

 private:
  void Free() {
    if (capacity_ > 1) std::free(value_.heap);
    capacity_ = 1;
    size_ = 0;
  }
  void Steal(SmallList& o) {
    size_ = o.size_;
    capacity_ = o.capacity_;
    std::memcpy(static_cast<void*>(&value_), &o.value_, sizeof value_);  // inline or pointer
    o.capacity_ = 1;
    o.size_ = 0;
  }

  uint32_t size_ = 0;
  uint32_t capacity_ = 1;  // 1: the value is inline
  union Value {
    T one;
    T* heap = nullptr;
  } value_;
};

}  // namespace de
