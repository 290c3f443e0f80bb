// Resize (opset 10-17: nearest/linear/cubic, every coordinate_transformation_mode, scales or
// sizes, roi for tf_crop_and_resize) and Upsample (opset 7-9: scales as attribute, then input).
// Interpolation is separable: every output element is a weighted sum over the product of per-dim
// taps (resize_plan.h). The fast path walks output rows (the last dim): the taps of the outer
// dims are combined once per row into (source row, weight) pairs, then each output column adds
// its own column taps. The reference computes every element's taps from scratch.
#include <cstring>

#include "kernels/dispatch.h"
#include "kernels/shape/resize_plan.h"
#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

// Row tap pairs a row may combine before it falls back to the per-element path (4^4: cubic on
// four outer dims, which only happens when N or C are resized too).
constexpr int kMaxRowTaps = 256;

ResizeInputs resize_inputs(const ir::Node& node, const Tensor* const* values, int count) {
  const ResizeInputIndex index = resize_input_index(node);
  auto at = [&](int i) { return i >= 0 && i < count ? values[i] : nullptr; };
  return {at(index.roi), at(index.scales), at(index.sizes)};
}

// Value of output element with per-dim taps `taps[0..rank)` (none outside).
template <typename T>
T sample(const T* src, const Shape& in, const std::array<Taps, Shape::kMaxRank>& taps,
         bool nearest) {
  const int rank = in.rank();
  if (nearest) {
    int64_t offset = 0;
    for (int d = 0; d < rank; ++d) offset = offset * in[d] + taps[d].index[0];
    return src[offset];
  }
  std::array<int, Shape::kMaxRank> pick{};
  double sum = 0;
  while (true) {
    int64_t offset = 0;
    double w = 1;
    for (int d = 0; d < rank; ++d) {
      offset = offset * in[d] + taps[d].index[pick[d]];
      w *= taps[d].weight[pick[d]];
    }
    sum += w * static_cast<double>(src[offset]);
    int d = rank - 1;
    for (; d >= 0; --d) {
      if (++pick[d] < taps[d].count) break;
      pick[d] = 0;
    }
    if (d < 0) break;
  }
  return static_cast<T>(sum);
}

// Output element `flat` computed on its own: the reference, and the fallback of wide rows.
template <typename T>
T element(const ResizeAttrs& attrs, const ResizeGeometry& g, const T* src, int64_t flat) {
  std::array<Taps, Shape::kMaxRank> taps;
  for (int d = g.out.rank() - 1; d >= 0; --d) {
    compute_taps(attrs, g, d, flat % g.out[d], &taps[d]);
    flat /= g.out[d];
    if (taps[d].outside) return static_cast<T>(attrs.extrapolation);
  }
  return sample(src, g.in, taps, attrs.mode == ResizeMode::kNearest);
}

template <typename T>
void resize_rows(const ResizeAttrs& attrs, const ResizeGeometry& g, const T* src, T* dst,
                 int64_t begin, int64_t end) {
  const int last = g.out.rank() - 1;
  const int64_t width = g.out[last];
  const int64_t in_width = g.in[last];
  const T extrapolation = static_cast<T>(attrs.extrapolation);
  const bool nearest = attrs.mode == ResizeMode::kNearest;
  std::array<int64_t, kMaxRowTaps> row_offset;
  std::array<double, kMaxRowTaps> row_weight;
  for (int64_t row = begin; row < end; ++row) {
    T* out = dst + row * width;
    // Combine the outer dims' taps into source rows, outermost first.
    int count = 1;
    row_offset[0] = 0;
    row_weight[0] = 1;
    bool outside = false;
    bool wide = false;
    int64_t rest = row;
    std::array<Taps, Shape::kMaxRank> taps;
    for (int d = last - 1; d >= 0; --d) {
      compute_taps(attrs, g, d, rest % g.out[d], &taps[d]);
      rest /= g.out[d];
      outside = outside || taps[d].outside;
    }
    for (int d = 0; d < last && !outside && !wide; ++d) {
      if (count * taps[d].count > kMaxRowTaps) {
        wide = true;
        break;
      }
      // Expand in place from the back so entries are not overwritten before they are read.
      for (int i = count - 1; i >= 0; --i) {
        for (int t = taps[d].count - 1; t >= 0; --t) {
          row_offset[i * taps[d].count + t] = row_offset[i] * g.in[d] + taps[d].index[t];
          row_weight[i * taps[d].count + t] = row_weight[i] * taps[d].weight[t];
        }
      }
      count *= taps[d].count;
    }
    if (outside) {
      std::fill(out, out + width, extrapolation);
      continue;
    }
    if (wide) {
      for (int64_t x = 0; x < width; ++x) out[x] = element(attrs, g, src, row * width + x);
      continue;
    }
    for (int64_t x = 0; x < width; ++x) {
      Taps col;
      compute_taps(attrs, g, last, x, &col);
      if (col.outside) {
        out[x] = extrapolation;
      } else if (nearest) {
        out[x] = src[row_offset[0] * in_width + col.index[0]];
      } else {
        double sum = 0;
        for (int i = 0; i < count; ++i) {
          const T* line = src + row_offset[i] * in_width;
          double acc = 0;
          for (int t = 0; t < col.count; ++t) {
            acc += col.weight[t] * static_cast<double>(line[col.index[t]]);
          }
          sum += row_weight[i] * acc;
        }
        out[x] = static_cast<T>(sum);
      }
    }
  }
}

