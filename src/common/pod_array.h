// An array of plain values that either owns its elements (while an index is built) or views
// elements that live elsewhere (a snapshot mapped into memory), with one read path for both.
//   PodArray<uint32_t> a;  a.push_back(3);            // owning
//   PodArray<uint32_t> b = PodArray<uint32_t>::View(ptr, n);   // viewing; ptr must outlive b
//   PodArray<uint32_t> c = PodArray<uint32_t>::Borrow(arena_ptr, n);  // viewing, writable in place
// Reads (size, [], data, begin/end, back) cost the same either way: they use a cached pointer.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>
#include <vector>

namespace ts {

template <typename T>
class PodArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  PodArray() = default;
  static PodArray View(const T* data, size_t n) {
    PodArray a;
    a.data_ = data;
    a.size_ = n;
    return a;
  }
  // Views `n` elements owned elsewhere (an arena that outlives the array) that may be rewritten
  // in place through mutable_data().
  static PodArray Borrow(T* data, size_t n) {
    PodArray a;
    a.data_ = data;
    a.size_ = n;
    a.writable_ = true;
    return a;
  }
  static PodArray Copy(const T* data, size_t n) {
    PodArray a;
    a.own_.assign(data, data + n);
    a.data_ = a.own_.data();
    a.size_ = n;
    return a;
  }
  // Takes ownership of `v`'s elements.
  static PodArray Adopt(std::vector<T>&& v) {
    PodArray a;
    a.own_ = std::move(v);
    a.data_ = a.own_.data();
    a.size_ = a.own_.size();
    return a;
  }
  PodArray(const PodArray& o)
      : own_(o.own_), data_(o.owning() ? own_.data() : o.data_), size_(o.size_), writable_(o.writable_) {}
  PodArray(PodArray&& o) noexcept : own_(std::move(o.own_)), data_(o.data_), size_(o.size_), writable_(o.writable_) {
    if (!own_.empty() || o.data_ == nullptr) data_ = own_.data();
    o.data_ = nullptr;
    o.size_ = 0;
  }
  PodArray& operator=(PodArray o) noexcept {
    swap(o);
    return *this;
  }
  void swap(PodArray& o) noexcept {
    bool mine = owning(), theirs = o.owning();
    own_.swap(o.own_);
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(writable_, o.writable_);
    if (mine) o.data_ = o.own_.data();
    if (theirs) data_ = own_.data();
  }

  // Owning only (building): appends, keeping the cached pointer current.
  void push_back(const T& v) {
    own_.push_back(v);
    data_ = own_.data();
    size_ = own_.size();
  }
  T& back_mut() { return own_.back(); }
  // Owning or borrowed only (else nullptr): the elements, to rewrite in place.
  T* mutable_data() {
    if (owning()) return own_.data();
    return writable_ ? const_cast<T*>(data_) : nullptr;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T* data() const { return data_; }
  const T& operator[](size_t i) const { return data_[i]; }
  const T& back() const { return data_[size_ - 1]; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  size_t capacity() const { return owning() ? own_.capacity() : 0; }
  bool owning() const { return data_ == own_.data() && (size_ == own_.size()); }

 private:
  std::vector<T> own_;
  const T* data_ = nullptr;
  size_t size_ = 0;
  bool writable_ = false;  // a borrowed view
};

}  // namespace ts
