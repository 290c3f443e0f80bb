// Compress(input, condition): keeps the slices along `axis` whose condition entry is true (the
// flattened input when axis is absent). A condition shorter than the axis drops the remaining
// slices; entries past the axis are ignored. The output length is data-dependent: static when the
// condition is a constant, otherwise the step is dynamic and sized when it runs. A loop of slice
// copies: the kernel is its own reference.
#include <algorithm>
#include <cstring>

#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

// The axis geometry: `outer` blocks of `dim` slices of `inner` elements.
struct CompressGeometry {
  int64_t outer = 1;
  int64_t dim = 0;
  int64_t inner = 1;
  int axis = -1;  // -1: flattened
};

Status geometry(const ir::Node& node, const Shape& in, CompressGeometry* g) {
  if (!node.has_attr("axis")) {
    g->dim = in.numel();
    return Status::ok();
  }
  const int64_t axis_attr = node.attr_int("axis", 0);
  if (!normalize_axis(axis_attr, in.rank(), &g->axis)) {
    return node_error(node, StatusCode::kInvalidArgument, "axis {} is out of range for input {}",
                      axis_attr, in.to_string());
  }
  g->outer = in.product(0, g->axis);
  g->dim = in[g->axis];
  g->inner = in.product(g->axis + 1, in.rank());
  return Status::ok();
}

int64_t count_kept(const Tensor& condition, int64_t dim) {
  const bool* c = condition.data<bool>();
  const int64_t n = std::min(dim, condition.numel());
  int64_t kept = 0;
  for (int64_t i = 0; i < n; ++i) kept += c[i] ? 1 : 0;
  return kept;
}

Shape output_shape(const Shape& in, const CompressGeometry& g, int64_t kept) {
  if (g.axis < 0) return Shape{kept};
  Shape out = in;
  out[g.axis] = kept;
  return out;
}

class CompressKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& in = *ctx.input(0);
    const Tensor& condition = *ctx.input(1);
    CompressGeometry g;
    RI_RETURN_IF_ERROR(geometry(ctx.node(), in.shape(), &g));
    const int64_t kept = count_kept(condition, g.dim);
    RI_ASSIGN_OR_RETURN(Tensor * out,
                        bind_output_shape(ctx, 0, in.dtype(), output_shape(in.shape(), g, kept)));
    if (out->numel() == 0) return Status::ok();
    const auto slice_bytes = static_cast<int64_t>(dtype_size(in.dtype())) * g.inner;
    const bool* c = condition.data<bool>();
    const int64_t n = std::min(g.dim, condition.numel());
    const auto* src = static_cast<const char*>(in.raw());
    auto* dst = static_cast<char*>(out->raw());
    for (int64_t o = 0; o < g.outer; ++o) {
      const char* block = src + o * g.dim * slice_bytes;
      for (int64_t i = 0; i < n; ++i) {
        if (!c[i]) continue;
        std::memcpy(dst, block + i * slice_bytes, static_cast<size_t>(slice_bytes));
        dst += slice_bytes;
      }
    }
    return Status::ok();
  }
};

}  // namespace

Status infer_compress(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* condition, ctx.required_input(1));
  RI_RETURN_IF_ERROR(check_movable_dtype(ctx.node(), data->dtype, "input"));
  if (condition->dtype != DType::kBool || condition->shape.rank() != 1) {
    return ctx.error(StatusCode::kInvalidArgument, "condition must be a 1-D bool tensor, got {} {}",
                     dtype_name(condition->dtype), condition->shape.to_string());
  }
  CompressGeometry g;
  RI_RETURN_IF_ERROR(geometry(ctx.node(), data->shape, &g));
  if (condition->value == nullptr) {
    ctx.set_output_dynamic(0, data->dtype);
    return Status::ok();
  }
  ctx.set_output(0, data->dtype, output_shape(data->shape, g, count_kept(*condition->value, g.dim)));
  return Status::ok();
}

std::unique_ptr<Kernel> make_compress(const ir::Node&) {
  return std::make_unique<CompressKernel>();
}

}  // namespace recinfer::kernels
