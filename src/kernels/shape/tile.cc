// Tile: out[i0..ik] = in[i0 % d0, ..., ik % dk], the output being in.shape * repeats. repeats
// comes from a constant (planned statically) or a runtime input (the step goes dynamic and the
// shape is known when it runs). The fast path reads the input through a strided view with one
// zero-stride "repeat" dim in front of every tiled dim, so strided_copy does all the work.
#include <cstring>

#include "kernels/shape/copy.h"
#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

Status tile_shape(const ir::Node& node, const Shape& in, const Tensor& repeats, Shape* out) {
  IntList reps;
  RI_RETURN_IF_ERROR(read_int_list(node, repeats, "repeats", Shape::kMaxRank, &reps));
  if (reps.size != in.rank()) {
    return node_error(node, StatusCode::kInvalidArgument,
                      "repeats has {} entries for input {} of rank {}", reps.size, in.to_string(),
                      in.rank());
  }
  Shape result = in;
  for (int d = 0; d < in.rank(); ++d) {
    if (reps[d] < 0) {
      return node_error(node, StatusCode::kInvalidArgument, "repeats[{}] = {} is negative", d,
                        reps[d]);
    }
    // Overflow is caught by check_output_shape below only if the product itself is sane.
    if (in[d] != 0 && reps[d] > INT64_MAX / in[d]) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "repeats[{}] = {} overflows dim {} of size {}", d, reps[d], d, in[d]);
    }
    result[d] = in[d] * reps[d];
  }
  RI_RETURN_IF_ERROR(check_output_shape(node, result));
  *out = result;
  return Status::ok();
}

// Naive: unravel every output index and read the source element it maps to.
void tile_naive(const Tensor& in, Tensor& out) {
  const size_t elem = dtype_size(in.dtype());
  const Shape& os = out.shape();
  const auto in_strides = contiguous_strides(in.shape());
  const auto* src = static_cast<const char*>(in.raw());
  auto* dst = static_cast<char*>(out.raw());
  for (int64_t flat = 0; flat < out.numel(); ++flat) {
    int64_t rest = flat;
    int64_t offset = 0;
    for (int d = os.rank() - 1; d >= 0; --d) {
      offset += (rest % os[d]) % in.shape()[d] * in_strides[d];
      rest /= os[d];
    }
    std::memcpy(dst + flat * static_cast<int64_t>(elem), src + offset * static_cast<int64_t>(elem),
                elem);
  }
}

template <bool kReference>
class TileKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& in = *ctx.input(0);
    Shape shape;
    RI_RETURN_IF_ERROR(tile_shape(ctx.node(), in.shape(), *ctx.input(1), &shape));
    RI_ASSIGN_OR_RETURN(Tensor * out, bind_output_shape(ctx, 0, in.dtype(), shape));
    if (out->numel() == 0) return Status::ok();
    if constexpr (!kReference) {
      StridedView view;
      if (tiled_view(in.shape(), shape, &view)) {
        strided_copy(ctx, in.raw(), out->raw(), dtype_size(in.dtype()), view);
        return Status::ok();
      }
    }
    tile_naive(in, *out);
    return Status::ok();
  }

 private:
  // (repeat_d, in_d) pairs with strides (0, stride_d); dims that are not tiled (or have size 1)
  // need only one of the pair. False when that needs more dims than a view holds.
  static bool tiled_view(const Shape& in, const Shape& out, StridedView* view) {
    const auto in_strides = contiguous_strides(in);
    int rank = 0;
    for (int d = 0; d < in.rank(); ++d) {
      const int64_t reps = out[d] / in[d];
      const int needed = (reps != 1 ? 1 : 0) + (in[d] != 1 ? 1 : 0);
      if (rank + needed > Shape::kMaxRank) return false;
      if (reps != 1) {
        view->dims[rank] = reps;
        view->strides[rank++] = 0;
      }
      if (in[d] != 1) {
        view->dims[rank] = in[d];
        view->strides[rank++] = in_strides[d];
      }
    }
    view->rank = rank;
    return true;
  }
};

}  // namespace

Status infer_tile(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_movable_dtype(ctx.node(), data->dtype, "input"));
  RI_ASSIGN_OR_RETURN(const TensorInfo* repeats, ctx.required_input(1));
  if (repeats->dtype != DType::kInt64) {
    return ctx.error(StatusCode::kInvalidArgument, "input 'repeats' must be int64, got {}",
                     dtype_name(repeats->dtype));
  }
  RI_RETURN_IF_ERROR(check_index_input(ctx.node(), *repeats, "repeats"));
  if (repeats->value == nullptr) {
    ctx.set_output_dynamic(0, data->dtype);
    return Status::ok();
  }
  Shape out;
  RI_RETURN_IF_ERROR(tile_shape(ctx.node(), data->shape, *repeats->value, &out));
  ctx.set_output(0, data->dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_tile(const ir::Node&) { return std::make_unique<TileKernel<false>>(); }
std::unique_ptr<Kernel> make_tile_reference(const ir::Node&) {
  return std::make_unique<TileKernel<true>>();
}

}  // namespace recinfer::kernels
