// An optional value kept behind a pointer: one pointer wide while empty. For the rare parts of a
// per-thread record (a divergence, a wait, a cause), so that 100 000 threads that agree do not
// each carry their inline storage. Reads like std::optional; copies are deep.
#pragma once

#include <memory>
#include <optional>
#include <utility>

namespace de {

template <class T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(std::nullopt_t) {}                                       // implicit, like std::optional's
  Boxed(T value) : p_(std::make_unique<T>(std::move(value))) {}  // implicit too
  Boxed(const Boxed& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  Boxed& operator=(std::nullopt_t) {
    p_.reset();
    return *this;
  }
  Boxed& operator=(T value) {
    if (p_) {
      *p_ = std::move(value);
    } else {
      p_ = std::make_unique<T>(std::move(value));
    }
    return *this;
  }

  template <class... Args>
  T& emplace(Args&&... args) {
    p_ = std::make_unique<T>(std::forward<Args>(args)...);
    return *p_;
  }
  void reset() { p_.reset(); }

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return p_ != nullptr; }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace de
