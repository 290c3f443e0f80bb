// STFT (opset 17): signal (batch, length, 1 or 2) cut into frames of frame_length samples every
// frame_step samples (frames = 1 + (length - frame_length) / frame_step), each multiplied by
// `window` (optional; its length is the frame length when frame_length is absent) and
// transformed -> (batch, frames, bins, 2), bins = frame_length/2 + 1 when onesided=1 (the
// default), frame_length otherwise.
#include "kernels/signal/signal_common.h"
#include "kernels/signal/signal_kernels.h"

namespace recinfer::kernels {

using namespace spectral;  // NOLINT(google-build-using-namespace)

namespace {

struct StftLayout {
  int64_t batch = 0, length = 0, components = 1;
  int64_t step = 0, frame_length = 0, frames = 0, bins = 0;
  Shape out() const { return Shape{batch, frames, bins, 2}; }
};

// frame_length < 0: take it from the window (window_length < 0: no window).
Result<StftLayout> stft_layout(const ir::Node& node, const Shape& signal, int64_t step,
                               int64_t window_length, int64_t frame_length) {
  StftLayout l;
  if (signal.rank() != 3 || (signal[2] != 1 && signal[2] != 2)) {
    return invalid_argument("{}: signal {} must be (batch, length, 1 or 2)", node.describe(),
                            signal.to_string());
  }
  l.batch = signal[0];
  l.length = signal[1];
  l.components = signal[2];
  l.step = step;
  l.frame_length = frame_length >= 0 ? frame_length : window_length;
  if (l.frame_length < 1 || l.frame_length > l.length || l.step < 1) {
    return invalid_argument("{}: frame length {} must be 1 to the signal length {} and "
                            "frame_step {} at least 1 (give frame_length or a window)",
                            node.describe(), l.frame_length, l.length, l.step);
  }
  if (window_length >= 0 && window_length != l.frame_length) {
    return invalid_argument("{}: window of {} samples for frames of {}", node.describe(),
                            window_length, l.frame_length);
  }
  l.frames = 1 + (l.length - l.frame_length) / l.step;
  l.bins = node.attr_int("onesided", 1) != 0 ? l.frame_length / 2 + 1 : l.frame_length;
  return l;
}

Result<int64_t> optional_scalar(KernelContext& ctx, int index, const char* what) {
  if (ctx.input(index) == nullptr) return int64_t{-1};
  auto v = scalar_int(*ctx.input(index), what);
  if (!v.is_ok()) return ctx.error(StatusCode::kInvalidArgument, "{}", v.status().message());
  return *v;
}

class StftKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor* window = ctx.input(2);
    RI_ASSIGN_OR_RETURN(int64_t step, optional_scalar(ctx, 1, "frame_step"));
    RI_ASSIGN_OR_RETURN(int64_t frame_length, optional_scalar(ctx, 3, "frame_length"));
    RI_ASSIGN_OR_RETURN(const StftLayout l,
                        stft_layout(ctx.node(), x.shape(), step,
                                    window != nullptr ? window->shape()[0] : -1, frame_length));
    RI_ASSIGN_OR_RETURN(Tensor * out, output_with_shape(ctx, 0, x.dtype(), l.out()));
    return dispatch<kFloats>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* src = x.data<T>();
      const T* w = window != nullptr ? window->data<T>() : nullptr;
      T* dst = out->data<T>();
      for (int64_t b = 0; b < l.batch; ++b) {
        for (int64_t f = 0; f < l.frames; ++f) {
          const T* frame = src + (b * l.length + f * l.step) * l.components;
          auto at = [&](int64_t i, double* re, double* im) {
            const double weight = w != nullptr ? static_cast<double>(w[i]) : 1.0;
            *re = static_cast<double>(frame[i * l.components]) * weight;
            *im = l.components == 2 ? static_cast<double>(frame[i * 2 + 1]) * weight : 0.0;
          };
          for (int64_t k = 0; k < l.bins; ++k) {
            double re = 0, im = 0;
            dft_bin(l.frame_length, k, -1.0, at, &re, &im);
            T* q = dst + ((b * l.frames + f) * l.bins + k) * 2;
            q[0] = static_cast<T>(re);
            q[1] = static_cast<T>(im);
          }
        }
      }
      return Status::ok();
    });
  }
};

}  // namespace

Status infer_stft(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* step_info, ctx.required_input(1));
  if (!dtype_in(x->dtype, kFloats)) {
    return ctx.error(StatusCode::kUnsupported, "signal has dtype {} (float32, float64 supported)",
                     dtype_name(x->dtype));
  }
  const TensorInfo* window = ctx.input(2);
  if (window != nullptr && (window->dtype != x->dtype || window->shape.rank() != 1)) {
    return ctx.error(StatusCode::kInvalidArgument, "window must be 1-D {}, got {} {}",
                     dtype_name(x->dtype), dtype_name(window->dtype), window->shape.to_string());
  }
  RI_ASSIGN_OR_RETURN(int64_t step, infer_scalar_int(ctx, 1, "frame_step"));
  RI_ASSIGN_OR_RETURN(int64_t frame_length, infer_scalar_int(ctx, 3, "frame_length"));
  const bool length_known = ctx.input(3) == nullptr || ctx.input(3)->value != nullptr;
  if (step_info->value == nullptr || !length_known) {
    ctx.set_output_dynamic(0, x->dtype);
    return Status::ok();
  }
  auto layout = stft_layout(ctx.node(), x->shape, step, window != nullptr ? window->shape[0] : -1,
                            frame_length);
  if (!layout.is_ok()) return layout.status();
  ctx.set_output(0, x->dtype, layout->out());
  return Status::ok();
}

std::unique_ptr<Kernel> make_stft(const ir::Node&) { return std::make_unique<StftKernel>(); }

}  // namespace recinfer::kernels
