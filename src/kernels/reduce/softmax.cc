// Softmax and LogSoftmax over the group softmax_split.h defines (outer x n x inner, taken over
// n). Numerically stable: the max is subtracted before exp, so large logits do not overflow;
// LogSoftmax is x - max - log(sum(exp(x - max))), never log of a rounded-to-zero probability.
#include <algorithm>
#include <cmath>
#include <type_traits>

#include "kernels/dispatch.h"
#include "kernels/reduce/fast_exp.h"
#include "kernels/reduce/reduce_math.h"
#include "kernels/reduce/reduce_ops.h"
#include "kernels/reduce/softmax_split.h"

namespace recinfer::kernels {
namespace {

using reduce::fast_exp;
using reduce::reduce_contiguous;
using reduce::ReduceKind;
using reduce::softmax_split;
using reduce::SoftmaxSplit;

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
template <typename T, bool kLog>
void softmax_rows(const T* x, T* y, int64_t rows, int64_t n, ParallelFor& parallel) {
  const int64_t grain = std::max<int64_t>(1, 4096 / n);
  parallel.run(rows, grain, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const T* in = x + r * n;
      T* out = y + r * n;
      const T max_value = reduce_contiguous<T, ReduceKind::kMax>(in, n);
      if constexpr (kLog) {
        // y holds the shifted logits; the exps are only summed, never stored.
        for (int64_t i = 0; i < n; ++i) out[i] = in[i] - max_value;
        constexpr int kLanes = 8;
        T sum[kLanes] = {};
        int64_t i = 0;
        for (; i + kLanes <= n; i += kLanes) {
          for (int l = 0; l < kLanes; ++l) sum[l] += exp_value(out[i + l]);
        }
        for (; i < n; ++i) sum[0] += exp_value(out[i]);
        for (int l = 1; l < kLanes; ++l) sum[0] += sum[l];
        const T log_sum = std::log(sum[0]);
        for (int64_t k = 0; k < n; ++k) out[k] -= log_sum;
      } else {
        for (int64_t i = 0; i < n; ++i) out[i] = exp_value(in[i] - max_value);
        const T scale = T(1) / reduce_contiguous<T, ReduceKind::kSum>(out, n);
        for (int64_t i = 0; i < n; ++i) out[i] *= scale;
      }
    }
  });
}

// Softmax over a middle axis: columns are processed in blocks whose running max and sum live on
// the stack, so every pass reads whole contiguous row segments and nothing is allocated.
template <typename T, bool kLog>
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
          if constexpr (kLog) {
            const T shifted = in[r * inner + i] - max_value[i];
            out[r * inner + i] = shifted;
            sum[i] += exp_value(shifted);
          } else {
            const T e = exp_value(in[r * inner + i] - max_value[i]);
            out[r * inner + i] = e;
            sum[i] += e;
          }
        }
      }
      for (int64_t i = 0; i < width; ++i) sum[i] = kLog ? std::log(sum[i]) : T(1) / sum[i];
      for (int64_t r = 0; r < n; ++r) {
        for (int64_t i = 0; i < width; ++i) {
          if constexpr (kLog) {
            out[r * inner + i] -= sum[i];
          } else {
            out[r * inner + i] *= sum[i];
          }
        }
      }
    }
  });
}

// Naive: one strided pass per output column, no blocking.
template <typename T, bool kLog>
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
        const T shifted = in[r * split.inner] - max_value;
        out[r * split.inner] = kLog ? shifted - std::log(sum) : std::exp(shifted) / sum;
      }
    }
  }
}

template <bool kLog>
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
        softmax_reference<T, kLog>(x.data<T>(), y.data<T>(), split);
      } else if (split.inner == 1) {
        softmax_rows<T, kLog>(x.data<T>(), y.data<T>(), split.outer, split.n, ctx.parallel());
      } else {
        softmax_columns<T, kLog>(x.data<T>(), y.data<T>(), split, ctx.parallel());
      }
      return Status::ok();
    });
  }

 private:
  bool reference_;
};

}  // namespace

// Softmax, LogSoftmax and Hardmax: float input, output of the same shape.
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
  return std::make_unique<SoftmaxKernel<false>>(false);
}
std::unique_ptr<Kernel> make_softmax_reference(const ir::Node& /*node*/) {
  return std::make_unique<SoftmaxKernel<false>>(true);
}
std::unique_ptr<Kernel> make_log_softmax(const ir::Node& /*node*/) {
  return std::make_unique<SoftmaxKernel<true>>(false);
}
std::unique_ptr<Kernel> make_log_softmax_reference(const ir::Node& /*node*/) {
  return std::make_unique<SoftmaxKernel<true>>(true);
}

}  // namespace recinfer::kernels
