#include "recinfer/tensor.h"

#include "recinfer/limits.h"

#include <sys/sysinfo.h>

#include <algorithm>
#include <cstdlib>
#include <new>

namespace recinfer {

namespace {

// Allocations beyond physical memory plus swap cannot be backed (the memset below touches every
// page): failing them beats being killed by the OOM killer.
uint64_t machine_memory_bytes() {
  static const uint64_t bytes = [] {
    struct sysinfo info {};
    if (sysinfo(&info) != 0) return uint64_t{0};
    return (static_cast<uint64_t>(info.totalram) + info.totalswap) * info.mem_unit;
  }();
  return bytes;
}

}  // namespace

Result<Tensor> Tensor::allocate(DType dtype, const Shape& shape) {
  return allocate(dtype, shape, Limits::kDefaultMaxTensorBytes);
}

Result<Tensor> Tensor::allocate(DType dtype, const Shape& shape, uint64_t max_bytes) {
  const size_t elem = dtype_size(dtype);
  if (elem == 0) return unsupported("cannot allocate a tensor of dtype {}", dtype_name(dtype));
  int64_t numel = 0;
  const auto limit = static_cast<int64_t>(std::min<uint64_t>(max_bytes, uint64_t{1} << 62));
  if (!shape.checked_numel(&numel, limit / static_cast<int64_t>(elem))) {
    return invalid_argument("tensor shape {} of {} is negative or larger than the tensor limit {} "
                            "(raise with --max-tensor-bytes)",
                            shape.to_string(), dtype_name(dtype), format_bytes(max_bytes));
  }
  size_t bytes = static_cast<size_t>(numel) * elem;
  const uint64_t memory = machine_memory_bytes();
  if (memory > 0 && bytes > memory) {
    return make_error(StatusCode::kOutOfRange,
                      "out of memory: tensor {} of {} needs {}, more than this machine's memory "
                      "({})",
                      shape.to_string(), dtype_name(dtype), format_bytes(bytes),
                      format_bytes(memory));
  }
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
