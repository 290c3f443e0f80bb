// GridSample (opset 16): X (N, C, H, W) sampled at grid (N, H_out, W_out, 2) points, each an
// (x, y) pair normalised to [-1, 1] -> Y (N, C, H_out, W_out). Semantics of PyTorch's
// grid_sample, which the op was specified from:
//  - align_corners=1: -1 and 1 are the centres of the corner pixels; 0: their outer edges.
//  - padding_mode zeros: taps outside the image read 0; border: coordinates clamp to the edge
//    pixels; reflection: coordinates reflect off the edges (the pixel centres with
//    align_corners=1, the outer edges otherwise), then clamp.
//  - mode bilinear (4 taps), nearest (round half to even), bicubic (4x4 taps, A = -0.75; the
//    padding applies to each tap rather than to the sample point).
#include <algorithm>
#include <cmath>

#include "kernels/vision/vision_kernels.h"

namespace recinfer::kernels {

namespace {

enum class Mode { kBilinear, kNearest, kBicubic };
enum class Padding { kZeros, kBorder, kReflection };

struct GridSampleAttrs {
  Mode mode = Mode::kBilinear;
  Padding padding = Padding::kZeros;
  bool align_corners = false;
};

Result<GridSampleAttrs> parse_attrs(const ir::Node& node) {
  GridSampleAttrs a;
  const std::string mode = node.attr_string("mode", "bilinear");
  const std::string padding = node.attr_string("padding_mode", "zeros");
  if (mode == "bilinear") a.mode = Mode::kBilinear;
  else if (mode == "nearest") a.mode = Mode::kNearest;
  else if (mode == "bicubic") a.mode = Mode::kBicubic;
  else return invalid_argument("{}: mode '{}' is not bilinear, nearest or bicubic", node.describe(), mode);
  if (padding == "zeros") a.padding = Padding::kZeros;
  else if (padding == "border") a.padding = Padding::kBorder;
  else if (padding == "reflection") a.padding = Padding::kReflection;
  else return invalid_argument("{}: padding_mode '{}' is not zeros, border or reflection", node.describe(), padding);
  a.align_corners = node.attr_int("align_corners", 0) != 0;
  return a;
}

double unnormalize(double coord, int64_t size, bool align_corners) {
  return align_corners ? (coord + 1) / 2 * static_cast<double>(size - 1)
                       : ((coord + 1) * static_cast<double>(size) - 1) / 2;
}

// Reflects `coord` into [twice_low / 2, twice_high / 2].
double reflect(double coord, int64_t twice_low, int64_t twice_high) {
  if (twice_low == twice_high) return 0;
  const double low = static_cast<double>(twice_low) / 2;
  const double span = static_cast<double>(twice_high - twice_low) / 2;
  coord = std::fabs(coord - low);
  const double extra = std::fmod(coord, span);
  const double flips = std::floor(coord / span);
  return std::fmod(flips, 2.0) == 0 ? extra + low : span - extra + low;
}

double clip(double coord, int64_t size) {
  return std::min(static_cast<double>(size - 1), std::max(coord, 0.0));
}

// Padding applied to a coordinate (to the sample point, or to each bicubic tap).
double pad_coordinate(double coord, int64_t size, const GridSampleAttrs& a) {
  if (a.padding == Padding::kBorder) return clip(coord, size);
  if (a.padding == Padding::kReflection) {
    coord = a.align_corners ? reflect(coord, 0, 2 * (size - 1)) : reflect(coord, -1, 2 * size - 1);
    return clip(coord, size);
  }
  return coord;
}

// The pixel at integral coordinates (y, x), 0 outside. Doubles, so that a far-off grid point
// is range-checked before it becomes an index.
double tap(const float* image, int64_t height, int64_t width, double y, double x) {
  if (!(y >= 0 && y < static_cast<double>(height) && x >= 0 && x < static_cast<double>(width))) return 0;
  return image[static_cast<int64_t>(y) * width + static_cast<int64_t>(x)];
}

void cubic_weights(double t, double w[4]) {
  constexpr double kA = -0.75;
  auto near = [](double d) { return ((kA + 2) * d - (kA + 3)) * d * d + 1; };       // |d| <= 1
  auto far = [](double d) { return ((kA * d - 5 * kA) * d + 8 * kA) * d - 4 * kA; };  // 1 < |d| < 2
  w[0] = far(t + 1);
  w[1] = near(t);
  w[2] = near(1 - t);
  w[3] = far(2 - t);
}

double sample(const float* image, int64_t height, int64_t width, double x, double y,
              const GridSampleAttrs& a) {
  if (a.mode == Mode::kBicubic) {
    const double fx = std::floor(x), fy = std::floor(y);
    double wx[4], wy[4];
    cubic_weights(x - fx, wx);
    cubic_weights(y - fy, wy);
    double out = 0;
    for (int i = 0; i < 4; ++i) {
      for (int j = 0; j < 4; ++j) {
        const double ty = pad_coordinate(fy - 1 + i, height, a);
        const double tx = pad_coordinate(fx - 1 + j, width, a);
        out += wy[i] * wx[j] * tap(image, height, width, ty, tx);
      }
    }
    return out;
  }
  x = pad_coordinate(x, width, a);
  y = pad_coordinate(y, height, a);
  if (a.mode == Mode::kNearest) {
    return tap(image, height, width, std::nearbyint(y), std::nearbyint(x));
  }
  const double x0 = std::floor(x), y0 = std::floor(y);
  const double dx = x - x0, dy = y - y0;
  return (1 - dy) * ((1 - dx) * tap(image, height, width, y0, x0) + dx * tap(image, height, width, y0, x0 + 1)) +
         dy * ((1 - dx) * tap(image, height, width, y0 + 1, x0) + dx * tap(image, height, width, y0 + 1, x0 + 1));
}

class GridSampleKernel final : public Kernel {
 public:
  explicit GridSampleKernel(const ir::Node& node) : attrs_(parse_attrs(node)) {}
  Status prepare(const PrepareContext& /*ctx*/) override { return attrs_.status(); }

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& grid = *ctx.input(1);
    const int64_t batches = x.shape()[0], channels = x.shape()[1];
    const int64_t height = x.shape()[2], width = x.shape()[3];
    const int64_t points = grid.shape()[1] * grid.shape()[2];
    float* y = ctx.output(0).data<float>();
    for (int64_t n = 0; n < batches; ++n) {
      const float* g = grid.data<float>() + n * points * 2;
      for (int64_t c = 0; c < channels; ++c) {
        const float* image = x.data<float>() + (n * channels + c) * height * width;
        float* out = y + (n * channels + c) * points;
        for (int64_t p = 0; p < points; ++p) {
          // A NaN grid point has no pixel: it reads 0 rather than indexing with a NaN.
          if (std::isnan(g[2 * p]) || std::isnan(g[2 * p + 1])) {
            out[p] = 0;
            continue;
          }
          const double sx = unnormalize(g[2 * p], width, attrs_->align_corners);
          const double sy = unnormalize(g[2 * p + 1], height, attrs_->align_corners);
          out[p] = static_cast<float>(sample(image, height, width, sx, sy, *attrs_));
        }
      }
    }
    return Status::ok();
  }

 private:
  Result<GridSampleAttrs> attrs_;
};

}  // namespace

Status infer_grid_sample(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* grid, ctx.required_input(1));
  if (x->dtype != DType::kFloat32 || grid->dtype != DType::kFloat32) {
    return ctx.error(StatusCode::kUnsupported, "X/grid have dtype {}/{} (float32 supported)",
                     dtype_name(x->dtype), dtype_name(grid->dtype));
  }
  if (x->shape.rank() != 4 || grid->shape.rank() != 4 || grid->shape[0] != x->shape[0] ||
      grid->shape[3] != 2) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "X {} must be (N, C, H, W) and grid {} (N, H_out, W_out, 2)",
                     x->shape.to_string(), grid->shape.to_string());
  }
  RI_RETURN_IF_ERROR(parse_attrs(ctx.node()).status());
  ctx.set_output(0, DType::kFloat32, Shape{x->shape[0], x->shape[1], grid->shape[1], grid->shape[2]});
  return Status::ok();
}

std::unique_ptr<Kernel> make_grid_sample(const ir::Node& node) {
  return std::make_unique<GridSampleKernel>(node);
}

}  // namespace recinfer::kernels
