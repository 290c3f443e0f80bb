// HannWindow, HammingWindow, BlackmanWindow (opset 17): w[n] = a0 - a1 cos(2 pi n / D) +
// a2 cos(4 pi n / D) for n in [0, size), D = size when periodic=1 (the default), size - 1
// when periodic=0 (symmetric). Hann: a0 = a1 = 0.5; Hamming: a0 = 25/46, a1 = 21/46; Blackman:
// 0.42, 0.5, 0.08. output_datatype float32 (default) or float64.
#include <cmath>

#include "kernels/signal/signal_common.h"
#include "kernels/signal/signal_kernels.h"

namespace recinfer::kernels {

using namespace spectral;  // NOLINT(google-build-using-namespace)

namespace {

struct CosineTerms {
  double a0, a1, a2;
};

class WindowKernel final : public Kernel {
 public:
  WindowKernel(const ir::Node& node, CosineTerms terms)
      : terms_(terms), periodic_(node.attr_int("periodic", 1) != 0) {}

  Status compute(KernelContext& ctx) const override {
    auto size = scalar_int(*ctx.input(0), "size");
    if (!size.is_ok()) return ctx.error(StatusCode::kInvalidArgument, "{}", size.status().message());
    if (*size < 0) return ctx.error(StatusCode::kInvalidArgument, "size {} is negative", *size);
    const DType dtype = ctx.output(0).dtype();
    RI_ASSIGN_OR_RETURN(Tensor * out, output_with_shape(ctx, 0, dtype, Shape{*size}));
    const auto denominator = static_cast<double>(periodic_ ? *size : *size - 1);
    return dispatch<kFloats>(dtype, [&](auto tag) {
      using T = decltype(tag);
      T* w = out->data<T>();
      for (int64_t n = 0; n < *size; ++n) {
        // A 1-point symmetric window divides 0 by 0: it is the window's peak, 1.
        const double phase = denominator > 0 ? 2.0 * M_PI * static_cast<double>(n) / denominator : M_PI;
        w[n] = static_cast<T>(terms_.a0 - terms_.a1 * std::cos(phase) + terms_.a2 * std::cos(2 * phase));
      }
      return Status::ok();
    });
  }

 private:
  CosineTerms terms_;
  bool periodic_;
};

}  // namespace

Status infer_window(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(DType dtype, float_output_type(ctx.node()));
  RI_ASSIGN_OR_RETURN(int64_t size, infer_scalar_int(ctx, 0, "size"));
  if (ctx.input(0) == nullptr) return ctx.error(StatusCode::kInvalidArgument, "missing input 'size'");
  if (size >= 0) {
    ctx.set_output(0, dtype, Shape{size});
  } else {
    ctx.set_output_dynamic(0, dtype);
  }
  return Status::ok();
}

std::unique_ptr<Kernel> make_hann_window(const ir::Node& node) {
  return std::make_unique<WindowKernel>(node, CosineTerms{0.5, 0.5, 0.0});
}
std::unique_ptr<Kernel> make_hamming_window(const ir::Node& node) {
  return std::make_unique<WindowKernel>(node, CosineTerms{25.0 / 46.0, 21.0 / 46.0, 0.0});
}
std::unique_ptr<Kernel> make_blackman_window(const ir::Node& node) {
  return std::make_unique<WindowKernel>(node, CosineTerms{0.42, 0.5, 0.08});
}

}  // namespace recinfer::kernels
