// Binary ops with broadcasting that produce bool: Equal/Greater/.../LessOrEqual and And/Or.
// Each op is a stateless `Op` struct with `template <typename T> static bool apply(T, T)`;
// the optimised and the reference kernel are templates over it.
#pragma once

#include <cstdint>

#include "kernels/compare/broadcast.h"
#include "kernels/dispatch.h"
#include "kernels/kernel.h"

namespace recinfer::kernels::compare {

// Checks A/B dtypes against the op's type constraint at the node's opset (`allowed`: what the
// ONNX spec accepts, an error otherwise; `implemented`: what the kernels compute, unsupported
// otherwise) and sets output 0 to bool of the broadcast shape.
Status infer_binary_predicate(InferContext& ctx, uint32_t allowed, uint32_t implemented);

// Bool tensors are read as bytes and normalised with != 0, so a stray non-0/1 byte from a
// loader or an upstream kernel cannot produce undefined behaviour or a wrong answer.
template <typename Op>
struct OnBoolBytes {
  static bool apply(uint8_t a, uint8_t b) { return Op::apply(a != 0, b != 0); }
};

// One contiguous run of `count` outputs; kStepA/kStepB say whether an operand advances along
// the run (stride 1) or is a single broadcast value (stride 0). Hoisting the broadcast value
// out of the loop leaves a tight loop the compiler vectorises.
template <typename T, typename Op, bool kStepA, bool kStepB>
void predicate_run(const T* __restrict__ a, const T* __restrict__ b, bool* __restrict__ out,
                   int64_t count) {
  if constexpr (kStepA && kStepB) {
    for (int64_t j = 0; j < count; ++j) out[j] = Op::apply(a[j], b[j]);
  } else if constexpr (kStepA) {
    const T value_b = *b;
    for (int64_t j = 0; j < count; ++j) out[j] = Op::apply(a[j], value_b);
  } else if constexpr (kStepB) {
    const T value_a = *a;
    for (int64_t j = 0; j < count; ++j) out[j] = Op::apply(value_a, b[j]);
  } else {
    const bool value = Op::apply(*a, *b);
    for (int64_t j = 0; j < count; ++j) out[j] = value;
  }
}

// Same-shape, scalar and outer ((M,1) vs (1,N)) operands all coalesce to rows whose inner
// strides are 0 or 1; each case gets its own instantiation of the inner loop.
template <typename T, typename Op>
void predicate_broadcast(const Tensor& a, const Tensor& b, Tensor& out, KernelContext& ctx) {
  const auto layout = make_broadcast_layout<2>(out.shape(), {a.shape(), b.shape()});
  const T* a_data = a.data<T>();
  const T* b_data = b.data<T>();
  bool* out_data = out.data<bool>();
  auto run = [&]<bool kStepA, bool kStepB>() {
    for_each_broadcast_block(layout, ctx, [&](const std::array<int64_t, 2>& offsets,
                                              int64_t out_offset, int64_t count) {
      predicate_run<T, Op, kStepA, kStepB>(a_data + offsets[0], b_data + offsets[1],
                                           out_data + out_offset, count);
    });
  };
  const bool step_a = layout.inner_stride(0) != 0;
  const bool step_b = layout.inner_stride(1) != 0;
  if (step_a && step_b) {
    run.template operator()<true, true>();
  } else if (step_a) {
    run.template operator()<true, false>();
  } else if (step_b) {
    run.template operator()<false, true>();
  } else {
    run.template operator()<false, false>();
  }
}

// Calls fn.template operator()<T, OpForT>() with bool mapped to bytes (see OnBoolBytes).
template <typename Op, typename Fn>
Status dispatch_predicate(DType dtype, Fn&& fn) {
  if (dtype == DType::kBool) {
    fn.template operator()<uint8_t, OnBoolBytes<Op>>();
    return Status::ok();
  }
  return dispatch<kNumeric>(dtype, [&](auto tag) {
    fn.template operator()<decltype(tag), Op>();
    return Status::ok();
  });
}

template <typename Op>
class BinaryPredicateKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    Tensor& out = ctx.output(0);
    return dispatch_predicate<Op>(a.dtype(), [&]<typename T, typename TypedOp>() {
      predicate_broadcast<T, TypedOp>(a, b, out, ctx);
    });
  }
};

// Naive: every output element maps its index back into each operand; no coalescing, no
// threads. The oracle the fast paths are tested against.
template <typename Op>
class BinaryPredicateReference final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    Tensor& out = ctx.output(0);
    return dispatch_predicate<Op>(a.dtype(), [&]<typename T, typename TypedOp>() {
      const T* a_data = a.data<T>();
      const T* b_data = b.data<T>();
      bool* out_data = out.data<bool>();
      const int64_t numel = out.numel();
      for (int64_t i = 0; i < numel; ++i) {
        out_data[i] = TypedOp::apply(a_data[broadcast_offset(a.shape(), out.shape(), i)],
                                     b_data[broadcast_offset(b.shape(), out.shape(), i)]);
      }
    });
  }
};

}  // namespace recinfer::kernels::compare
