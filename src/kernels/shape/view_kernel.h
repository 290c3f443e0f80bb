// The kernel of the view ops (Reshape, Flatten, Squeeze, Unsqueeze, Identity): the output bytes
// equal the input bytes, only the shape differs. The planner may alias output to input (see
// aliasing.h), in which case there is nothing to copy.
#pragma once

#include "kernels/kernel.h"

namespace recinfer::kernels::layout {

// Computes the output shape from the inputs at run time, for view ops whose shape depends on
// input values (Reshape's shape, Squeeze/Unsqueeze-13 axes): infer may have marked the output
// dynamic, so compute has to size it itself.
using ViewShapeFn = Status (*)(const KernelContext& ctx, Shape* out);

class ViewKernel final : public Kernel {
 public:
  // shape_fn null: the output shape depends on the input shape only and infer fixed it.
  explicit ViewKernel(ViewShapeFn shape_fn) : shape_fn_(shape_fn) {}
  Status compute(KernelContext& ctx) const override;

 private:
  ViewShapeFn shape_fn_;
};

}  // namespace recinfer::kernels::layout
