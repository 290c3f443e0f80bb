// ArgMax / ArgMin: index of the largest (smallest) element along one axis, as int64. Ties go to
// the first index, or to the last with select_last_index (opset 12+). NaN wins either way, as in
// numpy's argmax and argmin.
// The loop is already the naive form (one strided scan per output element), so it doubles as
// the reference.
#include <algorithm>

#include "kernels/dispatch.h"
#include "kernels/reduce/reduce_math.h"
#include "kernels/reduce/reduce_ops.h"

namespace recinfer::kernels {
namespace {

using reduce::is_nan;

struct ArgMaxConfig {
  int64_t axis = 0;
  bool keepdims = true;
  bool select_last_index = false;
  bool min = false;  // ArgMin
};

ArgMaxConfig arg_max_config(const ir::Node& node) {
  ArgMaxConfig config;
  config.axis = node.attr_int("axis", 0);
  config.keepdims = node.attr_int("keepdims", 1) != 0;
  config.select_last_index = node.opset >= 12 && node.attr_int("select_last_index", 0) != 0;
  config.min = node.op == ir::OpType::kArgMin;
  return config;
}

// kMin flips the order: "better" is smaller. Strict for first-index ties, non-strict for last.
template <typename T, bool kMin>
bool better(T v, T best, bool select_last) {
  const bool strictly = kMin ? v < best : v > best;
  if (select_last) return strictly || v == best || is_nan(v);
  return strictly || (is_nan(v) && !is_nan(best));
}

template <typename T, bool kMin>
void arg_max_typed(const T* x, int64_t* y, int64_t outer, int64_t n, int64_t inner,
                   bool select_last, ParallelFor& parallel) {
  const int64_t grain = std::max<int64_t>(1, 16384 / n);
  parallel.run(outer * inner, grain, [&](int64_t begin, int64_t end) {
    for (int64_t o = begin; o < end; ++o) {
      const T* column = x + (o / inner) * n * inner + (o % inner);
      T best = column[0];
      int64_t best_index = 0;
      for (int64_t r = 1; r < n; ++r) {
        const T v = column[r * inner];
        if (better<T, kMin>(v, best, select_last)) {
          best = v;
          best_index = r;
        }
      }
      y[o] = best_index;
    }
  });
}

}  // namespace

Status infer_arg_max(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (!dtype_in(x->dtype, kNumeric)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  const ArgMaxConfig config = arg_max_config(ctx.node());
  int axis = 0;
  if (!normalize_axis(config.axis, x->shape.rank(), &axis)) {
    return ctx.error(StatusCode::kInvalidArgument, "axis {} is out of range for input shape {}",
                     config.axis, x->shape.to_string());
  }
  Shape out;
  for (int d = 0; d < x->shape.rank(); ++d) {
    if (d != axis) {
      out.push_back(x->shape[d]);
    } else if (config.keepdims) {
      out.push_back(1);
    }
  }
  int64_t out_count = 0;
  if (x->shape[axis] == 0 && out.checked_numel(&out_count) && out_count > 0) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "cannot take {} over axis {} of size 0 (input shape {})",
                     ir::op_name(ctx.node().op), config.axis,
                     x->shape.to_string());
  }
  ctx.set_output(0, DType::kInt64, out);
  return Status::ok();
}

namespace {

class ArgMaxKernel final : public Kernel {
 public:
  explicit ArgMaxKernel(const ir::Node& node) : config_(arg_max_config(node)) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    Tensor& y = ctx.output(0);
    if (y.numel() == 0) return Status::ok();
    int axis = 0;
    if (!normalize_axis(config_.axis, x.rank(), &axis)) {
      return ctx.error(StatusCode::kInvalidArgument, "axis {} is out of range for rank {}",
                       config_.axis, x.rank());
    }
    const int64_t outer = x.shape().product(0, axis);
    const int64_t n = x.shape()[axis];
    const int64_t inner = x.shape().product(axis + 1, x.rank());
    if (n == 0) {
      return ctx.error(StatusCode::kInvalidArgument, "cannot take {} over axis {} of size 0",
                       ir::op_name(ctx.node().op), config_.axis);
    }
    return dispatch<kNumeric>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if (config_.min) {
        arg_max_typed<T, true>(x.data<T>(), y.data<int64_t>(), outer, n, inner,
                               config_.select_last_index, ctx.parallel());
      } else {
        arg_max_typed<T, false>(x.data<T>(), y.data<int64_t>(), outer, n, inner,
                                config_.select_last_index, ctx.parallel());
      }
      return Status::ok();
    });
  }

 private:
  ArgMaxConfig config_;
};

}  // namespace

std::unique_ptr<Kernel> make_arg_max(const ir::Node& node) {
  return std::make_unique<ArgMaxKernel>(node);
}
std::unique_ptr<Kernel> make_arg_min(const ir::Node& node) {
  return std::make_unique<ArgMaxKernel>(node);
}

}  // namespace recinfer::kernels
