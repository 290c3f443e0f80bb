// The generic one-input elementwise kernel over a functor template (unary_functors.h,
// math_functors.h, activation_functors.h): same dtype and shape out. The optimised kernel runs
// the AVX2 variant when one exists for (T, Fn), else a contiguous loop split by parallel_for; the
// reference kernel runs the same per-element functor in one serial loop. Functors that take
// attributes are constructed from the UnaryAttrs the factory read from the node.
#pragma once

#include <memory>
#include <type_traits>

#include "kernels/dispatch.h"
#include "kernels/elementwise/activation_functors.h"
#include "kernels/elementwise/avx2/elementwise_avx2.h"
#include "kernels/elementwise/broadcast.h"
#include "kernels/kernel.h"

namespace recinfer::kernels {

// One input of a dtype in `types`; output 0 has its dtype and shape.
Status infer_unary(InferContext& ctx, uint32_t types);

template <typename F>
F make_unary_fn(const UnaryAttrs& attrs) {
  if constexpr (std::is_constructible_v<F, const UnaryAttrs&>) {
    return F(attrs);
  } else {
    return F{};
  }
}

template <template <typename> class Fn, uint32_t kTypes, bool kReference>
class UnaryKernel final : public Kernel {
 public:
  explicit UnaryKernel(const UnaryAttrs& attrs = {}) : attrs_(attrs) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& in = *ctx.input(0);
    Tensor& out = ctx.output(0);
    return dispatch<kTypes>(in.dtype(), [&](auto tag) {
      using T = decltype(tag);
      const T* src = in.data<T>();
      T* dst = out.data<T>();  // may alias src: each element is read before it is written
      const Fn<T> fn = make_unary_fn<Fn<T>>(attrs_);
      const int64_t n = in.numel();
      if constexpr (kReference) {
        for (int64_t i = 0; i < n; ++i) dst[i] = fn(src[i]);
      } else if (auto wide = elementwise_avx2::find_unary_range<T, Fn>()) {
        ctx.parallel_for(n, kElementwiseGrain, [&](int64_t begin, int64_t end) {
          wide(src + begin, dst + begin, end - begin);
        });
      } else if (auto wide_attrs = elementwise_avx2::find_attr_unary_range<T, Fn>()) {
        ctx.parallel_for(n, kElementwiseGrain, [&](int64_t begin, int64_t end) {
          wide_attrs(src + begin, dst + begin, end - begin, attrs_);
        });
      } else {
        ctx.parallel_for(n, kElementwiseGrain, [&](int64_t begin, int64_t end) {
          for (int64_t i = begin; i < end; ++i) dst[i] = fn(src[i]);
        });
      }
      return Status::ok();
    });
  }

 private:
  UnaryAttrs attrs_;
};

template <template <typename> class Fn, uint32_t kTypes>
std::unique_ptr<Kernel> make_unary(const UnaryAttrs& attrs = {}) {
  return std::make_unique<UnaryKernel<Fn, kTypes, false>>(attrs);
}
template <template <typename> class Fn, uint32_t kTypes>
std::unique_ptr<Kernel> make_unary_reference(const UnaryAttrs& attrs = {}) {
  return std::make_unique<UnaryKernel<Fn, kTypes, true>>(attrs);
}

}  // namespace recinfer::kernels
