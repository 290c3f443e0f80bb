// MaxPool (with the optional Indices output), AveragePool and LpPool over any number of
// spatial dims: for every (image, channel) plane and output position, a walk over the window's
// taps that lie inside the image. Simple enough to be its own reference (make_reference null);
// planes are spread over the workers.
#include <cmath>
#include <limits>

#include "kernels/conv/conv_geometry.h"
#include "kernels/conv/conv_kernels.h"
#include "kernels/dispatch.h"

namespace recinfer::kernels {

using namespace conv;  // NOLINT(google-build-using-namespace)

namespace {

enum class PoolKind { kMax, kAverage, kLp };

inline constexpr uint32_t kMaxPoolTypes = kFloats | bit(DType::kInt8) | bit(DType::kUint8);

struct PoolSettings {
  PoolKind kind = PoolKind::kMax;
  bool count_include_pad = false;
  bool column_major_indices = false;  // MaxPool storage_order = 1
  int64_t p = 2;                      // LpPool

  static PoolSettings from(const ir::Node& node, PoolKind kind) {
    PoolSettings s;
    s.kind = kind;
    s.count_include_pad = node.attr_int("count_include_pad", 0) != 0;
    s.column_major_indices = node.attr_int("storage_order", 0) != 0;
    s.p = node.attr_int("p", 2);
    return s;
  }
};

Result<WindowGeometry> pool_geometry(const ir::Node& node, const WindowAttributes& attrs, const Shape& x) {
  if (x.rank() < 3) return invalid_argument("{}: X {} needs rank 3 or more", node.describe(), x.to_string());
  if (attrs.kernel_shape.size() != static_cast<size_t>(x.rank() - 2)) {
    return invalid_argument("{}: kernel_shape has {} values for {} spatial dims", node.describe(),
                            attrs.kernel_shape.size(), x.rank() - 2);
  }
  auto g = forward_geometry(attrs, x.data() + 2, attrs.kernel_shape.data(), x.rank() - 2);
  if (!g.is_ok()) return g.status().with_context(node.describe());
  return g;
}

// ceil(a / b) for a >= 0, b > 0.
int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

template <typename T>
void pool_planes(const WindowGeometry& g, const PoolSettings& s, const T* x, T* y, int64_t* indices,
                 int64_t plane_begin, int64_t plane_end) {
  const int64_t in_size = g.in_size(), out_size = g.out_size();
  int64_t col_stride[kMaxSpatial];  // strides of the column-major (storage_order 1) index
  for (int64_t d = 0, stride = 1; d < g.rank; ++d) {
    col_stride[d] = stride;
    stride *= g.in[d];
  }
  int64_t pos[kMaxSpatial], tap[kMaxSpatial];
  for (int64_t plane = plane_begin; plane < plane_end; ++plane) {
    const T* image = x + plane * in_size;
    for (int64_t o = 0; o < out_size; ++o) {
      for (int64_t rest = o, d = g.rank - 1; d >= 0; --d) {
        pos[d] = rest % g.out[d];
        rest /= g.out[d];
      }
      double acc = s.kind == PoolKind::kMax ? -std::numeric_limits<double>::infinity() : 0.0;
      int64_t best = -1, count = 0, padded_count = 1;
      // Per dim, the taps that land inside the input, [lo, hi), and how many land inside the
      // padded input: only the inside taps are visited (in the same row-major order as all
      // taps would be), so a window far larger than the input costs what the input holds,
      // not what the window spans.
      int64_t base[kMaxSpatial], lo[kMaxSpatial], hi[kMaxSpatial];
      bool empty = false;
      for (int d = 0; d < g.rank; ++d) {
        const int64_t dil = g.dilation[d];
        base[d] = pos[d] * g.stride[d] - g.pad_begin[d];
        lo[d] = base[d] >= 0 ? 0 : ceil_div(-base[d], dil);
        hi[d] = std::min<int64_t>(g.kernel[d], g.in[d] - base[d] > 0 ? ceil_div(g.in[d] - base[d], dil) : 0);
        const int64_t padded_hi = std::min<int64_t>(
            g.kernel[d], ceil_div(std::max<int64_t>(g.in[d] + g.pad_end[d] - base[d], 0), dil));
        const int64_t padded_lo =
            base[d] >= -g.pad_begin[d] ? 0 : ceil_div(-g.pad_begin[d] - base[d], dil);
        padded_count *= std::max<int64_t>(padded_hi - padded_lo, 0);
        empty = empty || hi[d] <= lo[d];
      }
      for (int d = 0; d < g.rank && !empty; ++d) tap[d] = lo[d];
      while (!empty) {
        int64_t at = 0, col_at = 0;
        for (int d = 0; d < g.rank; ++d) {
          const int64_t c = base[d] + tap[d] * g.dilation[d];
          at = at * g.in[d] + c;
          col_at += c * col_stride[d];
        }
        const double v = static_cast<double>(image[at]);
        ++count;
        if (s.kind == PoolKind::kMax) {
          if (v > acc || best < 0) {
            acc = v;
            best = s.column_major_indices ? col_at : at;
          }
        } else if (s.kind == PoolKind::kAverage) {
          acc += v;
        } else {
          acc += std::pow(std::abs(v), static_cast<double>(s.p));
        }
        int d = g.rank - 1;  // next tap of the box, last dim fastest
        for (; d >= 0; --d) {
          if (++tap[d] < hi[d]) break;
          tap[d] = lo[d];
        }
        empty = d < 0;
      }
      if (s.kind == PoolKind::kAverage) {
        const int64_t divisor = s.count_include_pad ? padded_count : count;
        acc = divisor > 0 ? acc / static_cast<double>(divisor) : 0.0;
      } else if (s.kind == PoolKind::kLp) {
        acc = std::pow(acc, 1.0 / static_cast<double>(s.p));
      } else if (best < 0) {
        acc = 0.0;  // a window entirely in the padding (only with unusual pads)
      }
      y[plane * out_size + o] = static_cast<T>(acc);
      if (indices != nullptr) indices[plane * out_size + o] = plane * in_size + std::max<int64_t>(best, 0);
    }
  }
}

template <PoolKind kKind>
class PoolKernel final : public Kernel {
 public:
  explicit PoolKernel(const ir::Node& node)
      : attrs_(WindowAttributes::from(node)), settings_(PoolSettings::from(node, kKind)) {}

