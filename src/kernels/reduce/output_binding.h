// Binding outputs whose shape depends on input values (ReduceSum's axes, TopK's K, ...).
// At plan time such an output may be marked dynamic and arrive unbound; at run time the runtime
// may already have bound it with the re-inferred shape. Either way the kernel gets a tensor of
// the right shape, allocating only when nothing suitable is bound.
#pragma once

#include "kernels/kernel.h"

namespace recinfer::kernels::reduce {

inline Result<Tensor*> bind_output(KernelContext& ctx, int i, DType dtype, const Shape& shape) {
  Tensor& out = ctx.output(i);
  if (out.raw() != nullptr && out.dtype() == dtype && out.shape() == shape) return &out;
  return ctx.allocate_output(i, dtype, shape);
}

// Prefixes a helper's status with the node description, as ctx.error does. Checks first, so
// the ok path builds no string (compute must not allocate).
inline Status with_node(const Status& status, const ir::Node& node) {
  if (status.is_ok()) return status;
  return status.with_context(node.describe());
}

}  // namespace recinfer::kernels::reduce
