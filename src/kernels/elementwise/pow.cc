// Pow: base and exponent may differ in dtype (opset 12+); the output has the base dtype.
// Float bases compute in the base type when the exponent has the same type, otherwise in double
// (numpy promotes float32 ** int64 to float64 before the result is cast back). Integer bases
// with integer exponents use exact wrapping integer powers; with float exponents the double
// result is truncated toward zero like Cast.
#include <cmath>
#include <type_traits>

#include "kernels/elementwise/binary_functors.h"
#include "kernels/elementwise/binary_kernel.h"
#include "kernels/elementwise/convert.h"
#include "kernels/elementwise/elementwise_common.h"
#include "kernels/elementwise/elementwise_ops.h"

namespace recinfer::kernels {

namespace {

constexpr uint32_t kPowBaseTypes = kFloats | bit(DType::kInt32) | bit(DType::kInt64);

// Integer power by squaring (wrapping on overflow). A negative exponent gives the exact result
// truncated toward zero: 1 and -1 keep their magnitude, every other base gives 0 (including 0,
// whose negative powers are undefined; we return 0 rather than trap).
template <typename T, typename E>
T int_pow(T base, E exponent) {
  if constexpr (std::is_signed_v<E>) {
    if (exponent < 0) {
      if (base == 1) return 1;
      if (base == -1) return (exponent % 2 == 0) ? T{1} : T{-1};
      return 0;
    }
  }
  using W = WrapType<T>;
  W result = 1;
  W factor = static_cast<W>(base);
  auto e = static_cast<std::make_unsigned_t<E>>(exponent);
  while (e != 0) {
    if (e & 1u) result = static_cast<W>(result * factor);
    factor = static_cast<W>(factor * factor);
    e >>= 1;
  }
  return static_cast<T>(result);
}

template <typename T, typename E>
struct PowFn {
  T operator()(T base, E exponent) const {
    if constexpr (std::is_floating_point_v<T> && std::is_same_v<T, E>) {
      return std::pow(base, exponent);
    } else if constexpr (std::is_floating_point_v<T>) {
      return static_cast<T>(std::pow(static_cast<double>(base), static_cast<double>(exponent)));
    } else if constexpr (std::is_integral_v<E>) {
      return int_pow(base, exponent);
    } else {
      return convert_value<T>(std::pow(static_cast<double>(base), static_cast<double>(exponent)));
    }
  }
};

// x ** 2 (a LayerNorm/variance staple) as x * x: exact, since both are correctly rounded.
template <typename T>
bool try_square_fast_path(KernelContext& ctx, const Tensor& base, double exponent, T* out) {
  if (exponent != 2.0) return false;
  const T* in = base.data<T>();
  ctx.parallel_for(base.numel(), kElementwiseGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) out[i] = in[i] * in[i];
  });
  return true;
}

template <bool kReference>
class PowKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& base = *ctx.input(0);
    const Tensor& exponent = *ctx.input(1);
    Tensor& out = ctx.output(0);
    if (out.numel() == 0) return Status::ok();
    return dispatch<kPowBaseTypes>(base.dtype(), [&](auto base_tag) {
      using T = decltype(base_tag);
      return dispatch<kNumeric>(exponent.dtype(), [&](auto exponent_tag) {
        using E = decltype(exponent_tag);
        const PowFn<T, E> fn{};
        if constexpr (kReference) {
          for (int64_t i = 0; i < out.numel(); ++i) {
            out.data<T>()[i] =
                fn(base.data<T>()[broadcast_offset(out.shape(), base.shape(), i)],
                   exponent.data<E>()[broadcast_offset(out.shape(), exponent.shape(), i)]);
          }
          return Status::ok();
        } else {
          // A one-element exponent never changes the element order: out has base's layout.
          if constexpr (std::is_floating_point_v<T>) {
            if (exponent.numel() == 1 && out.numel() == base.numel() &&
                try_square_fast_path(ctx, base, static_cast<double>(exponent.data<E>()[0]),
                                     out.data<T>())) {
              return Status::ok();
            }
          }
          const BinaryPlan plan = make_binary_plan(out.shape(), base.shape(), exponent.shape());
          run_binary(ctx.parallel(), plan, base.data<T>(), exponent.data<E>(), out.data<T>(), fn);
          return Status::ok();
        }
      });
    });
  }
};

}  // namespace

Status infer_pow(InferContext& ctx) {
  if (ctx.num_inputs() != 2) {
    return ctx.error(StatusCode::kInvalidArgument, "expects 2 inputs, got {}", ctx.num_inputs());
  }
  RI_ASSIGN_OR_RETURN(const TensorInfo* base, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* exponent, ctx.required_input(1));
  RI_RETURN_IF_ERROR(check_dtype(ctx, base->dtype, kPowBaseTypes, "base (input 0)"));
  RI_RETURN_IF_ERROR(check_dtype(ctx, exponent->dtype, kNumeric, "exponent (input 1)"));
  Shape out;
  RI_RETURN_IF_ERROR(broadcast_all(ctx, &out));
  ctx.set_output(0, base->dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_pow(const ir::Node& /*node*/) {
  return std::make_unique<PowKernel<false>>();
}
std::unique_ptr<Kernel> make_pow_reference(const ir::Node& /*node*/) {
  return std::make_unique<PowKernel<true>>();
}

}  // namespace recinfer::kernels
