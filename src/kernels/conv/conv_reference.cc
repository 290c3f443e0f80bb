// Naive references for Conv and ConvTranspose: direct loops over every output (Conv) or every
// input element (ConvTranspose) and kernel tap, any number of spatial dims. They share only
// shape binding (conv_common.h) with the im2col/GEMM kernels.
#include "kernels/conv/conv_common.h"
#include "kernels/conv/conv_kernels.h"
#include "kernels/dispatch.h"

namespace recinfer::kernels {

using namespace conv;  // NOLINT(google-build-using-namespace)

namespace {

// Coordinates of flat index `index` in `dims`.
void unravel(int64_t index, const int64_t* dims, int rank, int64_t* coords) {
  for (int d = rank - 1; d >= 0; --d) {
    coords[d] = index % dims[d];
    index /= dims[d];
  }
}

// Flat image index reached from grid position `grid` by kernel tap `tap`, or -1 outside.
int64_t tap_index(const WindowGeometry& g, const int64_t* grid, const int64_t* tap,
                  const int64_t* image_dims) {
  int64_t index = 0;
  for (int d = 0; d < g.rank; ++d) {
    const int64_t at = grid[d] * g.stride[d] - g.pad_begin[d] + tap[d] * g.dilation[d];
    if (at < 0 || at >= image_dims[d]) return -1;
    index = index * image_dims[d] + at;
  }
  return index;
}

template <typename T>
void reference_conv(const ConvShape& s, KernelContext& ctx) {
  const T* x = ctx.input(0)->data<T>();
  const T* w = ctx.input(1)->data<T>();
  const T* bias = ctx.input(2) != nullptr ? ctx.input(2)->data<T>() : nullptr;
  T* y = ctx.output(0).data<T>();
  const WindowGeometry& g = s.geometry;
  const int64_t in_size = g.in_size(), out_size = g.out_size(), taps = g.kernel_size();
  int64_t pos[kMaxSpatial], tap[kMaxSpatial];
  for (int64_t n = 0; n < s.batch; ++n) {
    for (int64_t m = 0; m < s.out_channels; ++m) {
      const int64_t grp = m / s.out_group();
      for (int64_t o = 0; o < out_size; ++o) {
        unravel(o, g.out, g.rank, pos);
        double acc = bias != nullptr ? static_cast<double>(bias[m]) : 0.0;
        for (int64_t c = 0; c < s.in_group(); ++c) {
          const T* image = x + (n * s.in_channels + grp * s.in_group() + c) * in_size;
          const T* kernel = w + (m * s.in_group() + c) * taps;
          for (int64_t k = 0; k < taps; ++k) {
            unravel(k, g.kernel, g.rank, tap);
            const int64_t at = tap_index(g, pos, tap, g.in);
            if (at >= 0) acc += static_cast<double>(image[at]) * static_cast<double>(kernel[k]);
          }
        }
        y[(n * s.out_channels + m) * out_size + o] = static_cast<T>(acc);
      }
    }
  }
}

template <typename T>
void reference_conv_transpose(const ConvShape& s, KernelContext& ctx) {
  const T* x = ctx.input(0)->data<T>();
  const T* w = ctx.input(1)->data<T>();
  const T* bias = ctx.input(2) != nullptr ? ctx.input(2)->data<T>() : nullptr;
  T* y = ctx.output(0).data<T>();
  const WindowGeometry& g = s.geometry;
  const int64_t in_size = g.in_size(), out_size = g.out_size(), taps = g.kernel_size();
  for (int64_t n = 0; n < s.batch; ++n) {
    for (int64_t m = 0; m < s.out_channels; ++m) {
      for (int64_t o = 0; o < out_size; ++o) y[(n * s.out_channels + m) * out_size + o] = bias ? bias[m] : T(0);
    }
  }
  int64_t pos[kMaxSpatial], tap[kMaxSpatial];
  for (int64_t n = 0; n < s.batch; ++n) {
    for (int64_t c = 0; c < s.in_channels; ++c) {
      const int64_t grp = c / s.in_group();
      for (int64_t i = 0; i < in_size; ++i) {
        unravel(i, g.in, g.rank, pos);
        const T value = x[(n * s.in_channels + c) * in_size + i];
        for (int64_t mm = 0; mm < s.out_group(); ++mm) {
          const int64_t m = grp * s.out_group() + mm;
          const T* kernel = w + (c * s.out_group() + mm) * taps;
          for (int64_t k = 0; k < taps; ++k) {
            unravel(k, g.kernel, g.rank, tap);
            const int64_t at = tap_index(g, pos, tap, g.out);
            if (at >= 0) y[(n * s.out_channels + m) * out_size + at] += value * kernel[k];
          }
        }
      }
    }
  }
}

template <bool kTransposed>
class ConvReferenceKernel final : public Kernel {
 public:
  explicit ConvReferenceKernel(const ir::Node& node) : attrs_(WindowAttributes::from(node)) {}

  Status prepare(const PrepareContext& /*ctx*/) override { return attrs_.status(); }

  Status compute(KernelContext& ctx) const override {
    if (ctx.output(0).numel() == 0) return Status::ok();
    const Tensor* b = ctx.input(2);
    RI_ASSIGN_OR_RETURN(const ConvShape s, bind_conv(ctx.node(), *attrs_, kTransposed, ctx.input(0)->shape(),
                                                     ctx.input(1)->shape(), b ? &b->shape() : nullptr));
    return dispatch<kFloats>(ctx.input(0)->dtype(), [&](auto tag) -> Status {
      using T = decltype(tag);
      if constexpr (kTransposed) {
        reference_conv_transpose<T>(s, ctx);
      } else {
        reference_conv<T>(s, ctx);
      }
      return Status::ok();
    });
  }

 private:
  Result<WindowAttributes> attrs_;
};

}  // namespace

std::unique_ptr<Kernel> make_conv_reference(const ir::Node& node) {
  return std::make_unique<ConvReferenceKernel<false>>(node);
}

std::unique_ptr<Kernel> make_conv_transpose_reference(const ir::Node& node) {
  return std::make_unique<ConvReferenceKernel<true>>(node);
}

// Conv: every output element is a dot product of (C/group)·K = |W|/M terms: 2·|Y|·|W|/M.
OpWork conv_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out) {
  OpWork work;
  if (in.size() < 2 || out.empty() || out[0].shape.rank() < 3) return work;
  const Shape& y = out[0].shape;
  work.flops = 2.0 * static_cast<double>(y.numel()) * static_cast<double>(in[1].shape.numel()) /
               static_cast<double>(std::max<int64_t>(1, y[1]));
  return work;
}

OpWork conv_transpose_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out) {
  OpWork work;
  if (in.size() < 2 || out.empty() || in[0].shape.rank() < 3) return work;
  const Shape& x = in[0].shape;
  // Every input element meets (M/group)·K weights: 2·|X|·|W|/C.
  work.flops = 2.0 * static_cast<double>(x.numel()) * static_cast<double>(in[1].shape.numel()) /
               static_cast<double>(std::max<int64_t>(1, x[1]));
  return work;
}

}  // namespace recinfer::kernels
