// Naive reference Gemm: one dot product per output element, straight from the ONNX formula.
#include <type_traits>

#include "kernels/dense/dense_kernels.h"
#include "kernels/dense/gemm_common.h"
#include "kernels/dispatch.h"

namespace recinfer::kernels {

// Family helpers live in kernels::dense so their short names cannot clash across families.
using namespace dense;  // NOLINT(google-build-using-namespace)

namespace {

class GemmReferenceKernel final : public Kernel {
 public:
  explicit GemmReferenceKernel(const ir::Node& node) : attrs_(GemmAttributes::from(node)) {}

  Status prepare(const PrepareContext& ctx) override { return check_gemm_flags(ctx.node); }

  Status compute(KernelContext& ctx) const override {
    return dispatch<kDenseTypes>(ctx.input(0)->dtype(), [&](auto tag) -> Status {
      using T = decltype(tag);
      const Tensor& a = *ctx.input(0);
      const Tensor& b = *ctx.input(1);
      Tensor& y = ctx.output(0);
      const int64_t m = y.shape()[0];
      const int64_t n = y.shape()[1];
      const int64_t k = attrs_.trans_a ? a.shape()[0] : a.shape()[1];
      const GemmBias<T> bias = GemmBias<T>::from(ctx.input(2));
      for (int64_t i = 0; i < m; ++i) {
        for (int64_t j = 0; j < n; ++j) {
          T acc = T(0);
          for (int64_t kk = 0; kk < k; ++kk) {
            const T av = attrs_.trans_a ? a.data<T>()[kk * m + i] : a.data<T>()[i * k + kk];
            const T bv = attrs_.trans_b ? b.data<T>()[j * k + kk] : b.data<T>()[kk * n + j];
            acc = mul_add(acc, av, bv);
          }
          T v = scale(acc, attrs_.alpha);
          if (bias.c) v = wrap_add(v, scale(bias.at(i, j), attrs_.beta));
          y.data<T>()[i * n + j] = v;
        }
        if constexpr (std::is_same_v<T, float>) {
          apply_activation(attrs_.activation, y.data<float>() + i * n, n, true);
        }
      }
      return Status::ok();
    });
  }

 private:
  GemmAttributes attrs_;
};

}  // namespace

std::unique_ptr<Kernel> make_gemm_reference(const ir::Node& node) {
  return std::make_unique<GemmReferenceKernel>(node);
}

}  // namespace recinfer::kernels
