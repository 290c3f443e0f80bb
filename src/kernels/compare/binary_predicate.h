// Binary ops with broadcasting that produce bool: Equal/Greater/.../LessOrEqual and And/Or.
// Each op is a stateless `Op` struct (predicate_ops.h); the optimised and the reference kernel
// are templates over it.
#pragma once

#include <cstdint>

#include <type_traits>

#include "kernels/compare/avx2/predicate_avx2.h"
#include "kernels/compare/broadcast.h"
#include "kernels/compare/predicate_ops.h"
#include "kernels/dispatch.h"
#include "kernels/kernel.h"

namespace recinfer::kernels::compare {

// Checks A/B dtypes against the op's type constraint at the node's opset (`allowed`: what the
// ONNX spec accepts, an error otherwise; `implemented`: what the kernels compute, unsupported
// otherwise) and sets output 0 to bool of the broadcast shape.
Status infer_binary_predicate(InferContext& ctx, uint32_t allowed, uint32_t implemented);

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
  if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, int32_t> ||
                std::is_same_v<T, float> || std::is_same_v<T, double>) {
    if (avx2::PredicateRunFn wide =
            avx2::find_predicate_run(Op::kKind, dtype_of<T>(), step_a, step_b)) {
      for_each_broadcast_block(layout, ctx, [&](const std::array<int64_t, 2>& offsets,
                                                int64_t out_offset, int64_t count) {
        wide(a_data + offsets[0], b_data + offsets[1], out_data + out_offset, count);
      });
      return;
    }
  }
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
