// Equal, Greater, GreaterOrEqual, Less, LessOrEqual: broadcast compare, bool output.
#include <memory>

#include "kernels/compare/binary_predicate.h"
#include "kernels/compare/compare_family.h"

namespace recinfer::kernels::compare {
namespace {

// Type constraints from the ONNX operator spec. float16/bfloat16 are valid ONNX (so they are
// in the allowed sets) but have no kernels: they are reported as unsupported, not as errors.
constexpr uint32_t kFloat16 = bit(DType::kFloat16);
constexpr uint32_t kBFloat16 = bit(DType::kBFloat16);
constexpr uint32_t kAllNumeric = kNumeric | kFloat16 | kBFloat16;

Status infer_equal(InferContext& ctx) {
  // Equal-7: bool, int32, int64; Equal-11: every numeric type and bool; Equal-13: + bfloat16.
  uint32_t allowed = bit(DType::kBool) | bit(DType::kInt32) | bit(DType::kInt64);
  if (ctx.opset() >= 11) allowed |= kNumeric | kFloat16;
  if (ctx.opset() >= 13) allowed |= kBFloat16;
  return infer_binary_predicate(ctx, allowed, kAll);
}

// Greater/Less: 7 takes floats only, 9 every numeric type, 13 adds bfloat16.
uint32_t ordering_allowed(int opset) {
  if (opset < 9) return kFloats | kFloat16;
  if (opset < 13) return kNumeric | kFloat16;
  return kAllNumeric;
}

Status infer_greater(InferContext& ctx) {
  return infer_binary_predicate(ctx, ordering_allowed(ctx.opset()), kNumeric);
}
Status infer_less(InferContext& ctx) {
  return infer_binary_predicate(ctx, ordering_allowed(ctx.opset()), kNumeric);
}

// GreaterOrEqual/LessOrEqual exist from opset 12 (every numeric type); 16 adds bfloat16.
uint32_t ordering_or_equal_allowed(int opset) {
  return opset < 16 ? (kNumeric | kFloat16) : kAllNumeric;
}

Status infer_greater_or_equal(InferContext& ctx) {
  return infer_binary_predicate(ctx, ordering_or_equal_allowed(ctx.opset()), kNumeric);
}
Status infer_less_or_equal(InferContext& ctx) {
  return infer_binary_predicate(ctx, ordering_or_equal_allowed(ctx.opset()), kNumeric);
}

template <typename Op>
std::unique_ptr<Kernel> make_kernel(const ir::Node& /*node*/) {
  return std::make_unique<BinaryPredicateKernel<Op>>();
}
template <typename Op>
std::unique_ptr<Kernel> make_reference(const ir::Node& /*node*/) {
  return std::make_unique<BinaryPredicateReference<Op>>();
}

template <typename Op>
OpSchema predicate_kernels(InferFn infer) {
  return {infer, &make_kernel<Op>, &make_reference<Op>};
}

}  // namespace

void register_comparison_ops(KernelRegistry& registry) {
  registry.add(ir::OpType::kEqual, predicate_kernels<EqualOp>(&infer_equal));
  registry.add(ir::OpType::kGreater, predicate_kernels<GreaterOp>(&infer_greater));
  registry.add(ir::OpType::kGreaterOrEqual,
               predicate_kernels<GreaterOrEqualOp>(&infer_greater_or_equal));
  registry.add(ir::OpType::kLess, predicate_kernels<LessOp>(&infer_less));
  registry.add(ir::OpType::kLessOrEqual, predicate_kernels<LessOrEqualOp>(&infer_less_or_equal));
}

}  // namespace recinfer::kernels::compare
