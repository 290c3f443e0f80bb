// MelWeightMatrix (opset 17): (dft_length/2 + 1, num_mel_bins) weights mapping a one-sided
// spectrum to mel bands. num_mel_bins + 2 edges are spaced evenly in mel
// (mel = 2595 log10(1 + hz/700)) from lower_edge_hertz to upper_edge_hertz, in steps of
// (high - low) / (num_mel_bins + 2) as the ONNX reference does, and mapped to spectrum bins
// floor((dft_length + 1) * hz / sample_rate). Band i rises linearly from edge i to edge i+1
// and falls to edge i+2 (a band whose rising edges coincide is 1 at its centre).
#include <algorithm>
#include <cmath>


#include "kernels/signal/signal_common.h"
#include "kernels/signal/signal_kernels.h"

namespace recinfer::kernels {

using namespace spectral;  // NOLINT(google-build-using-namespace)

namespace {

float scalar_float(const Tensor& t) {
  return t.dtype() == DType::kFloat64 ? static_cast<float>(t.data<double>()[0]) : t.data<float>()[0];
}

class MelWeightMatrixKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    int64_t v[3] = {};
    const char* names[3] = {"num_mel_bins", "dft_length", "sample_rate"};
    for (int i = 0; i < 3; ++i) {
      auto value = scalar_int(*ctx.input(i), names[i]);
      if (!value.is_ok()) return ctx.error(StatusCode::kInvalidArgument, "{}", value.status().message());
      if (*value < 1 || *value > (int64_t{1} << 24)) {
        return ctx.error(StatusCode::kInvalidArgument, "{} must be 1 to 2^24, got {}", names[i], *value);
      }
      v[i] = *value;
    }
    const int64_t mel_bins = v[0], dft_length = v[1], sample_rate = v[2];
    const double low_hz = scalar_float(*ctx.input(3)), high_hz = scalar_float(*ctx.input(4));
    const int64_t spectrum_bins = dft_length / 2 + 1;
    const DType dtype = ctx.output(0).dtype();
    RI_ASSIGN_OR_RETURN(Tensor * out, output_with_shape(ctx, 0, dtype, Shape{spectrum_bins, mel_bins}));
    const double low_mel = 2595.0 * std::log10(1.0 + low_hz / 700.0);
    const double high_mel = 2595.0 * std::log10(1.0 + high_hz / 700.0);
    const double step = (high_mel - low_mel) / static_cast<double>(mel_bins + 2);
    auto edge = [&](int64_t i) {
      const double hz = 700.0 * (std::pow(10.0, (static_cast<double>(i) * step + low_mel) / 2595.0) - 1.0);
      return static_cast<int64_t>(std::floor(static_cast<double>(dft_length + 1) * hz /
                                             static_cast<double>(sample_rate)));
    };
    return dispatch<kFloats>(dtype, [&](auto tag) {
      using T = decltype(tag);
      T* w = out->data<T>();
      std::fill(w, w + out->numel(), T(0));
      auto set = [&](int64_t row, int64_t band, double value) {
        if (row >= 0 && row < spectrum_bins) w[row * mel_bins + band] = static_cast<T>(value);
      };
      for (int64_t band = 0; band < mel_bins; ++band) {
        const int64_t left = edge(band), centre = edge(band + 1), right = edge(band + 2);
        if (centre == left) {
          set(centre, band, 1.0);
        } else {
          for (int64_t j = left; j <= centre; ++j) {
            set(j, band, static_cast<double>(j - left) / static_cast<double>(centre - left));
          }
        }
        for (int64_t j = centre; j < right; ++j) {
          set(j, band, static_cast<double>(right - j) / static_cast<double>(right - centre));
        }
      }
      return Status::ok();
    });
  }
};

}  // namespace

Status infer_mel_weight_matrix(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(DType dtype, float_output_type(ctx.node()));
  for (int i = 0; i < 5; ++i) RI_RETURN_IF_ERROR(ctx.required_input(i).status());
  for (int i = 3; i < 5; ++i) {
    const TensorInfo* hz = ctx.input(i);
    if (!dtype_in(hz->dtype, kFloats) || hz->shape.numel() != 1) {
      return ctx.error(StatusCode::kInvalidArgument, "input {} must be a float scalar, got {} {}",
                       i, dtype_name(hz->dtype), hz->shape.to_string());
    }
  }
  RI_ASSIGN_OR_RETURN(int64_t mel_bins, infer_scalar_int(ctx, 0, "num_mel_bins"));
  RI_ASSIGN_OR_RETURN(int64_t dft_length, infer_scalar_int(ctx, 1, "dft_length"));
  RI_RETURN_IF_ERROR(infer_scalar_int(ctx, 2, "sample_rate").status());
  if (mel_bins >= 1 && dft_length >= 1) {
    ctx.set_output(0, dtype, Shape{dft_length / 2 + 1, mel_bins});
  } else {
    ctx.set_output_dynamic(0, dtype);
  }
  return Status::ok();
}

std::unique_ptr<Kernel> make_mel_weight_matrix(const ir::Node&) {
  return std::make_unique<MelWeightMatrixKernel>();
}

}  // namespace recinfer::kernels
