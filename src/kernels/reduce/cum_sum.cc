// CumSum (opset 11/14): running sum along the axis given as a scalar input, optionally
// exclusive (each output leaves out its own element) and/or reverse (sums from the end).
// Whole inner rows are added at once, so the inner loop is contiguous and vectorises; the loop
// is simple enough to be its own reference.
#include <algorithm>

#include "kernels/dispatch.h"
#include "kernels/reduce/reduce_ops.h"

namespace recinfer::kernels {
namespace {

Status read_axis(const Tensor& axis_tensor, int rank, int* axis) {
  if (axis_tensor.numel() != 1 || axis_tensor.rank() > 1) {
    return invalid_argument("axis input must be a scalar, got shape {}",
                            axis_tensor.shape().to_string());
  }
  int64_t value = 0;
  if (axis_tensor.dtype() == DType::kInt64) {
    value = axis_tensor.data<int64_t>()[0];
  } else if (axis_tensor.dtype() == DType::kInt32) {
    value = axis_tensor.data<int32_t>()[0];
  } else {
    return invalid_argument("axis input must be int32 or int64, got {}",
                            dtype_name(axis_tensor.dtype()));
  }
  if (!normalize_axis(value, rank, axis)) {
    return invalid_argument("axis {} is out of range for rank {}", value, rank);
  }
  return Status::ok();
}

template <typename T>
void cum_sum_typed(const T* x, T* y, int64_t outer, int64_t n, int64_t inner, bool exclusive,
                   bool reverse, ParallelFor& parallel) {
  const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, n * inner));
  parallel.run(outer, grain, [&](int64_t begin, int64_t end) {
    for (int64_t o = begin; o < end; ++o) {
      const T* prev_src = nullptr;
      T* prev_dst = nullptr;
      for (int64_t k = 0; k < n; ++k) {
        const int64_t r = reverse ? n - 1 - k : k;
        const T* src = x + (o * n + r) * inner;
        T* dst = y + (o * n + r) * inner;
        if (k == 0) {
          for (int64_t i = 0; i < inner; ++i) dst[i] = exclusive ? T(0) : src[i];
        } else if (exclusive) {
          for (int64_t i = 0; i < inner; ++i) dst[i] = static_cast<T>(prev_dst[i] + prev_src[i]);
        } else {
          for (int64_t i = 0; i < inner; ++i) dst[i] = static_cast<T>(prev_dst[i] + src[i]);
        }
        prev_src = src;
        prev_dst = dst;
      }
    }
  });
}

class CumSumKernel final : public Kernel {
 public:
  explicit CumSumKernel(const ir::Node& node)
      : exclusive_(node.attr_int("exclusive", 0) != 0),
        reverse_(node.attr_int("reverse", 0) != 0) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    Tensor& y = ctx.output(0);
    int axis = 0;
    // The axis is a runtime input: check it on every run.
    Status status = read_axis(*ctx.input(1), x.rank(), &axis);
    if (!status.is_ok()) return status.with_context(ctx.node().describe());
    if (x.numel() == 0) return Status::ok();
    const int64_t outer = x.shape().product(0, axis);
    const int64_t n = x.shape()[axis];
    const int64_t inner = x.shape().product(axis + 1, x.rank());
    return dispatch<kNumeric>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      cum_sum_typed<T>(x.data<T>(), y.data<T>(), outer, n, inner, exclusive_, reverse_,
                       ctx.parallel());
      return Status::ok();
    });
  }

 private:
  bool exclusive_;
  bool reverse_;
};

}  // namespace

Status infer_cum_sum(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* axis, ctx.required_input(1));
  if (!dtype_in(x->dtype, kNumeric)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  if (x->shape.rank() == 0) {
    return ctx.error(StatusCode::kInvalidArgument, "input must have rank >= 1, got a scalar");
  }
  if (axis->value != nullptr) {
    int normalized = 0;
    Status status = read_axis(*axis->value, x->shape.rank(), &normalized);
    if (!status.is_ok()) return status.with_context(ctx.node().describe());
  }
  ctx.set_output(0, x->dtype, x->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_cum_sum(const ir::Node& node) {
  return std::make_unique<CumSumKernel>(node);
}

}  // namespace recinfer::kernels
