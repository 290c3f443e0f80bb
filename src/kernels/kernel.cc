#include "kernels/kernel.h"

namespace recinfer::kernels {

Result<const TensorInfo*> InferContext::required_input(int i) const {
  const TensorInfo* info = input(i);
  if (info == nullptr) {
    return error(StatusCode::kInvalidArgument, "required input {} is missing", i);
  }
  return info;
}

const Limits& KernelContext::limits() const {
  static const Limits kDefaults;
  return limits_ != nullptr ? *limits_ : kDefaults;
}

Result<Tensor*> KernelContext::allocate_output(int i, DType dtype, const Shape& shape) {
  Tensor& out = outputs_[i];
  int64_t numel = 0;
  // Bounded like Tensor::allocate: an unbounded count could wrap `need` below and reuse a
  // buffer far too small.
  const auto elem = static_cast<int64_t>(std::max<size_t>(dtype_size(dtype), 1));
  if (!shape.checked_numel(&numel, kMaxTensorBytes / elem)) {
    return error(StatusCode::kInvalidArgument, "output {} has invalid or too large shape {}", i,
                 shape.to_string());
  }
  const size_t need = static_cast<size_t>(numel) * dtype_size(dtype);
  // Reuse storage we own when it is big enough; the owner records the capacity.
  if (out.owner() && out.raw() != nullptr && out.bytes() >= need && out.dtype() == dtype) {
    out = Tensor(dtype, shape, out.raw(), out.owner());
    return &out;
  }
  auto fresh = Tensor::allocate(dtype, shape, limits().max_tensor_bytes);
  if (!fresh.is_ok()) return fresh.status().with_context(node_.describe());
  out = std::move(fresh).value();
  return &out;
}

}  // namespace recinfer::kernels
