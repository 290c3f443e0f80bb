// LpNormalization: x / ||x||_p along `axis` (default -1), p = 1 or 2. F.normalize and
// retrieval towers put the p = 2 case on the hot path, so contiguous rows (the last axis) take
// vectorised passes; a middle axis processes columns in stack-resident blocks. A zero vector
// stays zero (as ONNX Runtime does) rather than becoming 0/0 = NaN.
#include <algorithm>
#include <cmath>

#include "kernels/dispatch.h"
#include "kernels/norm/norm_ops.h"
#include "kernels/reduce/reduce_math.h"

namespace recinfer::kernels {
namespace {

using reduce::ReduceKind;

struct LpSplit {
  int64_t outer = 1, n = 1, inner = 1;
};

Status lp_split(const ir::Node& node, const Shape& shape, LpSplit* split) {
  const int64_t axis_attr = node.attr_int("axis", -1);
  int axis = 0;
  if (!normalize_axis(axis_attr, shape.rank(), &axis)) {
    return invalid_argument("axis {} is out of range for input shape {}", axis_attr,
                            shape.to_string());
  }
  *split = {shape.product(0, axis), shape[axis], shape.product(axis + 1, shape.rank())};
  return Status::ok();
}

template <typename T>
T inverse_norm(T accumulated, bool p2) {
  const T norm = p2 ? std::sqrt(accumulated) : accumulated;
  return norm == T(0) ? T(1) : T(1) / norm;  // zero vectors pass through unchanged
}

template <typename T>
void lp_rows(const T* x, T* y, int64_t rows, int64_t n, bool p2, ParallelFor& parallel) {
  parallel.run(rows, std::max<int64_t>(1, 16384 / n), [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const T* in = x + r * n;
      T* out = y + r * n;
      const T acc = p2 ? reduce::reduce_contiguous<T, ReduceKind::kSumSquare>(in, n)
                       : reduce::reduce_contiguous<T, ReduceKind::kL1>(in, n);
      const T scale = inverse_norm(acc, p2);
      for (int64_t i = 0; i < n; ++i) out[i] = in[i] * scale;
    }
  });
}

template <typename T>
void lp_columns(const T* x, T* y, const LpSplit& s, bool p2, ParallelFor& parallel) {
  constexpr int64_t kBlock = 256;
  const int64_t blocks = (s.inner + kBlock - 1) / kBlock;
  const int64_t grain = std::max<int64_t>(1, 16384 / (s.n * std::min(s.inner, kBlock)));
  parallel.run(s.outer * blocks, grain, [&](int64_t begin, int64_t end) {
    T acc[kBlock];
    for (int64_t task = begin; task < end; ++task) {
      const int64_t i0 = (task % blocks) * kBlock;
      const int64_t width = std::min(kBlock, s.inner - i0);
      const T* in = x + (task / blocks) * s.n * s.inner + i0;
      T* out = y + (task / blocks) * s.n * s.inner + i0;
      std::fill(acc, acc + width, T(0));
      for (int64_t r = 0; r < s.n; ++r) {
        for (int64_t i = 0; i < width; ++i) {
          const T v = in[r * s.inner + i];
          acc[i] += p2 ? v * v : std::abs(v);
        }
      }
      for (int64_t i = 0; i < width; ++i) acc[i] = inverse_norm(acc[i], p2);
      for (int64_t r = 0; r < s.n; ++r) {
        for (int64_t i = 0; i < width; ++i) out[r * s.inner + i] = in[r * s.inner + i] * acc[i];
      }
    }
  });
}

template <typename T>
void lp_reference(const T* x, T* y, const LpSplit& s, bool p2) {
  for (int64_t o = 0; o < s.outer; ++o) {
    for (int64_t i = 0; i < s.inner; ++i) {
      const T* in = x + o * s.n * s.inner + i;
      T* out = y + o * s.n * s.inner + i;
      T acc = 0;
      for (int64_t r = 0; r < s.n; ++r) {
        acc += p2 ? in[r * s.inner] * in[r * s.inner] : std::abs(in[r * s.inner]);
      }
      const T norm = p2 ? std::sqrt(acc) : acc;
      for (int64_t r = 0; r < s.n; ++r) {
        out[r * s.inner] = norm == T(0) ? in[r * s.inner] : in[r * s.inner] / norm;
      }
    }
  }
}

class LpNormKernel final : public Kernel {
 public:
  LpNormKernel(const ir::Node& node, bool reference)
      : p2_(node.attr_int("p", 2) == 2), reference_(reference) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    LpSplit split;
    Status status = lp_split(ctx.node(), x.shape(), &split);
    if (!status.is_ok()) return status.with_context(ctx.node().describe());
    if (x.numel() == 0) return Status::ok();
    return dispatch<kFloats>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* in = x.data<T>();
      T* out = ctx.output(0).data<T>();
      if (reference_) {
        lp_reference(in, out, split, p2_);
      } else if (split.inner == 1) {
        lp_rows(in, out, split.outer, split.n, p2_, ctx.parallel());
      } else {
        lp_columns(in, out, split, p2_, ctx.parallel());
      }
      return Status::ok();
    });
  }

 private:
  bool p2_;
  bool reference_;
};

}  // namespace

Status infer_lp_norm(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (!dtype_in(x->dtype, kFloats)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  const int64_t p = ctx.node().attr_int("p", 2);
  if (p != 1 && p != 2) {
    return ctx.error(StatusCode::kInvalidArgument, "p must be 1 or 2, got {}", p);
  }
  LpSplit split;
  Status status = lp_split(ctx.node(), x->shape, &split);
  if (!status.is_ok()) return status.with_context(ctx.node().describe());
  ctx.set_output(0, x->dtype, x->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_lp_norm(const ir::Node& node) {
  return std::make_unique<LpNormKernel>(node, false);
}
std::unique_ptr<Kernel> make_lp_norm_reference(const ir::Node& node) {
  return std::make_unique<LpNormKernel>(node, true);
}

}  // namespace recinfer::kernels
