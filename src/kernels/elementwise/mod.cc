// Mod (opset 10+). fmod=0: integer remainder with the sign of the divisor (Python %); the spec
// requires fmod=1 for floating-point inputs. fmod=1: C fmod, sign of the dividend.
#include <cmath>
#include <type_traits>

#include "kernels/elementwise/binary_functors.h"
#include "kernels/elementwise/binary_kernel.h"
#include "kernels/elementwise/elementwise_ops.h"
#include "kernels/elementwise/half_fold.h"
#include "kernels/half_dtype.h"

namespace recinfer::kernels {

namespace {

template <bool kReference>
class ModKernel final : public Kernel {
 public:
  explicit ModKernel(bool fmod) : fmod_(fmod) {}

  Status compute(KernelContext& ctx) const override {
    if (is_half_float(ctx.input(0)->dtype())) {  // fmod is exact in float
      fold_half_inputs(ctx, +[](float a, float b) { return std::fmod(a, b); });
      return Status::ok();
    }
    return dispatch<kNumeric>(ctx.input(0)->dtype(), [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_floating_point_v<T>) {
        return compute_binary<FmodFn, T>(ctx, kReference);  // infer rejected fmod=0 for floats
      } else {
        return fmod_ ? compute_binary<FmodFn, T>(ctx, kReference)
                     : compute_binary<IntModFn, T>(ctx, kReference);
      }
    });
  }

 private:
  bool fmod_;
};

}  // namespace

Status infer_mod(InferContext& ctx) {
  const int64_t fmod = ctx.node().attr_int("fmod", 0);
  if (fmod != 0 && fmod != 1) {
    return ctx.error(StatusCode::kInvalidArgument, "attribute fmod must be 0 or 1, got {}", fmod);
  }
  RI_RETURN_IF_ERROR(infer_broadcast_same_type(ctx, kNumeric | kHalfFloats, 2, 2));
  const DType dtype = ctx.output(0).dtype;
  if (fmod == 0 && dtype_is_float(dtype)) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "fmod=0 is only defined for integer inputs; {} inputs need fmod=1",
                     dtype_name(dtype));
  }
  return Status::ok();
}

std::unique_ptr<Kernel> make_mod(const ir::Node& node) {
  return std::make_unique<ModKernel<false>>(node.attr_int("fmod", 0) == 1);
}
std::unique_ptr<Kernel> make_mod_reference(const ir::Node& node) {
  return std::make_unique<ModKernel<true>>(node.attr_int("fmod", 0) == 1);
}

}  // namespace recinfer::kernels
