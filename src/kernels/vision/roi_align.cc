// RoiAlign: X (N, C, H, W), rois (R, 4) as [x1, y1, x2, y2] in input coordinates scaled by
// spatial_scale, batch_indices (R) -> Y (R, C, output_height, output_width). Each output bin is
// sampled on a sampling_ratio^2 grid (0: ceil(roi size / output size) per axis), each sample
// bilinear with ONNX Runtime's edge rules (samples more than one pixel outside read 0, others
// clamp). mode=avg averages the samples; mode=max takes the largest weighted corner term, as
// ONNX Runtime and the ONNX reference do. coordinate_transformation_mode half_pixel (opset 16
// default) shifts rois by -0.5 pixel; output_half_pixel (the opset 10 behaviour) does not and
// makes rois at least 1x1.
#include <algorithm>
#include <cmath>

#include "kernels/vision/vision_kernels.h"

namespace recinfer::kernels {

namespace {

struct RoiAlignAttrs {
  bool max_mode = false;
  bool half_pixel = true;
  int64_t out_h = 1, out_w = 1, sampling_ratio = 0;
  float spatial_scale = 1.0f;
};

Result<RoiAlignAttrs> parse_attrs(const ir::Node& node) {
  RoiAlignAttrs a;
  const std::string mode = node.attr_string("mode", "avg");
  const std::string transform = node.attr_string(
      "coordinate_transformation_mode", node.opset >= 16 ? "half_pixel" : "output_half_pixel");
  if (mode != "avg" && mode != "max") {
    return invalid_argument("{}: mode must be avg or max, got '{}'", node.describe(), mode);
  }
  if (transform != "half_pixel" && transform != "output_half_pixel") {
    return invalid_argument("{}: coordinate_transformation_mode '{}' is not half_pixel or "
                            "output_half_pixel", node.describe(), transform);
  }
  a.max_mode = mode == "max";
  a.half_pixel = transform == "half_pixel";
  a.out_h = node.attr_int("output_height", 1);
  a.out_w = node.attr_int("output_width", 1);
  a.sampling_ratio = node.attr_int("sampling_ratio", 0);
  a.spatial_scale = node.attr_float("spatial_scale", 1.0f);
  if (a.out_h < 1 || a.out_w < 1 || a.sampling_ratio < 0 || a.sampling_ratio > 4096) {
    return invalid_argument("{}: output_height/output_width must be >= 1 and sampling_ratio 0 to "
                            "4096, got {}/{}/{}", node.describe(), a.out_h, a.out_w, a.sampling_ratio);
  }
  return a;
}

// The four corner terms (weight * value) of a bilinear sample at (y, x) of one image.
void corner_terms(const float* image, int64_t height, int64_t width, double y, double x,
                  double terms[4]) {
  terms[0] = terms[1] = terms[2] = terms[3] = 0;
  if (y < -1.0 || y > static_cast<double>(height) || x < -1.0 || x > static_cast<double>(width)) return;
  y = std::max(y, 0.0);
  x = std::max(x, 0.0);
  auto y_low = static_cast<int64_t>(y), x_low = static_cast<int64_t>(x);
  int64_t y_high = y_low + 1, x_high = x_low + 1;
  if (y_low >= height - 1) {
    y_low = y_high = height - 1;
    y = static_cast<double>(y_low);
  }
  if (x_low >= width - 1) {
    x_low = x_high = width - 1;
    x = static_cast<double>(x_low);
  }
  const double ly = y - static_cast<double>(y_low), lx = x - static_cast<double>(x_low);
  const double hy = 1 - ly, hx = 1 - lx;
  terms[0] = hy * hx * image[y_low * width + x_low];
  terms[1] = hy * lx * image[y_low * width + x_high];
  terms[2] = ly * hx * image[y_high * width + x_low];
  terms[3] = ly * lx * image[y_high * width + x_high];
}

class RoiAlignKernel final : public Kernel {
 public:
  explicit RoiAlignKernel(const ir::Node& node) : attrs_(parse_attrs(node)) {}
  Status prepare(const PrepareContext& /*ctx*/) override { return attrs_.status(); }

