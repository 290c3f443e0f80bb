// Transpose: output dim d is input dim perm[d]; perm defaults to the reversed axes.
#include <cstring>

#include "kernels/shape/copy.h"
#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"
#include "kernels/shape/transpose_tiled.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

// perm from the attribute, or reversed axes when it is absent.
Status read_perm(const ir::Node& node, int rank, IntList* perm) {
  RI_RETURN_IF_ERROR(int_list_from_attr(node, "perm", Shape::kMaxRank, perm));
  if (!node.has_attr("perm")) {
    perm->size = rank;
    for (int d = 0; d < rank; ++d) perm->values[static_cast<size_t>(d)] = rank - 1 - d;
    return Status::ok();
  }
  if (perm->size != rank) {
    return node_error(node, StatusCode::kInvalidArgument,
                      "perm has {} entries but the input has rank {}", perm->size, rank);
  }
  bool seen[Shape::kMaxRank] = {};
  for (int d = 0; d < rank; ++d) {
    const int64_t axis = (*perm)[d];
    if (axis < 0 || axis >= rank || seen[axis]) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "perm[{}] = {} is out of range or repeated for rank {}", d, axis, rank);
    }
    seen[axis] = true;
  }
  return Status::ok();
}

// The source read pattern of the transposed output.
StridedView transpose_view(const Shape& in, const IntList& perm) {
  const auto in_strides = contiguous_strides(in);
  StridedView view;
  view.rank = perm.size;
  for (int d = 0; d < perm.size; ++d) {
    view.dims[d] = in[static_cast<int>(perm[d])];
    view.strides[d] = in_strides[static_cast<size_t>(perm[d])];
  }
  return view;
}

class TransposeKernel final : public Kernel {
 public:
  // infer has validated perm against the input rank; without perm the reversal needs the rank,
  // which only compute knows.
  TransposeKernel(const ir::Node& node, bool reference)
      : reference_(reference), has_perm_(node.has_attr("perm")) {
    if (has_perm_ && !int_list_from_attr(node, "perm", Shape::kMaxRank, &perm_).is_ok()) {
      perm_.size = -1;  // unreachable after infer; makes compute's rank guard fail loudly
    }
  }

  Status compute(KernelContext& ctx) const override {
    const Tensor& in = *ctx.input(0);
    Tensor& out = ctx.output(0);
    IntList perm = perm_;
    if (!has_perm_) {
      perm.size = in.rank();
      for (int d = 0; d < in.rank(); ++d) perm.values[static_cast<size_t>(d)] = in.rank() - 1 - d;
    }
    if (perm.size != in.rank()) {  // cheap guard: a stale plan must not index past the dims
      return ctx.error(StatusCode::kInvalidArgument,
                       "perm has {} entries but the input has rank {}", perm.size, in.rank());
    }
    const StridedView view = transpose_view(in.shape(), perm);
    const size_t elem = dtype_size(in.dtype());
    if (reference_) {
      copy_naive(in, out, view, elem);
      return Status::ok();
    }
    const StridedView v = coalesce(view);
    // After coalescing, a batched 2-D transpose reads [batch, cols, rows] with strides
    // (rows*cols, 1, cols); plain 2-D is the same without the batch dim.
    const int k = v.rank;
    if (k >= 2 && k <= 3 && v.strides[k - 2] == 1 && v.strides[k - 1] == v.dims[k - 2] &&
        (k == 2 || v.strides[0] == v.dims[1] * v.dims[2])) {
      const int64_t batch = k == 3 ? v.dims[0] : 1;
      batched_transpose_2d(ctx, in.raw(), out.raw(), elem, batch, v.dims[k - 1], v.dims[k - 2]);
      return Status::ok();
    }
    strided_copy(ctx, in.raw(), out.raw(), elem, view);
    return Status::ok();
  }

 private:
  // One element at a time, full index decomposition: obviously correct, deliberately slow.
  static void copy_naive(const Tensor& in, Tensor& out, const StridedView& view, size_t elem) {
    const auto* src = static_cast<const char*>(in.raw());
    auto* dst = static_cast<char*>(out.raw());
    const int64_t n = out.numel();
    for (int64_t i = 0; i < n; ++i) {
      int64_t rem = i;
      int64_t offset = 0;
      for (int d = view.rank - 1; d >= 0; --d) {
        offset += (rem % view.dims[d]) * view.strides[d];
        rem /= view.dims[d];
      }
      std::memcpy(dst + i * static_cast<int64_t>(elem), src + offset * static_cast<int64_t>(elem),
                  elem);
    }
  }

  bool reference_;
  bool has_perm_;
  IntList perm_;
};

}  // namespace

Status infer_transpose(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_movable_dtype(ctx.node(), data->dtype, "data"));
  IntList perm;
  RI_RETURN_IF_ERROR(read_perm(ctx.node(), data->shape.rank(), &perm));
  Shape out;
  for (int d = 0; d < perm.size; ++d) out.push_back(data->shape[static_cast<int>(perm[d])]);
  ctx.set_output(0, data->dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_transpose(const ir::Node& node) {
  return std::make_unique<TransposeKernel>(node, false);
}

std::unique_ptr<Kernel> make_transpose_reference(const ir::Node& node) {
  return std::make_unique<TransposeKernel>(node, true);
}

}  // namespace recinfer::kernels
