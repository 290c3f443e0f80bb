// DFT (opset 17): the discrete Fourier transform of `input` along `axis` (default 1; any axis
// but the last, which holds 1 (real) or 2 (real, imaginary) values). dft_length (input 1,
// optional) zero-pads or truncates the signal along the axis; onesided=1 keeps bins
// 0..length/2 (the rest of a real signal's spectrum mirrors them); inverse=1 computes
// (1/length) sum X[k] e^{+2 pi i k n / length}. Output: the input's shape with the axis
// resized and a last dim of 2, in the input's float type.
#include "kernels/signal/signal_common.h"
#include "kernels/signal/signal_kernels.h"

namespace recinfer::kernels {

using namespace spectral;  // NOLINT(google-build-using-namespace)

namespace {

struct DftLayout {
  int axis = 0;
  int64_t outer = 1, length_in = 0, inner = 1, components = 1;  // input (outer, len, inner, comp)
  int64_t length = 0;   // DFT length
  int64_t bins = 0;     // output length along the axis
  Shape out;
};

Result<DftLayout> dft_layout(const ir::Node& node, const Shape& in, int64_t dft_length) {
  DftLayout l;
  const int64_t axis_attr = node.attr_int("axis", 1);
  if (in.rank() < 2 || (in[in.rank() - 1] != 1 && in[in.rank() - 1] != 2)) {
    return invalid_argument("{}: input {} must have a last dim of 1 (real) or 2 (complex)",
                            node.describe(), in.to_string());
  }
  if (!normalize_axis(axis_attr, in.rank(), &l.axis) || l.axis == in.rank() - 1) {
    return invalid_argument("{}: axis {} is not a signal axis of input {}", node.describe(),
                            axis_attr, in.to_string());
  }
  l.outer = in.product(0, l.axis);
  l.length_in = in[l.axis];
  l.inner = in.product(l.axis + 1, in.rank() - 1);
  l.components = in[in.rank() - 1];
  l.length = dft_length >= 0 ? dft_length : l.length_in;
  if (l.length < 1) {
    return invalid_argument("{}: dft_length must be at least 1, got {}", node.describe(), l.length);
  }
  l.bins = node.attr_int("onesided", 0) != 0 ? l.length / 2 + 1 : l.length;
  l.out = in;
  l.out[l.axis] = l.bins;
  l.out[in.rank() - 1] = 2;
  return l;
}

class DftKernel final : public Kernel {
 public:
  explicit DftKernel(const ir::Node& node) : inverse_(node.attr_int("inverse", 0) != 0) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    int64_t dft_length = -1;
    if (ctx.input(1) != nullptr) {
      auto given = scalar_int(*ctx.input(1), "dft_length");
      if (!given.is_ok()) return ctx.error(StatusCode::kInvalidArgument, "{}", given.status().message());
      dft_length = *given;
      if (dft_length < 1) {
        return ctx.error(StatusCode::kInvalidArgument, "dft_length must be at least 1, got {}", dft_length);
      }
    }
    RI_ASSIGN_OR_RETURN(const DftLayout l, dft_layout(ctx.node(), x.shape(), dft_length));
    RI_ASSIGN_OR_RETURN(Tensor * out, output_with_shape(ctx, 0, x.dtype(), l.out));
    const double sign = inverse_ ? 1.0 : -1.0;
    const double scale = inverse_ ? 1.0 / static_cast<double>(l.length) : 1.0;
    return dispatch<kFloats>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* src = x.data<T>();
      T* dst = out->data<T>();
      for (int64_t o = 0; o < l.outer; ++o) {
        for (int64_t j = 0; j < l.inner; ++j) {
          auto at = [&](int64_t i, double* re, double* im) {
            if (i >= l.length_in) return;  // zero padding
            const T* p = src + ((o * l.length_in + i) * l.inner + j) * l.components;
            *re = static_cast<double>(p[0]);
            *im = l.components == 2 ? static_cast<double>(p[1]) : 0.0;
          };
          for (int64_t k = 0; k < l.bins; ++k) {
            double re = 0, im = 0;
            dft_bin(l.length, k, sign, at, &re, &im);
            T* q = dst + ((o * l.bins + k) * l.inner + j) * 2;
            q[0] = static_cast<T>(re * scale);
            q[1] = static_cast<T>(im * scale);
          }
        }
      }
      return Status::ok();
    });
  }

 private:
  bool inverse_;
};

}  // namespace

Status infer_dft(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (!dtype_in(x->dtype, kFloats)) {
    return ctx.error(StatusCode::kUnsupported, "input has dtype {} (float32, float64 supported)",
                     dtype_name(x->dtype));
  }
  if (ctx.node().attr_int("onesided", 0) != 0 && ctx.node().attr_int("inverse", 0) != 0) {
    return ctx.error(StatusCode::kUnsupported, "onesided=1 with inverse=1 is not supported");
  }
  RI_ASSIGN_OR_RETURN(int64_t dft_length, infer_scalar_int(ctx, 1, "dft_length"));
  if (ctx.input(1) != nullptr && ctx.input(1)->value == nullptr) {
    ctx.set_output_dynamic(0, x->dtype);
    return Status::ok();
  }
  if (ctx.input(1) != nullptr && dft_length < 1) {
    return ctx.error(StatusCode::kInvalidArgument, "dft_length must be at least 1, got {}", dft_length);
  }
  RI_ASSIGN_OR_RETURN(const DftLayout l, dft_layout(ctx.node(), x->shape, dft_length));
  ctx.set_output(0, x->dtype, l.out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_dft(const ir::Node& node) { return std::make_unique<DftKernel>(node); }

}  // namespace recinfer::kernels
