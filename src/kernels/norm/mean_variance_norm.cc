// MeanVarianceNormalization: y = (x - mean) / (sqrt(var) + 1e-9) with mean and (population)
// variance over `axes` (default [0, 2, 3]: per channel of an NCHW input), as the ONNX function
// body defines it (epsilon added to the standard deviation). The variance is taken as
// E[(x - mean)²] rather than the body's E[x²] - E[x]², which cancels when |mean| >> std.
#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/dispatch.h"
#include "kernels/norm/group_walk.h"
#include "kernels/norm/norm_ops.h"

namespace recinfer::kernels {
namespace {

std::vector<int64_t> mvn_axes(const ir::Node& node) {
  return node.has_attr("axes") ? node.attr_ints("axes") : std::vector<int64_t>{0, 2, 3};
}

Status mvn_mask(const std::vector<int64_t>& axes, int rank, uint32_t* mask) {
  *mask = 0;
  for (int64_t axis : axes) {
    int d = 0;
    if (!normalize_axis(axis, rank, &d)) {
      return invalid_argument("axis {} is out of range for rank {}", axis, rank);
    }
    *mask |= 1u << d;
  }
  return Status::ok();
}

class MvnKernel final : public Kernel {
 public:
  MvnKernel(const ir::Node& node, bool reference) : axes_(mvn_axes(node)), reference_(reference) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    if (x.numel() == 0) return Status::ok();
    uint32_t mask = 0;
    Status status = mvn_mask(axes_, x.rank(), &mask);
    if (!status.is_ok()) return status.with_context(ctx.node().describe());
    const norm::GroupWalk walk(x.shape(), mask, !reference_);
    return dispatch<kFloats>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* in = x.data<T>();
      T* out = ctx.output(0).data<T>();
      const T count = static_cast<T>(walk.group_size());
      auto run = [&](int64_t begin, int64_t end) {
        for (int64_t g = begin; g < end; ++g) {
          const int64_t base = walk.base(g);
          T sum = 0;
          walk.for_each(base, [&](int64_t o) { sum += in[o]; });
          const T mean = sum / count;
          T sq = 0;
          walk.for_each(base, [&](int64_t o) { sq += (in[o] - mean) * (in[o] - mean); });
          const T scale = T(1) / (std::sqrt(sq / count) + T(1e-9));
          walk.for_each(base, [&](int64_t o) { out[o] = (in[o] - mean) * scale; });
        }
      };
      if (reference_) {
        run(0, walk.groups());
      } else {
        ctx.parallel_for(walk.groups(), std::max<int64_t>(1, 16384 / walk.group_size()), run);
      }
      return Status::ok();
    });
  }

 private:
  std::vector<int64_t> axes_;
  bool reference_;
};

}  // namespace

Status infer_mean_variance_norm(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (!dtype_in(x->dtype, kFloats)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  uint32_t mask = 0;
  Status status = mvn_mask(mvn_axes(ctx.node()), x->shape.rank(), &mask);
  if (!status.is_ok()) return status.with_context(ctx.node().describe());
  ctx.set_output(0, x->dtype, x->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_mean_variance_norm(const ir::Node& node) {
  return std::make_unique<MvnKernel>(node, false);
}
std::unique_ptr<Kernel> make_mean_variance_norm_reference(const ir::Node& node) {
  return std::make_unique<MvnKernel>(node, true);
}

}  // namespace recinfer::kernels
