// GatherND (opset 11-13, batch_dims from 12): each row of the last indices axis addresses a
// slice of `data` after the batch dims; the slice (everything past the addressed dims) is copied.
// out.shape = indices.shape[:-1] + data.shape[batch_dims + m:], m = indices.shape[-1].
// Exporters emit it for boolean-mask indexing (x[mask] -> NonZero, Transpose, GatherND).
#include <cstring>

#include "kernels/embedding/embedding_kernels.h"
#include "kernels/embedding/index_check.h"

namespace recinfer::kernels {

using namespace embedding;  // NOLINT(google-build-using-namespace)

namespace {

struct NdGeometry {
  int batch_dims = 0;
  int64_t batch = 1;        // product of the batch dims
  int64_t per_batch = 1;    // index tuples per batch entry
  int m = 0;                // length of one index tuple
  int64_t slice_bytes = 0;  // bytes copied per tuple
  int64_t data_batch_stride = 0;  // bytes per batch entry of data
};

Status read_batch_dims(const ir::Node& node, int* out) {
  const int64_t b = node.attr_int("batch_dims", 0);
  if (b < 0 || b > Shape::kMaxRank) {
    return invalid_argument("{}: batch_dims {} is invalid", node.describe(), b);
  }
  *out = static_cast<int>(b);
  return Status::ok();
}

class GatherNDKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const Tensor& indices = *ctx.input(1);
    Tensor& out = ctx.output(0);
    int b = 0;
    RI_RETURN_IF_ERROR(read_batch_dims(ctx.node(), &b));
    NdGeometry g;
    g.batch_dims = b;
    g.batch = indices.shape().product(0, b);
    g.m = static_cast<int>(indices.shape()[indices.rank() - 1]);
    g.per_batch = indices.shape().product(b, indices.rank() - 1);
    const auto elem = static_cast<int64_t>(dtype_size(data.dtype()));
    g.slice_bytes = data.shape().product(b + g.m, data.rank()) * elem;
    g.data_batch_stride = data.shape().product(b, data.rank()) * elem;

    const char* src = static_cast<const char*>(data.raw());
    char* dst = static_cast<char*>(out.raw());
    const int64_t tuples = g.batch * g.per_batch;
    for (int64_t t = 0; t < tuples; ++t) {
      const int64_t batch_index = g.per_batch == 0 ? 0 : t / g.per_batch;
      int64_t offset = batch_index * g.data_batch_stride;
      for (int k = 0; k < g.m; ++k) {
        const int64_t dim = data.shape()[b + k];
        int64_t wrapped = 0;
        const int64_t position = t * g.m + k;
        if (!wrap_index(index_at(indices, position), dim, &wrapped)) {
          return bad_index_error(ctx, indices, position, b + k, dim);
        }
        offset += wrapped * (g.slice_bytes * data.shape().product(b + k + 1, b + g.m));
      }
      if (g.slice_bytes > 0) std::memcpy(dst + t * g.slice_bytes, src + offset, static_cast<size_t>(g.slice_bytes));
    }
    return Status::ok();
  }
};

}  // namespace

Status infer_gather_nd(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* indices, ctx.required_input(1));
  RI_RETURN_IF_ERROR(check_gatherable_dtype(ctx, data->dtype));
  if (indices->dtype != DType::kInt64) {
    return ctx.error(StatusCode::kInvalidArgument, "indices must be int64, got {}",
                     dtype_name(indices->dtype));
  }
  int b = 0;
  RI_RETURN_IF_ERROR(read_batch_dims(ctx.node(), &b));
  const int r = data->shape.rank(), q = indices->shape.rank();
  if (r < 1 || q < 1 || b >= std::min(r, q)) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "needs rank(data) {} and rank(indices) {} above batch_dims {}", r, q, b);
  }
  for (int d = 0; d < b; ++d) {
    if (data->shape[d] != indices->shape[d]) {
      return ctx.error(StatusCode::kInvalidArgument, "batch dim {} differs: data {} vs indices {}",
                       d, data->shape.to_string(), indices->shape.to_string());
    }
  }
  const int64_t m = indices->shape[q - 1];
  if (m < 1 || m > r - b) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "indices last dim {} must be in [1, {}] (data {}, batch_dims {})", m, r - b,
                     data->shape.to_string(), b);
  }
  Shape out;
  for (int d = 0; d < q - 1; ++d) out.push_back(indices->shape[d]);
  for (int d = b + static_cast<int>(m); d < r; ++d) {
    if (!Shape::fits(static_cast<size_t>(out.rank() + 1))) {
      return ctx.error(StatusCode::kUnsupported, "output rank exceeds {}", Shape::kMaxRank);
    }
    out.push_back(data->shape[d]);
  }
  ctx.set_output(0, data->dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_gather_nd(const ir::Node&) { return std::make_unique<GatherNDKernel>(); }

}  // namespace recinfer::kernels
