// MatMulInteger (opset 10) and QLinearMatMul (opset 10): numpy.matmul over int8/uint8 operands
// with zero points, accumulated exactly in int32. a's zero point (and QLinearMatMul's a_scale)
// may be per row of A (1-D of M), b's per column of B (1-D of N). QLinearMatMul requantizes:
//   y = saturate(round_half_even(acc * a_scale * b_scale / y_scale) + y_zero_point).
#include "kernels/dense/matmul_shape.h"
#include "kernels/quant/integer_common.h"
#include "kernels/quant/integer_kernels.h"

namespace recinfer::kernels {

using namespace quant;  // NOLINT(google-build-using-namespace)

namespace {

// Input positions of the two ops: A, a_zp, B, b_zp (and scales for QLinearMatMul).
struct MatMulInputs {
  int a, a_zero, b, b_zero;
  int a_scale = -1, b_scale = -1, y_scale = -1, y_zero = -1;
};
constexpr MatMulInputs kMatMulInteger{0, 2, 1, 3};
constexpr MatMulInputs kQLinearMatMul{0, 2, 3, 5, 1, 4, 6, 7};

template <bool kRequantize>
class IntegerMatMulKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    constexpr MatMulInputs in = kRequantize ? kQLinearMatMul : kMatMulInteger;
    const Tensor& a = *ctx.input(in.a);
    const Tensor& b = *ctx.input(in.b);
    const Tensor* a_zp = ctx.input(in.a_zero);
    const Tensor* b_zp = ctx.input(in.b_zero);
    RI_ASSIGN_OR_RETURN(dense::MatMulShape s, dense::matmul_shape(a.shape(), b.shape()));
    const dense::BatchOffsets offsets(s);
    Tensor& y = ctx.output(0);
    const int64_t batches = s.batch.numel();
    for (int64_t bi = 0; bi < batches; ++bi) {
      int64_t a_off = 0, b_off = 0;
      offsets.at(bi, &a_off, &b_off);
      for (int64_t i = 0; i < s.m; ++i) {
        const int32_t za = zero_point_at(a_zp, i);
        for (int64_t j = 0; j < s.n; ++j) {
          const int32_t zb = zero_point_at(b_zp, j);
          int32_t acc = 0;
          for (int64_t k = 0; k < s.k; ++k) {
            acc += (int8_at(a, a_off + i * s.k + k) - za) * (int8_at(b, b_off + k * s.n + j) - zb);
          }
          const int64_t at = (bi * s.m + i) * s.n + j;
          if constexpr (kRequantize) {
            const double multiplier = static_cast<double>(scale_at(*ctx.input(in.a_scale), i)) *
                                      scale_at(*ctx.input(in.b_scale), j) /
                                      scale_at(*ctx.input(in.y_scale), 0);
            store_requantized(y, at, acc * multiplier, zero_point_at(ctx.input(in.y_zero), 0));
          } else {
            y.data<int32_t>()[at] = acc;
          }
        }
      }
    }
    return Status::ok();
  }
};

template <bool kRequantize>
Status infer_integer_matmul(InferContext& ctx) {
  constexpr MatMulInputs in = kRequantize ? kQLinearMatMul : kMatMulInteger;
  RI_ASSIGN_OR_RETURN(const TensorInfo* a, ctx.required_input(in.a));
  RI_ASSIGN_OR_RETURN(const TensorInfo* b, ctx.required_input(in.b));
  RI_RETURN_IF_ERROR(check_int8(ctx, a, "A"));
  RI_RETURN_IF_ERROR(check_int8(ctx, b, "B"));
  auto shape = dense::matmul_shape(a->shape, b->shape);
  if (!shape.is_ok()) return ctx.error(StatusCode::kInvalidArgument, "{}", shape.status().message());
  const TensorInfo* a_zp = ctx.input(in.a_zero);
  const TensorInfo* b_zp = ctx.input(in.b_zero);
  if ((a_zp != nullptr && a_zp->dtype != a->dtype) || (b_zp != nullptr && b_zp->dtype != b->dtype)) {
    return ctx.error(StatusCode::kInvalidArgument, "a zero point's dtype differs from its operand's");
  }
  RI_RETURN_IF_ERROR(check_per_axis(ctx, a_zp, shape->m, "a_zero_point"));
  RI_RETURN_IF_ERROR(check_per_axis(ctx, b_zp, shape->n, "b_zero_point"));
  if constexpr (kRequantize) {
    RI_ASSIGN_OR_RETURN(const TensorInfo* a_scale, ctx.required_input(in.a_scale));
    RI_ASSIGN_OR_RETURN(const TensorInfo* b_scale, ctx.required_input(in.b_scale));
    RI_ASSIGN_OR_RETURN(const TensorInfo* y_scale, ctx.required_input(in.y_scale));
    RI_ASSIGN_OR_RETURN(const TensorInfo* y_zp, ctx.required_input(in.y_zero));
    RI_RETURN_IF_ERROR(check_float_scale(ctx, a_scale, "a_scale"));
    RI_RETURN_IF_ERROR(check_float_scale(ctx, b_scale, "b_scale"));
    RI_RETURN_IF_ERROR(check_float_scale(ctx, y_scale, "y_scale"));
    RI_RETURN_IF_ERROR(check_per_axis(ctx, a_scale, shape->m, "a_scale"));
    RI_RETURN_IF_ERROR(check_per_axis(ctx, b_scale, shape->n, "b_scale"));
    RI_RETURN_IF_ERROR(check_per_axis(ctx, y_scale, 1, "y_scale"));
    RI_RETURN_IF_ERROR(check_per_axis(ctx, y_zp, 1, "y_zero_point"));
    RI_RETURN_IF_ERROR(check_int8(ctx, y_zp, "y_zero_point"));
    ctx.set_output(0, y_zp->dtype, shape->out);
  } else {
    ctx.set_output(0, DType::kInt32, shape->out);
  }
  return Status::ok();
}

}  // namespace

Status infer_matmul_integer(InferContext& ctx) { return infer_integer_matmul<false>(ctx); }
std::unique_ptr<Kernel> make_matmul_integer(const ir::Node&) {
  return std::make_unique<IntegerMatMulKernel<false>>();
}
Status infer_qlinear_matmul(InferContext& ctx) { return infer_integer_matmul<true>(ctx); }
std::unique_ptr<Kernel> make_qlinear_matmul(const ir::Node&) {
  return std::make_unique<IntegerMatMulKernel<true>>();
}

}  // namespace recinfer::kernels
