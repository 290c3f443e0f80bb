// DepthToSpace and SpaceToDepth on NCHW: the reshape-transpose-reshape of the spec done as one
// strided read. Output coordinates (n, c, h, i, w, j) of DepthToSpace (out[n, c, h*b+i, w*b+j])
// and (n, i, j, c, h, w) of SpaceToDepth (out[n, (i*b+j)*C + c, h, w]) are each a 6-dim view
// of the input, which strided_copy walks with its inner run along w or j. The references apply
// the spec's index formulas element by element.
#include <cstring>

#include "kernels/shape/copy.h"
#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

enum class Direction { kDepthToSpace, kSpaceToDepth };

// DCR (default): depth index = (i*b + j)*C' + c; CRD: c*b*b + i*b + j.
bool is_crd(const ir::Node& node) { return node.attr_string("mode", "DCR") == "CRD"; }

Status space_shape(const ir::Node& node, Direction dir, const Shape& in, Shape* out) {
  const int64_t b = node.attr_int("blocksize", 0);
  if (!node.has_attr("blocksize") || b <= 0) {
    return node_error(node, StatusCode::kInvalidArgument, "blocksize must be positive, got {}", b);
  }
  if (in.rank() != 4) {
    return node_error(node, StatusCode::kInvalidArgument, "input must be NCHW, got shape {}",
                      in.to_string());
  }
  const std::string mode = node.attr_string("mode", "DCR");
  if (dir == Direction::kDepthToSpace && mode != "DCR" && mode != "CRD") {
    return node_error(node, StatusCode::kInvalidArgument, "unknown mode '{}'", mode);
  }
  if (dir == Direction::kDepthToSpace) {
    if (in[1] % (b * b) != 0) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "channels {} are not a multiple of blocksize^2 = {}", in[1], b * b);
    }
    *out = Shape{in[0], in[1] / (b * b), in[2] * b, in[3] * b};
  } else {
    if (in[2] % b != 0 || in[3] % b != 0) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "height {} and width {} must be multiples of blocksize {}", in[2], in[3],
                        b);
    }
    *out = Shape{in[0], in[1] * b * b, in[2] / b, in[3] / b};
  }
  return check_output_shape(node, *out);
}

StridedView space_view(Direction dir, bool crd, const Shape& in, int64_t b) {
  const int64_t c = in[1];
  const int64_t h = in[2];
  const int64_t w = in[3];
  StridedView v;
  v.rank = 6;
  if (dir == Direction::kDepthToSpace) {
    const int64_t oc = c / (b * b);
    v.dims = {in[0], oc, h, b, w, b};
    if (crd) v.strides = {c * h * w, b * b * h * w, w, b * h * w, 1, h * w};
    else v.strides = {c * h * w, h * w, w, b * oc * h * w, 1, oc * h * w};
  } else {
    v.dims = {in[0], b, b, c, h / b, w / b};
    v.strides = {c * h * w, w, 1, h * w, b * w, b};
  }
  return v;
}

template <Direction kDir, bool kReference>
class SpaceKernel final : public Kernel {
 public:
  explicit SpaceKernel(const ir::Node& node)
      : block_(node.attr_int("blocksize", 1)), crd_(is_crd(node)) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& in = *ctx.input(0);
    Tensor& out = ctx.output(0);
    if (out.numel() == 0) return Status::ok();
    const size_t elem = dtype_size(in.dtype());
    if constexpr (!kReference) {
      strided_copy(ctx, in.raw(), out.raw(), elem, space_view(kDir, crd_, in.shape(), block_));
    } else {
      naive(in, out, elem);
    }
    return Status::ok();
  }

 private:
  void naive(const Tensor& in, Tensor& out, size_t elem) const {
    const Shape& is = in.shape();
    const Shape& os = out.shape();
    const int64_t b = block_;
    for (int64_t n = 0; n < os[0]; ++n) {
      for (int64_t c = 0; c < os[1]; ++c) {
        for (int64_t y = 0; y < os[2]; ++y) {
          for (int64_t x = 0; x < os[3]; ++x) {
            int64_t ic = 0, iy = 0, ix = 0;
            if constexpr (kDir == Direction::kDepthToSpace) {
              const int64_t i = y % b, j = x % b;
              ic = crd_ ? c * b * b + i * b + j : (i * b + j) * os[1] + c;
              iy = y / b;
              ix = x / b;
            } else {
              const int64_t block = c / is[1];  // = i*b + j
              ic = c % is[1];
              iy = y * b + block / b;
              ix = x * b + block % b;
            }
            const int64_t src = ((n * is[1] + ic) * is[2] + iy) * is[3] + ix;
            const int64_t dst = ((n * os[1] + c) * os[2] + y) * os[3] + x;
            std::memcpy(static_cast<char*>(out.raw()) + dst * static_cast<int64_t>(elem),
                        static_cast<const char*>(in.raw()) + src * static_cast<int64_t>(elem),
                        elem);
          }
        }
      }
    }
  }

  int64_t block_;
  bool crd_;
};

Status infer_space(InferContext& ctx, Direction dir) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_movable_dtype(ctx.node(), data->dtype, "input"));
  Shape out;
  RI_RETURN_IF_ERROR(space_shape(ctx.node(), dir, data->shape, &out));
  ctx.set_output(0, data->dtype, out);
  return Status::ok();
}

}  // namespace

Status infer_depth_to_space(InferContext& ctx) {
  return infer_space(ctx, Direction::kDepthToSpace);
}
Status infer_space_to_depth(InferContext& ctx) {
  return infer_space(ctx, Direction::kSpaceToDepth);
}

std::unique_ptr<Kernel> make_depth_to_space(const ir::Node& node) {
  return std::make_unique<SpaceKernel<Direction::kDepthToSpace, false>>(node);
}
std::unique_ptr<Kernel> make_depth_to_space_reference(const ir::Node& node) {
  return std::make_unique<SpaceKernel<Direction::kDepthToSpace, true>>(node);
}
std::unique_ptr<Kernel> make_space_to_depth(const ir::Node& node) {
  return std::make_unique<SpaceKernel<Direction::kSpaceToDepth, false>>(node);
}
std::unique_ptr<Kernel> make_space_to_depth_reference(const ir::Node& node) {
  return std::make_unique<SpaceKernel<Direction::kSpaceToDepth, true>>(node);
}

}  // namespace recinfer::kernels