template <bool kReference>
class ResizeKernel final : public Kernel {
 public:
  explicit ResizeKernel(const ir::Node& node) {
    (void)parse_resize_attrs(node, &attrs_);  // infer already rejected bad attributes
  }

  Status compute(KernelContext& ctx) const override {
    const Tensor& in = *ctx.input(0);
    const Tensor* values[4] = {ctx.input(0), ctx.input(1), ctx.input(2), ctx.input(3)};
    ResizeGeometry g;
    RI_RETURN_IF_ERROR(plan_resize(ctx.node(), attrs_, in.shape(),
                                   resize_inputs(ctx.node(), values, ctx.num_inputs()), &g));
    RI_ASSIGN_OR_RETURN(Tensor * out, bind_output_shape(ctx, 0, in.dtype(), g.out));
    if (out->numel() == 0) return Status::ok();
    if (in.rank() == 0) {
      std::memcpy(out->raw(), in.raw(), dtype_size(in.dtype()));
      return Status::ok();
    }
    return dispatch<kAll>(in.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* src = in.data<T>();
      T* dst = out->data<T>();
      if constexpr (kReference) {
        for (int64_t flat = 0; flat < out->numel(); ++flat) {
          dst[flat] = element(attrs_, g, src, flat);
        }
      } else {
        const int64_t width = g.out[g.out.rank() - 1];
        const int64_t rows = out->numel() / width;
        const int64_t grain = std::max<int64_t>(1, 4096 / width);
        ctx.parallel_for(rows, grain, [&](int64_t begin, int64_t end) {
          resize_rows(attrs_, g, src, dst, begin, end);
        });
      }
      return Status::ok();
    });
  }

 private:
  ResizeAttrs attrs_;
};

}  // namespace

Status infer_resize(InferContext& ctx) {
  const ir::Node& node = ctx.node();
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  ResizeAttrs attrs;
  RI_RETURN_IF_ERROR(parse_resize_attrs(node, &attrs));
  const uint32_t allowed = attrs.mode == ResizeMode::kNearest ? kAll : kFloats;
  if (!dtype_in(data->dtype, allowed)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported with mode {}",
                     dtype_name(data->dtype), node.attr_string("mode", "nearest"));
  }
  const ResizeInputIndex index = resize_input_index(node);
  const Tensor* values[4] = {};
  for (int i : {index.roi, index.scales, index.sizes}) {
    const TensorInfo* info = i >= 0 ? ctx.input(i) : nullptr;
    if (info == nullptr) continue;
    // roi matters only for tf_crop_and_resize, and only to compute, not to size the output.
    const bool needed = i != index.roi || attrs.coord == CoordMode::kTfCropAndResize;
    if (info->value == nullptr && needed && info->shape.numel() != 0) {
      ctx.set_output_dynamic(0, data->dtype);
      return Status::ok();
    }
    values[i] = info->value;
  }
  ResizeGeometry g;
  RI_RETURN_IF_ERROR(plan_resize(node, attrs, data->shape, resize_inputs(node, values, 4), &g));
  ctx.set_output(0, data->dtype, g.out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_resize(const ir::Node& node) {
  return std::make_unique<ResizeKernel<false>>(node);
}
std::unique_ptr<Kernel> make_resize_reference(const ir::Node& node) {
  return std::make_unique<ResizeKernel<true>>(node);
}

}  // namespace recinfer::kernels
