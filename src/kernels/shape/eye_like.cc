// EyeLike: a 2-D tensor of the input's shape with ones on diagonal k (j - i == k) and zeros
// elsewhere; only the input's shape is read. The dtype is the `dtype` attribute, else the
// input's. Simple enough to be its own reference.
#include <algorithm>
#include <cstring>

#include "kernels/dispatch.h"
#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"
#include "ir/dtype_code.h"

namespace recinfer::kernels {

namespace {

class EyeLikeKernel final : public Kernel {
 public:
  explicit EyeLikeKernel(const ir::Node& node) : k_(node.attr_int("k", 0)) {}

  Status compute(KernelContext& ctx) const override {
    Tensor& out = ctx.output(0);
    if (out.numel() == 0) return Status::ok();
    std::memset(out.raw(), 0, out.bytes());
    const int64_t rows = out.shape()[0];
    const int64_t cols = out.shape()[1];
    return dispatch<kAll>(out.dtype(), [&](auto tag) {
      using T = decltype(tag);
      T* dst = out.data<T>();
      // Rows where column i + k is inside the matrix; clamp k first so it cannot overflow.
      const int64_t k = std::clamp<int64_t>(k_, -rows, cols);
      for (int64_t i = std::max<int64_t>(0, -k); i < rows && i + k < cols; ++i) {
        dst[i * cols + i + k] = static_cast<T>(1);
      }
      return Status::ok();
    });
  }

 private:
  int64_t k_;
};

}  // namespace

Status infer_eye_like(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* in, ctx.required_input(0));
  if (in->shape.rank() != 2) {
    return ctx.error(StatusCode::kInvalidArgument, "input must be 2-D, got shape {}",
                     in->shape.to_string());
  }
  DType dtype = in->dtype;
  if (ctx.node().has_attr("dtype")) {
    const int64_t code = ctx.node().attr_int("dtype", 0);
    dtype = ir::dtype_from_code(code);
    if (dtype == DType::kUndefined) {
      return ctx.error(StatusCode::kUnsupported, "attribute dtype={} is not a supported type",
                       code);
    }
  }
  if (!dtype_in(dtype, kAll)) {
    return ctx.error(StatusCode::kUnsupported, "output dtype {} is not supported",
                     dtype_name(dtype));
  }
  ctx.set_output(0, dtype, in->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_eye_like(const ir::Node& node) {
  return std::make_unique<EyeLikeKernel>(node);
}

}  // namespace recinfer::kernels