  Status compute(KernelContext& ctx) const override {
    const RoiAlignAttrs& a = *attrs_;
    const Tensor& x = *ctx.input(0);
    const Tensor& rois = *ctx.input(1);
    const Tensor& batch_indices = *ctx.input(2);
    const int64_t batches = x.shape()[0], channels = x.shape()[1];
    const int64_t height = x.shape()[2], width = x.shape()[3];
    float* y = ctx.output(0).data<float>();
    const double offset = a.half_pixel ? 0.5 : 0.0;
    for (int64_t r = 0; r < rois.shape()[0]; ++r) {
      const int64_t batch = batch_indices.data<int64_t>()[r];
      if (batch < 0 || batch >= batches) {
        return ctx.error(StatusCode::kInvalidArgument, "batch_indices[{}] = {} is outside [0, {})",
                         r, batch, batches);
      }
      const float* roi = rois.data<float>() + r * 4;
      const double start_w = roi[0] * a.spatial_scale - offset;
      const double start_h = roi[1] * a.spatial_scale - offset;
      double roi_w = roi[2] * a.spatial_scale - offset - start_w;
      double roi_h = roi[3] * a.spatial_scale - offset - start_h;
      if (!a.half_pixel) {
        roi_w = std::max(roi_w, 1.0);
        roi_h = std::max(roi_h, 1.0);
      }
      const double bin_h = roi_h / static_cast<double>(a.out_h);
      const double bin_w = roi_w / static_cast<double>(a.out_w);
      const auto grid_h = a.sampling_ratio > 0 ? a.sampling_ratio
                                               : static_cast<int64_t>(std::ceil(roi_h / static_cast<double>(a.out_h)));
      const auto grid_w = a.sampling_ratio > 0 ? a.sampling_ratio
                                               : static_cast<int64_t>(std::ceil(roi_w / static_cast<double>(a.out_w)));
      const double samples = static_cast<double>(std::max<int64_t>(grid_h * grid_w, 1));
      for (int64_t c = 0; c < channels; ++c) {
        const float* image = x.data<float>() + (batch * channels + c) * height * width;
        float* out = y + (r * channels + c) * a.out_h * a.out_w;
        for (int64_t ph = 0; ph < a.out_h; ++ph) {
          for (int64_t pw = 0; pw < a.out_w; ++pw) {
            double sum = 0, best = 0;
            bool first = true;
            for (int64_t iy = 0; iy < grid_h; ++iy) {
              const double sy = start_h + ph * bin_h + (iy + 0.5) * bin_h / static_cast<double>(grid_h);
              for (int64_t ix = 0; ix < grid_w; ++ix) {
                const double sx = start_w + pw * bin_w + (ix + 0.5) * bin_w / static_cast<double>(grid_w);
                double terms[4];
                corner_terms(image, height, width, sy, sx, terms);
                sum += terms[0] + terms[1] + terms[2] + terms[3];
                const double top = std::max(std::max(terms[0], terms[1]), std::max(terms[2], terms[3]));
                best = first ? top : std::max(best, top);
                first = false;
              }
            }
            out[ph * a.out_w + pw] = static_cast<float>(a.max_mode ? best : sum / samples);
          }
        }
      }
    }
    return Status::ok();
  }

 private:
  Result<RoiAlignAttrs> attrs_;
};

}  // namespace

Status infer_roi_align(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* rois, ctx.required_input(1));
  RI_ASSIGN_OR_RETURN(const TensorInfo* batch_indices, ctx.required_input(2));
  if (x->dtype != DType::kFloat32 || rois->dtype != DType::kFloat32) {
    return ctx.error(StatusCode::kUnsupported, "X/rois have dtype {}/{} (float32 supported)",
                     dtype_name(x->dtype), dtype_name(rois->dtype));
  }
  if (batch_indices->dtype != DType::kInt64) {
    return ctx.error(StatusCode::kUnsupported, "batch_indices has dtype {} (int64 supported)",
                     dtype_name(batch_indices->dtype));
  }
  if (x->shape.rank() != 4 || rois->shape.rank() != 2 || rois->shape[1] != 4 ||
      batch_indices->shape.rank() != 1 || batch_indices->shape[0] != rois->shape[0]) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "X {} must be (N, C, H, W), rois {} (R, 4) and batch_indices {} (R)",
                     x->shape.to_string(), rois->shape.to_string(), batch_indices->shape.to_string());
  }
  RI_ASSIGN_OR_RETURN(const RoiAlignAttrs a, parse_attrs(ctx.node()));
  ctx.set_output(0, DType::kFloat32, Shape{rois->shape[0], x->shape[1], a.out_h, a.out_w});
  return Status::ok();
}

std::unique_ptr<Kernel> make_roi_align(const ir::Node& node) {
  return std::make_unique<RoiAlignKernel>(node);
}

}  // namespace recinfer::kernels
