// GlobalAveragePool / GlobalMaxPool / GlobalLpPool: (N, C, D1, ...) -> (N, C, 1, ...), each
// (n, c) plane reduced to one value (mean, max, or (sum |x|^p)^(1/p), p default 2). Planes are
// contiguous rows, reduced with the reduce family's vectorised row loop; naive enough to be its
// own reference.
#include <algorithm>
#include <cmath>

#include "kernels/dispatch.h"
#include "kernels/norm/norm_ops.h"
#include "kernels/reduce/reduce_math.h"

namespace recinfer::kernels {
namespace {

using reduce::reduce_contiguous;
using reduce::ReduceKind;

template <typename T>
T lp_plane(const T* x, int64_t n, double p) {
  if (p == 2) return std::sqrt(reduce_contiguous<T, ReduceKind::kSumSquare>(x, n));
  if (p == 1) return reduce_contiguous<T, ReduceKind::kL1>(x, n);
  T sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += static_cast<T>(std::pow(std::abs(x[i]), p));
  return static_cast<T>(std::pow(sum, 1.0 / p));
}

class GlobalPoolKernel final : public Kernel {
 public:
  explicit GlobalPoolKernel(const ir::Node& node)
      : op_(node.op), p_(static_cast<double>(node.attr_int("p", 2))) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const int64_t planes = x.shape().product(0, 2);
    const int64_t spatial = x.shape().product(2, x.rank());
    if (planes == 0) return Status::ok();
    return dispatch<kFloats>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* in = x.data<T>();
      T* out = ctx.output(0).data<T>();
      ctx.parallel_for(planes, std::max<int64_t>(1, 32768 / std::max<int64_t>(1, spatial)),
                       [&](int64_t begin, int64_t end) {
        for (int64_t p = begin; p < end; ++p) {
          const T* plane = in + p * spatial;
          switch (op_) {
            case ir::OpType::kGlobalAveragePool:
              out[p] = reduce_contiguous<T, ReduceKind::kSum>(plane, spatial) /
                       static_cast<T>(spatial);
              break;
            case ir::OpType::kGlobalMaxPool:
              out[p] = reduce_contiguous<T, ReduceKind::kMax>(plane, spatial);
              break;
            default:
              out[p] = lp_plane(plane, spatial, p_);
              break;
          }
        }
      });
      return Status::ok();
    });
  }

 private:
  ir::OpType op_;
  double p_;
};

}  // namespace

Status infer_global_pool(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (!dtype_in(x->dtype, kFloats)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  if (x->shape.rank() < 2) {
    return ctx.error(StatusCode::kInvalidArgument, "input must have rank >= 2 (N, C, ...), got {}",
                     x->shape.to_string());
  }
  Shape out = x->shape;
  for (int d = 2; d < out.rank(); ++d) out[d] = 1;
  ctx.set_output(0, x->dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_global_pool(const ir::Node& node) {
  return std::make_unique<GlobalPoolKernel>(node);
}

}  // namespace recinfer::kernels