  Status prepare(const PrepareContext& /*ctx*/) override { return attrs_.status(); }

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    if (ctx.output(0).numel() == 0) return Status::ok();
    RI_ASSIGN_OR_RETURN(const WindowGeometry g, pool_geometry(ctx.node(), *attrs_, x.shape()));
    const int64_t planes = x.shape()[0] * x.shape()[1];
    int64_t* indices = ctx.has_output(1) ? ctx.output(1).data<int64_t>() : nullptr;
    const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, g.out_size() * g.kernel_size()));
    return dispatch<kMaxPoolTypes>(x.dtype(), [&](auto tag) -> Status {
      using T = decltype(tag);
      ctx.parallel_for(planes, grain, [&](int64_t begin, int64_t end) {
        pool_planes<T>(g, settings_, x.data<T>(), ctx.output(0).data<T>(), indices, begin, end);
      });
      return Status::ok();
    });
  }

 private:
  Result<WindowAttributes> attrs_;
  PoolSettings settings_;
};

template <PoolKind kKind>
Status infer_pool(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  const uint32_t types = kKind == PoolKind::kMax ? kMaxPoolTypes : kFloats;
  if (!dtype_in(x->dtype, types)) {
    return ctx.error(StatusCode::kUnsupported, "dtype {} is not supported", dtype_name(x->dtype));
  }
  auto attrs = WindowAttributes::from(ctx.node());
  if (!attrs.is_ok()) return attrs.status();
  if (kKind == PoolKind::kLp && ctx.node().attr_int("p", 2) < 1) {
    return ctx.error(StatusCode::kInvalidArgument, "p = {} must be at least 1", ctx.node().attr_int("p", 2));
  }
  const int64_t storage_order = ctx.node().attr_int("storage_order", 0);
  if (storage_order != 0 && storage_order != 1) {
    return ctx.error(StatusCode::kInvalidArgument, "storage_order {} is not 0 or 1", storage_order);
  }
  RI_ASSIGN_OR_RETURN(const WindowGeometry g, pool_geometry(ctx.node(), *attrs, x->shape));
  Shape out{x->shape[0], x->shape[1]};
  for (int i = 0; i < g.rank; ++i) out.push_back(g.out[i]);
  ctx.set_output(0, x->dtype, out);
  if (ctx.num_outputs() > 1) ctx.set_output(1, DType::kInt64, out);
  return Status::ok();
}

template <PoolKind kKind>
std::unique_ptr<Kernel> make_pool(const ir::Node& node) {
  return std::make_unique<PoolKernel<kKind>>(node);
}

}  // namespace

Status infer_max_pool(InferContext& ctx) { return infer_pool<PoolKind::kMax>(ctx); }
Status infer_average_pool(InferContext& ctx) { return infer_pool<PoolKind::kAverage>(ctx); }
Status infer_lp_pool(InferContext& ctx) { return infer_pool<PoolKind::kLp>(ctx); }
std::unique_ptr<Kernel> make_max_pool(const ir::Node& node) { return make_pool<PoolKind::kMax>(node); }
std::unique_ptr<Kernel> make_average_pool(const ir::Node& node) { return make_pool<PoolKind::kAverage>(node); }
std::unique_ptr<Kernel> make_lp_pool(const ir::Node& node) { return make_pool<PoolKind::kLp>(node); }

}  // namespace recinfer::kernels
