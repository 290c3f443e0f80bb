// Shape: the input's dims as a 1-D int64 tensor; opset 15 adds start/end to take a slice of them.
#include <algorithm>

#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

// [start, end) of the dims to emit, clamped as the spec says (negative counts from the back).
void dims_window(const ir::Node& node, int rank, int64_t* start, int64_t* end) {
  int64_t b = 0;
  int64_t e = rank;
  if (node.opset >= 15) {
    b = node.attr_int("start", 0);
    e = node.attr_int("end", rank);
  }
  if (b < 0) b += rank;
  if (e < 0) e += rank;
  *start = std::clamp<int64_t>(b, 0, rank);
  *end = std::clamp<int64_t>(e, 0, rank);
}

class ShapeKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Shape& in = ctx.input(0)->shape();
    int64_t start = 0;
    int64_t end = 0;
    dims_window(ctx.node(), in.rank(), &start, &end);
    auto* out = ctx.output(0).data<int64_t>();
    for (int64_t d = start; d < end; ++d) out[d - start] = in[static_cast<int>(d)];
    return Status::ok();
  }
};

}  // namespace

Status infer_shape(InferContext& ctx) {
  // Any dtype, strings included: only the shape is read.
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  int64_t start = 0;
  int64_t end = 0;
  dims_window(ctx.node(), data->shape.rank(), &start, &end);
  ctx.set_output(0, DType::kInt64, Shape{std::max<int64_t>(0, end - start)});
  return Status::ok();
}

std::unique_ptr<Kernel> make_shape(const ir::Node&) { return std::make_unique<ShapeKernel>(); }

}  // namespace recinfer::kernels
