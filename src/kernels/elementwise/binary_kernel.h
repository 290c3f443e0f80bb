// Generic two-input elementwise kernels over a functor template (AddFn, DivFn, ...): the
// optimised one walks a collapsed broadcast plan with vectorisable inner loops and parallel_for,
// the reference one visits every output element naively and serially.
#pragma once

#include <type_traits>

#include "kernels/dispatch.h"
#include "kernels/elementwise/avx2/elementwise_avx2.h"
#include "kernels/elementwise/broadcast.h"
#include "kernels/kernel.h"

namespace recinfer::kernels {

// Infer for ops whose inputs share one dtype T in `types` and whose output is T with the
// broadcast shape of all inputs (Add..Div, Mod, and the variadic Min/Max/Sum).
Status infer_broadcast_same_type(InferContext& ctx, uint32_t types, int min_inputs, int max_inputs);

// The broadcast of all given shapes, with the node named on failure.
Status broadcast_all(InferContext& ctx, Shape* out);

// First index of a zero in `divisor`, or -1. Integer division/modulo by zero is undefined in
// C++ (and traps on x86), so kernels scan the divisor before dividing.
template <typename T>
int64_t find_zero(const T* divisor, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    if (divisor[i] == T{0}) return i;
  }
  return -1;
}

Status zero_divisor_error(KernelContext& ctx, int64_t index);

// Functors that divide declare `static constexpr bool kNonZeroRhs = true` (for integer T).
template <typename Fn>
concept NeedsNonZeroRhs = requires {
  requires Fn::kNonZeroRhs;
};

// Runs Fn<T> on inputs 0 and 1 into output 0, after the divisor check if Fn asks for it.
template <template <typename> class Fn, typename T>
Status compute_binary(KernelContext& ctx, bool reference) {
  const Tensor& lhs = *ctx.input(0);
  const Tensor& rhs = *ctx.input(1);
  Tensor& out = ctx.output(0);
  if (out.numel() == 0) return Status::ok();
  if constexpr (NeedsNonZeroRhs<Fn<T>>) {
    const int64_t zero = find_zero(rhs.data<T>(), rhs.numel());
    if (zero >= 0) return zero_divisor_error(ctx, zero);
  }
  const Fn<T> fn{};
  if (reference) {
    const int64_t n = out.numel();
    for (int64_t i = 0; i < n; ++i) {
      out.data<T>()[i] = fn(lhs.data<T>()[broadcast_offset(out.shape(), lhs.shape(), i)],
                            rhs.data<T>()[broadcast_offset(out.shape(), rhs.shape(), i)]);
    }
    return Status::ok();
  }
  const BinaryPlan plan = make_binary_plan(out.shape(), lhs.shape(), rhs.shape());
  run_binary(ctx.parallel(), plan, lhs.data<T>(), rhs.data<T>(), out.data<T>(), fn,
             elementwise_avx2::find_binary_range<T, Fn>());
  return Status::ok();
}

template <template <typename> class Fn, uint32_t kTypes, bool kReference>
class BinaryKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    return dispatch<kTypes>(ctx.input(0)->dtype(), [&](auto tag) {
      return compute_binary<Fn, decltype(tag)>(ctx, kReference);
    });
  }
};

template <template <typename> class Fn, uint32_t kTypes>
std::unique_ptr<Kernel> make_binary(const ir::Node& /*node*/) {
  return std::make_unique<BinaryKernel<Fn, kTypes, false>>();
}
template <template <typename> class Fn, uint32_t kTypes>
std::unique_ptr<Kernel> make_binary_reference(const ir::Node& /*node*/) {
  return std::make_unique<BinaryKernel<Fn, kTypes, true>>();
}

}  // namespace recinfer::kernels
