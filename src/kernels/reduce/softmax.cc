// Softmax. Before opset 13 the input is coerced to 2-D at `axis` (default 1) and each row of the
// flattened trailing part is normalised; from opset 13 it is per-axis (default -1). Both become
// outer x n x inner with the softmax taken over n. Numerically stable: the max is subtracted
// before exp, so large logits do not overflow.
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "kernels/dispatch.h"
#include "kernels/reduce/fast_exp.h"
#include "kernels/reduce/reduce_math.h"
#include "kernels/reduce/reduce_ops.h"

namespace recinfer::kernels {
namespace {

using reduce::fast_exp;
using reduce::reduce_contiguous;
using reduce::ReduceKind;

struct SoftmaxSplit {
  int64_t outer = 1;
  int64_t n = 1;
  int64_t inner = 1;
};

Status softmax_split(const ir::Node& node, const Shape& shape, SoftmaxSplit* split) {
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

// exp in the working precision: the vectorisable polynomial for float, libm for double.
template <typename T>
T exp_value(T x) {
  if constexpr (std::is_same_v<T, float>) {
    return fast_exp(x);
  } else {
    return std::exp(x);
  }
}

// Contiguous rows: the shape of every classifier head and attention score. Each pass is a
// separate loop (max, exp, sum, scale) so each one vectorises on its own.
template <typename T>
void softmax_rows(const T* x, T* y, int64_t rows, int64_t n, ParallelFor& parallel) {
  const int64_t grain = std::max<int64_t>(1, 4096 / n);
  parallel.run(rows, grain, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const T* in = x + r * n;
      T* out = y + r * n;
      const T max_value = reduce_contiguous<T, ReduceKind::kMax>(in, n);
      for (int64_t i = 0; i < n; ++i) out[i] = exp_value(in[i] - max_value);
      const T scale = T(1) / reduce_contiguous<T, ReduceKind::kSum>(out, n);
      for (int64_t i = 0; i < n; ++i) out[i] *= scale;
    }
  });
}

// Softmax over a middle axis: columns are processed in blocks whose running max and sum live on
// the stack, so every pass reads whole contiguous row segments and nothing is allocated.
template <typename T>
void softmax_columns(const T* x, T* y, const SoftmaxSplit& split, ParallelFor& parallel) {
  constexpr int64_t kBlock = 256;
  const int64_t n = split.n;
  const int64_t inner = split.inner;
  const int64_t blocks = (inner + kBlock - 1) / kBlock;
  const int64_t grain = std::max<int64_t>(1, 4096 / (n * std::min(inner, kBlock)));
  parallel.run(split.outer * blocks, grain, [&](int64_t begin, int64_t end) {
    T max_value[kBlock];
    T sum[kBlock];
    for (int64_t task = begin; task < end; ++task) {
      const int64_t o = task / blocks;
      const int64_t i0 = (task % blocks) * kBlock;
      const int64_t width = std::min(kBlock, inner - i0);
      const T* in = x + o * n * inner + i0;
      T* out = y + o * n * inner + i0;
      for (int64_t i = 0; i < width; ++i) {
        max_value[i] = in[i];
        sum[i] = 0;
      }
      for (int64_t r = 1; r < n; ++r) {
        for (int64_t i = 0; i < width; ++i) max_value[i] = std::max(max_value[i], in[r * inner + i]);
      }
      for (int64_t r = 0; r < n; ++r) {
        for (int64_t i = 0; i < width; ++i) {
          const T e = exp_value(in[r * inner + i] - max_value[i]);
          out[r * inner + i] = e;
          sum[i] += e;
        }
      }
      for (int64_t i = 0; i < width; ++i) sum[i] = T(1) / sum[i];
      for (int64_t r = 0; r < n; ++r) {
        for (int64_t i = 0; i < width; ++i) out[r * inner + i] *= sum[i];
      }
    }
  });
}

// Naive: one strided pass per output column, no blocking.
template <typename T>
void softmax_reference(const T* x, T* y, const SoftmaxSplit& split) {
  for (int64_t o = 0; o < split.outer; ++o) {
    for (int64_t i = 0; i < split.inner; ++i) {
      const T* in = x + o * split.n * split.inner + i;
      T* out = y + o * split.n * split.inner + i;
      T max_value = in[0];
      for (int64_t r = 1; r < split.n; ++r) max_value = std::max(max_value, in[r * split.inner]);
      T sum = 0;
      for (int64_t r = 0; r < split.n; ++r) sum += std::exp(in[r * split.inner] - max_value);
      for (int64_t r = 0; r < split.n; ++r) {
        out[r * split.inner] = std::exp(in[r * split.inner] - max_value) / sum;
      }
    }
  }
}

class SoftmaxKernel final : public Kernel {
 public:
  explicit SoftmaxKernel(bool reference) : reference_(reference) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    Tensor& y = ctx.output(0);
    SoftmaxSplit split;
    Status status = softmax_split(ctx.node(), x.shape(), &split);
    if (!status.is_ok()) return status.with_context(ctx.node().describe());
    if (x.numel() == 0) return Status::ok();
    return dispatch<kFloats>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if (reference_) {
        softmax_reference<T>(x.data<T>(), y.data<T>(), split);
      } else if (split.inner == 1) {
        softmax_rows<T>(x.data<T>(), y.data<T>(), split.outer, split.n, ctx.parallel());
      } else {
        softmax_columns<T>(x.data<T>(), y.data<T>(), split, ctx.parallel());
      }
      return Status::ok();
    });
  }

 private:
  bool reference_;
};

}  // namespace

Status infer_softmax(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (!dtype_in(x->dtype, kFloats)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  SoftmaxSplit split;
  Status status = softmax_split(ctx.node(), x->shape, &split);
  if (!status.is_ok()) return status.with_context(ctx.node().describe());
  ctx.set_output(0, x->dtype, x->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_softmax(const ir::Node& /*node*/) {
  return std::make_unique<SoftmaxKernel>(false);
}
std::unique_ptr<Kernel> make_softmax_reference(const ir::Node& /*node*/) {
  return std::make_unique<SoftmaxKernel>(true);
}

}  // namespace recinfer::kernels
