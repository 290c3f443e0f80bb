// Tensor: dtype + shape + a pointer to data, plus an optional owner that keeps the data alive.
// Copying a Tensor copies the view (and a reference on the owner), never the data and never
// allocates. Tensors from Tensor::allocate own 64-byte aligned memory; views into an arena or a
// memory-mapped weight file share the arena/mapping's lifetime through `owner`.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>

#include "recinfer/dtype.h"
#include "recinfer/shape.h"
#include "recinfer/status.h"

namespace recinfer {

inline constexpr size_t kTensorAlignment = 64;
// Hard upper bound for one tensor (64 TiB), beyond any machine and any Limits::max_tensor_bytes:
// shape inference refuses larger outputs (a malformed model's Expand to 2^60 rows, say) before
// their byte counts can wrap in the arena plan. The configurable budget is Limits.
inline constexpr int64_t kMaxTensorBytes = int64_t{1} << 46;

class Tensor {
 public:
  Tensor() = default;
  Tensor(DType dtype, const Shape& shape, void* data, std::shared_ptr<void> owner = nullptr)
      : dtype_(dtype), shape_(shape), data_(data), owner_(std::move(owner)) {}

  // Allocates zero-initialised, 64-byte aligned storage; fails (no throw) on overflow, OOM, more
  // than `max_bytes` (default: Limits::kDefaultMaxTensorBytes) or more than this machine's memory.
  static Result<Tensor> allocate(DType dtype, const Shape& shape);
  static Result<Tensor> allocate(DType dtype, const Shape& shape, uint64_t max_bytes);
  template <typename T>
  static Result<Tensor> from_vector(const Shape& shape, const std::vector<T>& values);

  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int rank() const { return shape_.rank(); }
  int64_t numel() const { return shape_.numel(); }
  size_t bytes() const { return static_cast<size_t>(numel()) * dtype_size(dtype_); }
  bool defined() const { return dtype_ != DType::kUndefined; }

  void* raw() { return data_; }
  const void* raw() const { return data_; }
  template <typename T>
  T* data() { return static_cast<T*>(data_); }
  template <typename T>
  const T* data() const { return static_cast<const T*>(data_); }

  const std::shared_ptr<void>& owner() const { return owner_; }
  // Same data, new shape with the same element count (caller checks).
  Tensor reshaped(const Shape& shape) const { return Tensor(dtype_, shape, data_, owner_); }
  // Deep copy into freshly allocated storage.
  Result<Tensor> clone() const;

 private:
  DType dtype_ = DType::kUndefined;
  Shape shape_;
  void* data_ = nullptr;
  std::shared_ptr<void> owner_;
};

template <typename T>
Result<Tensor> Tensor::from_vector(const Shape& shape, const std::vector<T>& values) {
  auto tensor = allocate(dtype_of<T>(), shape);
  if (!tensor.is_ok()) return tensor.status();
  if (static_cast<size_t>(tensor->numel()) != values.size()) {
    return invalid_argument("from_vector: shape {} holds {} elements, got {}", shape.to_string(),
                            tensor->numel(), values.size());
  }
  if constexpr (std::is_same_v<T, bool>) {
    for (size_t i = 0; i < values.size(); ++i) tensor->template data<bool>()[i] = values[i];
  } else if (!values.empty()) {
    std::memcpy(tensor->raw(), values.data(), values.size() * sizeof(T));
  }
  return tensor;
}

}  // namespace recinfer
