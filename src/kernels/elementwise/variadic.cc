// Min, Max, Sum, Mean: 1..N inputs of one dtype, all broadcast together. The optimised kernel
// folds the inputs pairwise into the output (the first pass combines inputs 0 and 1, later passes
// accumulate in place), so each pass is a vectorised broadcast loop. Mean is Sum divided by the
// input count afterwards (a division, as numpy's mean does, not a multiplication by 1/N).
#include <climits>
#include <cstring>
#include <type_traits>

#include "kernels/elementwise/avx2/elementwise_avx2.h"
#include "kernels/elementwise/binary_functors.h"
#include "kernels/elementwise/binary_kernel.h"
#include "kernels/elementwise/elementwise_ops.h"
#include "kernels/elementwise/half_fold.h"
#include "kernels/half_dtype.h"

namespace recinfer::kernels {

namespace {

template <template <typename> class Fn, typename T>
void fold_optimized(KernelContext& ctx) {
  Tensor& out = ctx.output(0);
  const Tensor& first = *ctx.input(0);
  if (ctx.num_inputs() == 1) {
    // One input: the output has its shape; a plain copy.
    std::memcpy(out.data<T>(), first.data<T>(), static_cast<size_t>(out.numel()) * sizeof(T));
    return;
  }
  const Fn<T> fn{};
  const BinaryRangeFn wide = elementwise_avx2::find_binary_range<T, Fn>();
  const Tensor& second = *ctx.input(1);
  run_binary(ctx.parallel(), make_binary_plan(out.shape(), first.shape(), second.shape()),
             first.data<T>(), second.data<T>(), out.data<T>(), fn, wide);
  for (int i = 2; i < ctx.num_inputs(); ++i) {
    const Tensor& next = *ctx.input(i);
    run_binary(ctx.parallel(), make_binary_plan(out.shape(), out.shape(), next.shape()),
               out.data<T>(), next.data<T>(), out.data<T>(), fn, wide);
  }
}

template <template <typename> class Fn, typename T>
void fold_reference(KernelContext& ctx) {
  Tensor& out = ctx.output(0);
  const Fn<T> fn{};
  for (int64_t i = 0; i < out.numel(); ++i) {
    const Tensor& first = *ctx.input(0);
    T acc = first.data<T>()[broadcast_offset(out.shape(), first.shape(), i)];
    for (int k = 1; k < ctx.num_inputs(); ++k) {
      const Tensor& next = *ctx.input(k);
      acc = fn(acc, next.data<T>()[broadcast_offset(out.shape(), next.shape(), i)]);
    }
    out.data<T>()[i] = acc;
  }
}

template <typename T>
void divide_by_count(KernelContext& ctx, bool reference) {
  Tensor& out = ctx.output(0);
  T* data = out.data<T>();
  const T count = static_cast<T>(ctx.num_inputs());
  if (reference) {
    for (int64_t i = 0; i < out.numel(); ++i) data[i] /= count;
    return;
  }
  ctx.parallel_for(out.numel(), kElementwiseGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) data[i] /= count;
  });
}

template <template <typename> class Fn, bool kReference, bool kMean = false>
class VariadicKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    if (ctx.output(0).numel() == 0) return Status::ok();
    if (is_half_float(ctx.input(0)->dtype())) {  // Min and Max only (see their infer)
      fold_half_inputs(ctx, +[](float a, float b) { return Fn<float>{}(a, b); });
      return Status::ok();
    }
    return dispatch<kNumeric>(ctx.input(0)->dtype(), [&](auto tag) {
      using T = decltype(tag);
      if constexpr (kReference) {
        fold_reference<Fn, T>(ctx);
      } else {
        fold_optimized<Fn, T>(ctx);
      }
      if constexpr (kMean && std::is_floating_point_v<T>) divide_by_count<T>(ctx, kReference);
      return Status::ok();
    });
  }
};

}  // namespace

#define RI_VARIADIC_OP(name, Fn, types)                                       \
  Status infer_##name(InferContext& ctx) {                                    \
    return infer_broadcast_same_type(ctx, types, 1, INT_MAX);                 \
  }                                                                           \
  std::unique_ptr<Kernel> make_##name(const ir::Node& /*node*/) {             \
    return std::make_unique<VariadicKernel<Fn, false>>();                     \
  }                                                                           \
  std::unique_ptr<Kernel> make_##name##_reference(const ir::Node& /*node*/) { \
    return std::make_unique<VariadicKernel<Fn, true>>();                      \
  }

// Min and Max select an input value, so float16/bfloat16 inputs are exact through float.
RI_VARIADIC_OP(min, MinFn, kNumeric | kHalfFloats)
RI_VARIADIC_OP(max, MaxFn, kNumeric | kHalfFloats)
RI_VARIADIC_OP(sum, AddFn, kNumeric)

#undef RI_VARIADIC_OP

// Mean is defined on float types only.
Status infer_mean(InferContext& ctx) { return infer_broadcast_same_type(ctx, kFloats, 1, INT_MAX); }
std::unique_ptr<Kernel> make_mean(const ir::Node& /*node*/) {
  return std::make_unique<VariadicKernel<AddFn, false, true>>();
}
std::unique_ptr<Kernel> make_mean_reference(const ir::Node& /*node*/) {
  return std::make_unique<VariadicKernel<AddFn, true, true>>();
}

}  // namespace recinfer::kernels
