// Not, And, Or, Xor over bool tensors. And/Or/Xor broadcast like the comparisons and share their
// kernels.
#include <memory>

#include "kernels/compare/binary_predicate.h"
#include "kernels/compare/compare_family.h"

namespace recinfer::kernels::compare {
namespace {

Status infer_logical_binary(InferContext& ctx) {
  return infer_binary_predicate(ctx, bit(DType::kBool), bit(DType::kBool));
}

template <typename Op>
std::unique_ptr<Kernel> make_kernel(const ir::Node& /*node*/) {
  return std::make_unique<BinaryPredicateKernel<Op>>();
}
template <typename Op>
std::unique_ptr<Kernel> make_reference(const ir::Node& /*node*/) {
  return std::make_unique<BinaryPredicateReference<Op>>();
}

Status infer_not(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (x->dtype != DType::kBool) {
    return ctx.error(StatusCode::kInvalidArgument, "input dtype {} is not allowed (bool only)",
                     dtype_name(x->dtype));
  }
  ctx.set_output(0, DType::kBool, x->shape);
  return Status::ok();
}

// A flat loop is already the naive form, so Not has no separate reference kernel.
class NotKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    // Bytes, normalised: see OnBoolBytes.
    const uint8_t* in = x.data<uint8_t>();
    bool* out = ctx.output(0).data<bool>();
    ctx.parallel_for(x.numel(), kMinElementsPerChunk, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) out[i] = in[i] == 0;
    });
    return Status::ok();
  }
};

std::unique_ptr<Kernel> make_not(const ir::Node& /*node*/) {
  return std::make_unique<NotKernel>();
}

}  // namespace

void register_logical_ops(KernelRegistry& registry) {
  registry.add(ir::OpType::kNot, {&infer_not, &make_not, nullptr});
  registry.add(ir::OpType::kAnd,
               {&infer_logical_binary, &make_kernel<AndOp>, &make_reference<AndOp>});
  registry.add(ir::OpType::kOr,
               {&infer_logical_binary, &make_kernel<OrOp>, &make_reference<OrOp>});
  registry.add(ir::OpType::kXor,
               {&infer_logical_binary, &make_kernel<XorOp>, &make_reference<XorOp>});
}

}  // namespace recinfer::kernels::compare
