// The axis semantics shared by Softmax, LogSoftmax and Hardmax. Before opset 13 the input is
// coerced to 2-D at `axis` (default 1) and each row of the flattened trailing part is one group;
// from opset 13 the group runs along one axis (default -1). Both become outer x n x inner with
// the operation taken over n.
#pragma once

#include "ir/graph.h"
#include "recinfer/shape.h"
#include "recinfer/status.h"

namespace recinfer::kernels::reduce {

struct SoftmaxSplit {
  int64_t outer = 1;
  int64_t n = 1;
  int64_t inner = 1;
};

inline Status softmax_split(const ir::Node& node, const Shape& shape, SoftmaxSplit* split) {
  const bool per_axis = node.opset >= 13;
  const int64_t axis_attr = node.attr_int("axis", per_axis ? -1 : 1);
  int axis = 0;
  if (!normalize_axis(axis_attr, shape.rank(), &axis)) {
    return invalid_argument("axis {} is out of range for input shape {}", axis_attr,
                            shape.to_string());
  }
  split->outer = shape.product(0, axis);
  if (per_axis) {
    split->n = shape[axis];
    split->inner = shape.product(axis + 1, shape.rank());
  } else {
    split->n = shape.product(axis, shape.rank());
    split->inner = 1;
  }
  return Status::ok();
}

}  // namespace recinfer::kernels::reduce
