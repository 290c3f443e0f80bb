// The Reduce* ops: shape inference and the kernel shell that resolves axes (from the attribute,
// or from the axes input of ReduceSum-13 and every reduce from opset 18) before handing over to
// the fast or the reference loops.
#include "kernels/dispatch.h"
#include "kernels/reduce/output_binding.h"
#include "kernels/reduce/reduce_common.h"
#include "kernels/reduce/reduce_ops.h"

namespace recinfer::kernels {

using namespace reduce;  // NOLINT(google-build-using-namespace): this family's helpers

Status infer_reduce(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (!dtype_in(x->dtype, kNumeric)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  const ReduceConfig config = reduce_config(ctx.node());
  const Tensor* axes = nullptr;
  if (config.axes_from_input && ctx.input(1) != nullptr) {
    if (ctx.input(1)->value == nullptr) {  // axes only known at run time
      ctx.set_output_dynamic(0, x->dtype);
      return Status::ok();
    }
    axes = ctx.input(1)->value;
  }
  uint32_t mask = 0;
  Status status = resolve_reduce_mask(config, axes, x->shape.rank(), &mask);
  if (!status.is_ok()) return with_node(status, ctx.node());
  ctx.set_output(0, x->dtype, reduce_output_shape(x->shape, mask, config.keepdims));
  return Status::ok();
}

namespace {

class ReduceKernel final : public Kernel {
 public:
  ReduceKernel(const ir::Node& node, ReduceKind kind, bool reference)
      : config_(reduce_config(node)), kind_(kind), reference_(reference) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    uint32_t mask = 0;
    // Axes from an input can change between runs, so they are resolved (and checked) here.
    Status status = resolve_reduce_mask(config_, config_.axes_from_input ? ctx.input(1) : nullptr,
                                        x.rank(), &mask);
    if (!status.is_ok()) return with_node(status, ctx.node());
    RI_ASSIGN_OR_RETURN(Tensor * y, bind_output(ctx, 0, x.dtype(),
                                                reduce_output_shape(x.shape(), mask,
                                                                    config_.keepdims)));
    status = reference_ ? reduce_reference(kind_, x, mask, *y)
                        : reduce_fast(kind_, x, mask, *y, ctx.parallel());
    return with_node(status, ctx.node());
  }

 private:
  ReduceConfig config_;
  ReduceKind kind_;
  bool reference_;
};

}  // namespace

std::unique_ptr<Kernel> make_reduce_sum(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kSum, false);
}
std::unique_ptr<Kernel> make_reduce_sum_reference(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kSum, true);
}
std::unique_ptr<Kernel> make_reduce_mean(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kMean, false);
}
std::unique_ptr<Kernel> make_reduce_mean_reference(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kMean, true);
}
std::unique_ptr<Kernel> make_reduce_max(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kMax, false);
}
std::unique_ptr<Kernel> make_reduce_max_reference(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kMax, true);
}
std::unique_ptr<Kernel> make_reduce_min(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kMin, false);
}
std::unique_ptr<Kernel> make_reduce_min_reference(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kMin, true);
}
std::unique_ptr<Kernel> make_reduce_prod(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kProd, false);
}
std::unique_ptr<Kernel> make_reduce_prod_reference(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kProd, true);
}
std::unique_ptr<Kernel> make_reduce_l1(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kL1, false);
}
std::unique_ptr<Kernel> make_reduce_l1_reference(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kL1, true);
}
std::unique_ptr<Kernel> make_reduce_l2(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kL2, false);
}
std::unique_ptr<Kernel> make_reduce_l2_reference(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kL2, true);
}
std::unique_ptr<Kernel> make_reduce_log_sum(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kLogSum, false);
}
std::unique_ptr<Kernel> make_reduce_log_sum_reference(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kLogSum, true);
}
std::unique_ptr<Kernel> make_reduce_log_sum_exp(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kLogSumExp, false);
}
std::unique_ptr<Kernel> make_reduce_log_sum_exp_reference(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kLogSumExp, true);
}
std::unique_ptr<Kernel> make_reduce_sum_square(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kSumSquare, false);
}
std::unique_ptr<Kernel> make_reduce_sum_square_reference(const ir::Node& node) {
  return std::make_unique<ReduceKernel>(node, ReduceKind::kSumSquare, true);
}

}  // namespace recinfer::kernels
