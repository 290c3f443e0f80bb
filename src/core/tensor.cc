#include "recinfer/tensor.h"

#include <cstdlib>
#include <new>

namespace recinfer {

Result<Tensor> Tensor::allocate(DType dtype, const Shape& shape) {
  const size_t elem = dtype_size(dtype);
  if (elem == 0) return unsupported("cannot allocate a tensor of dtype {}", dtype_name(dtype));
  int64_t numel = 0;
  if (!shape.checked_numel(&numel, kMaxTensorBytes / static_cast<int64_t>(elem))) {
    return invalid_argument("tensor shape {} of {} is negative or larger than {} GiB",
                            shape.to_string(), dtype_name(dtype), kMaxTensorBytes >> 30);
  }
  size_t bytes = static_cast<size_t>(numel) * elem;
  size_t rounded = (bytes + kTensorAlignment - 1) / kTensorAlignment * kTensorAlignment;
  if (rounded == 0) rounded = kTensorAlignment;
  void* data = std::aligned_alloc(kTensorAlignment, rounded);
  if (data == nullptr) {
    return make_error(StatusCode::kInternal, "out of memory allocating {} bytes for {}{}", rounded,
                      dtype_name(dtype), shape.to_string());
  }
  std::memset(data, 0, rounded);
  std::shared_ptr<void> owner(data, [](void* p) { std::free(p); });
  return Tensor(dtype, shape, data, std::move(owner));
}

Result<Tensor> Tensor::clone() const {
  auto copy = allocate(dtype_, shape_);
  if (!copy.is_ok()) return copy.status();
  if (bytes() > 0) std::memcpy(copy->raw(), data_, bytes());
  return copy;
}

}  // namespace recinfer
