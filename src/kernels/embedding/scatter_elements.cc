// ScatterElements (and its deprecated opset 9-10 alias Scatter): out = data, then for every
// position p of indices, out[p with p[axis] replaced by indices[p]] (op)= updates[p], op being the
// reduction (none = assign). indices and updates have the same shape, which may be smaller than
// data in every dim. Indices may be negative (counted from the end); one outside [-n, n) is an
// error naming the node, the value and its position, returned before anything is written.
//
// Positions are applied in row-major order on one thread, so duplicate indices resolve
// deterministically (the last wins for `none`, reductions accumulate in order).
#include <cstring>

#include "kernels/embedding/embedding_kernels.h"
#include "kernels/embedding/index_check.h"
#include "kernels/embedding/scatter_common.h"

namespace recinfer::kernels {

// Family helpers live in kernels::embedding so their short names cannot clash across families.
using namespace embedding;  // NOLINT(google-build-using-namespace)

namespace {

struct ScatterArgs {
  int axis = 0;
  ScatterReduction reduction = ScatterReduction::kNone;
};

Status read_args(const ir::Node& node, int rank, ScatterArgs* args) {
  const int64_t axis = node.attr_int("axis", 0);
  if (!normalize_axis(axis, rank, &args->axis)) {
    return invalid_argument("{}: axis {} is out of range for rank {}", node.describe(), axis,
                            rank);
  }
  // Scatter (opset 9-10) and ScatterElements before 16 have no reduction attribute.
  if (node.op == ir::OpType::kScatterElements && node.opset >= 16) {
    return parse_reduction(node, &args->reduction);
  }
  return Status::ok();
}

// First position whose index is outside [-n, n), or -1.
int64_t first_bad_index(const Tensor& indices, int64_t axis_dim) {
  int64_t k = 0;
  for (int64_t p = 0; p < indices.numel(); ++p) {
    if (!wrap_index(index_at(indices, p), axis_dim, &k)) return p;
  }
  return -1;
}

template <bool kReference>
class ScatterElementsKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const Tensor& indices = *ctx.input(1);
    const Tensor& updates = *ctx.input(2);
    Tensor& out = ctx.output(0);
    ScatterArgs args;
    RI_RETURN_IF_ERROR(read_args(ctx.node(), data.rank(), &args));
    const int64_t axis_dim = data.shape()[args.axis];
    const int64_t bad = first_bad_index(indices, axis_dim);
    if (bad >= 0) return bad_index_error(ctx, indices, bad, args.axis, axis_dim);
    if (out.raw() != data.raw() && data.bytes() > 0) {
      std::memcpy(out.raw(), data.raw(), data.bytes());
    }
    if (indices.numel() == 0) return Status::ok();
    return dispatch_scatter(data.dtype(), args.reduction, [&](auto tag, auto op) {
      using T = decltype(tag);
      if constexpr (kReference) {
        scatter_naive<T>(indices, updates, out, args.axis, op);
      } else {
        scatter_rows<T>(indices, updates, out, args.axis, op);
      }
      return Status::ok();
    });
  }

 private:
  // Row by row along indices' last dim: the data offset of a row is computed once.
  template <typename T, typename Op>
  static void scatter_rows(const Tensor& indices, const Tensor& updates, Tensor& out, int axis,
                           Op op) {
    const Shape& is = indices.shape();
    const int last = is.rank() - 1;
    const int64_t row_len = is[last];
    int64_t strides[Shape::kMaxRank] = {};
    int64_t s = 1;
    for (int d = out.rank() - 1; d >= 0; --d) {
      strides[d] = s;
      s *= out.shape()[d];
    }
    const int64_t axis_dim = out.shape()[axis];
    const T* src = updates.data<T>();
    T* dst = out.data<T>();
    const int64_t rows = indices.numel() / row_len;
    for (int64_t row = 0; row < rows; ++row) {
      int64_t base = 0;
      int64_t rest = row;
      for (int d = last - 1; d >= 0; --d) {
        const int64_t c = rest % is[d];
        rest /= is[d];
        if (d != axis) base += c * strides[d];
      }
      const int64_t first = row * row_len;
      for (int64_t j = 0; j < row_len; ++j) {
        int64_t k = 0;
        wrap_index(index_at(indices, first + j), axis_dim, &k);
        const int64_t at = axis == last ? base + k : base + j + k * strides[axis];
        op(dst[at], src[first + j]);
      }
    }
  }

  // One element at a time, unravelling the full coordinate.
  template <typename T, typename Op>
  static void scatter_naive(const Tensor& indices, const Tensor& updates, Tensor& out, int axis,
                            Op op) {
    const int rank = out.rank();
    int64_t coord[Shape::kMaxRank] = {};
    for (int64_t p = 0; p < indices.numel(); ++p) {
      int64_t rest = p;
      for (int d = rank - 1; d >= 0; --d) {
        coord[d] = rest % indices.shape()[d];
        rest /= indices.shape()[d];
      }
      int64_t k = 0;
      wrap_index(index_at(indices, p), out.shape()[axis], &k);
      coord[axis] = k;
      int64_t at = 0;
      for (int d = 0; d < rank; ++d) at = at * out.shape()[d] + coord[d];
      op(out.data<T>()[at], updates.data<T>()[p]);
    }
  }
};

}  // namespace

Status infer_scatter_elements(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* indices, ctx.required_input(1));
  RI_ASSIGN_OR_RETURN(const TensorInfo* updates, ctx.required_input(2));
  RI_RETURN_IF_ERROR(check_index_dtype(ctx, indices->dtype));
  const int rank = data->shape.rank();
  ScatterArgs args;
  if (rank < 1) return ctx.error(StatusCode::kInvalidArgument, "data must have rank >= 1");
  RI_RETURN_IF_ERROR(read_args(ctx.node(), rank, &args));
  RI_RETURN_IF_ERROR(check_scatter_dtype(ctx, data->dtype, args.reduction));
  if (updates->dtype != data->dtype) {
    return ctx.error(StatusCode::kInvalidArgument, "updates dtype {} differs from data dtype {}",
                     dtype_name(updates->dtype), dtype_name(data->dtype));
  }
  if (indices->shape != updates->shape || indices->shape.rank() != rank) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "indices {} and updates {} must have one shape of data's rank {}",
                     indices->shape.to_string(), updates->shape.to_string(), rank);
  }
  for (int d = 0; d < rank; ++d) {
    if (d != args.axis && indices->shape[d] > data->shape[d]) {
      return ctx.error(StatusCode::kInvalidArgument,
                       "indices {} exceed data {} in dim {} (only axis {} may differ freely)",
                       indices->shape.to_string(), data->shape.to_string(), d, args.axis);
    }
  }
  ctx.set_output(0, data->dtype, data->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_scatter_elements(const ir::Node&) {
  return std::make_unique<ScatterElementsKernel<false>>();
}
std::unique_ptr<Kernel> make_scatter_elements_reference(const ir::Node&) {
  return std::make_unique<ScatterElementsKernel<true>>();
}

}  // namespace recinfer::kernels
