// ScatterND(data, indices, updates): out = data, then every row of indices' last axis (a tuple
// of k coordinates into data's leading dims, negative ones counted from the end) addresses a
// slice data[tuple] of shape data.shape[k:], which takes (op)= the matching slice of updates.
// updates.shape = indices.shape[:-1] + data.shape[k:]. Tuples apply in order on one thread so
// duplicates resolve deterministically; a coordinate outside its dim is an error returned before
// anything is written. A loop of slice updates: the kernel is its own reference.
#include <cstring>

#include "kernels/embedding/embedding_kernels.h"
#include "kernels/embedding/index_check.h"
#include "kernels/embedding/scatter_common.h"

namespace recinfer::kernels {

// Family helpers live in kernels::embedding so their short names cannot clash across families.
using namespace embedding;  // NOLINT(google-build-using-namespace)

namespace {

ScatterReduction reduction_of(const ir::Node& node) {
  ScatterReduction r = ScatterReduction::kNone;
  if (node.opset >= 16) (void)parse_reduction(node, &r);  // infer already rejected bad names
  return r;
}

class ScatterNDKernel final : public Kernel {
 public:
  explicit ScatterNDKernel(const ir::Node& node) : reduction_(reduction_of(node)) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const Tensor& indices = *ctx.input(1);
    const Tensor& updates = *ctx.input(2);
    Tensor& out = ctx.output(0);
    const int k = static_cast<int>(indices.shape()[indices.rank() - 1]);
    const int64_t tuples = indices.numel() / std::max(k, 1);
    const int64_t slice = data.shape().product(k, data.rank());
    // Validate every coordinate first so a bad one leaves nothing half-written.
    for (int64_t p = 0; p < tuples * k; ++p) {
      const int axis = static_cast<int>(p % k);
      int64_t c = 0;
      if (!wrap_index(index_at(indices, p), data.shape()[axis], &c)) {
        return bad_index_error(ctx, indices, p, axis, data.shape()[axis]);
      }
    }
    if (out.raw() != data.raw() && data.bytes() > 0) {
      std::memcpy(out.raw(), data.raw(), data.bytes());
    }
    if (slice == 0) return Status::ok();
    return dispatch_scatter(data.dtype(), reduction_, [&](auto tag, auto op) {
      using T = decltype(tag);
      const T* src = updates.data<T>();
      T* dst = out.data<T>();
      for (int64_t t = 0; t < tuples; ++t) {
        int64_t offset = 0;
        for (int a = 0; a < k; ++a) {
          int64_t c = 0;
          wrap_index(index_at(indices, t * k + a), data.shape()[a], &c);
          offset = offset * data.shape()[a] + c;
        }
        T* to = dst + offset * slice;
        const T* from = src + t * slice;
        for (int64_t i = 0; i < slice; ++i) op(to[i], from[i]);
      }
      return Status::ok();
    });
  }

 private:
  ScatterReduction reduction_;
};

}  // namespace

Status infer_scatter_nd(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* indices, ctx.required_input(1));
  RI_ASSIGN_OR_RETURN(const TensorInfo* updates, ctx.required_input(2));
  RI_RETURN_IF_ERROR(check_index_dtype(ctx, indices->dtype));
  ScatterReduction reduction = ScatterReduction::kNone;
  if (ctx.opset() >= 16) RI_RETURN_IF_ERROR(parse_reduction(ctx.node(), &reduction));
  RI_RETURN_IF_ERROR(check_scatter_dtype(ctx, data->dtype, reduction));
  if (updates->dtype != data->dtype) {
    return ctx.error(StatusCode::kInvalidArgument, "updates dtype {} differs from data dtype {}",
                     dtype_name(updates->dtype), dtype_name(data->dtype));
  }
  const Shape& is = indices->shape;
  const Shape& ds = data->shape;
  if (ds.rank() < 1 || is.rank() < 1 || is[is.rank() - 1] > ds.rank()) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "indices {} must have rank >= 1 and a last dim <= rank of data {}",
                     is.to_string(), ds.to_string());
  }
  const int k = static_cast<int>(is[is.rank() - 1]);
  // updates.shape must be indices.shape[:-1] + data.shape[k:].
  Shape expected;
  if (is.rank() - 1 + ds.rank() - k > Shape::kMaxRank) {
    return ctx.error(StatusCode::kUnsupported, "updates rank exceeds {}", Shape::kMaxRank);
  }
  for (int d = 0; d < is.rank() - 1; ++d) expected.push_back(is[d]);
  for (int d = k; d < ds.rank(); ++d) expected.push_back(ds[d]);
  if (updates->shape != expected) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "updates {} must have shape {} for indices {} and data {}",
                     updates->shape.to_string(), expected.to_string(), is.to_string(),
                     ds.to_string());
  }
  ctx.set_output(0, data->dtype, data->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_scatter_nd(const ir::Node& node) {
  return std::make_unique<ScatterNDKernel>(node);
}

}  // namespace recinfer::kernels
