// Det (opset 11): X (..., M, M) float -> (...). LU decomposition with partial pivoting in
// double on a copy of each matrix (an M*M scratch allocated per run: Det is not a hot-path op);
// the determinant is the product of the pivots, negated per row swap.
#include "kernels/dense/det.h"

#include <cmath>
#include <utility>
#include <vector>

#include "kernels/dispatch.h"

namespace recinfer::kernels {

namespace {

double determinant(std::vector<double>& a, int64_t m) {
  double det = 1.0;
  for (int64_t col = 0; col < m; ++col) {
    int64_t pivot = col;
    for (int64_t r = col + 1; r < m; ++r) {
      if (std::fabs(a[static_cast<size_t>(r * m + col)]) > std::fabs(a[static_cast<size_t>(pivot * m + col)])) pivot = r;
    }
    const double p = a[static_cast<size_t>(pivot * m + col)];
    if (p == 0.0) return 0.0;
    if (pivot != col) {
      for (int64_t c = 0; c < m; ++c) std::swap(a[static_cast<size_t>(pivot * m + c)], a[static_cast<size_t>(col * m + c)]);
      det = -det;
    }
    det *= p;
    for (int64_t r = col + 1; r < m; ++r) {
      const double factor = a[static_cast<size_t>(r * m + col)] / p;
      for (int64_t c = col; c < m; ++c) a[static_cast<size_t>(r * m + c)] -= factor * a[static_cast<size_t>(col * m + c)];
    }
  }
  return det;
}

class DetKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const int64_t m = x.shape()[x.rank() - 1];
    const int64_t batch = ctx.output(0).numel();
    std::vector<double> scratch(static_cast<size_t>(m * m));
    return dispatch<kFloats>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      for (int64_t b = 0; b < batch; ++b) {
        const T* src = x.data<T>() + b * m * m;
        for (int64_t i = 0; i < m * m; ++i) scratch[static_cast<size_t>(i)] = static_cast<double>(src[i]);
        ctx.output(0).data<T>()[b] = static_cast<T>(determinant(scratch, m));
      }
      return Status::ok();
    });
  }
};

}  // namespace

Status infer_det(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (!dtype_in(x->dtype, kFloats)) {
    return ctx.error(StatusCode::kUnsupported, "X has dtype {} (float32, float64 supported)",
                     dtype_name(x->dtype));
  }
  const Shape& s = x->shape;
  if (s.rank() < 2 || s[s.rank() - 1] != s[s.rank() - 2]) {
    return ctx.error(StatusCode::kInvalidArgument, "X {} must end in square (M, M) matrices",
                     s.to_string());
  }
  Shape out;
  for (int d = 0; d < s.rank() - 2; ++d) out.push_back(s[d]);
  ctx.set_output(0, x->dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_det(const ir::Node&) { return std::make_unique<DetKernel>(); }

}  // namespace recinfer::kernels
