// TopK: the k largest (or smallest) elements along an axis and their int64 indices. K is an
// attribute in opset 1 and a 1-element input from opset 10; `largest` and `sorted` arrive in
// opset 11. Results are always sorted (allowed for sorted=0, where order is unspecified), with
// ties resolved to the smaller index first like ONNX Runtime.
#include "kernels/dispatch.h"
#include "kernels/reduce/output_binding.h"
#include "kernels/sequence/sequence_ops.h"
#include "kernels/sequence/top_k.h"

namespace recinfer::kernels {
namespace {

using reduce::bind_output;
using reduce::with_node;
using sequence::TopKSplit;
using sequence::top_k_heap;
using sequence::top_k_reference;

struct TopKConfig {
  int64_t axis = -1;
  bool largest = true;
  bool k_from_input = true;
  bool has_attr_k = false;
  int64_t attr_k = -1;
};

TopKConfig top_k_config(const ir::Node& node) {
  TopKConfig config;
  config.axis = node.attr_int("axis", -1);
  config.largest = node.opset < 11 || node.attr_int("largest", 1) != 0;
  config.k_from_input = node.opset >= 10;
  config.has_attr_k = node.has_attr("k");
  config.attr_k = node.attr_int("k", -1);
  return config;
}

Status read_k(const Tensor& k_tensor, int64_t* k) {
  if (k_tensor.numel() != 1 || k_tensor.rank() > 1) {
    return invalid_argument("K input must hold one value, got shape {}",
                            k_tensor.shape().to_string());
  }
  if (k_tensor.dtype() == DType::kInt64) {
    *k = k_tensor.data<int64_t>()[0];
  } else if (k_tensor.dtype() == DType::kInt32) {
    *k = k_tensor.data<int32_t>()[0];
  } else {
    return invalid_argument("K input must be int64, got {}", dtype_name(k_tensor.dtype()));
  }
  return Status::ok();
}

// Resolves k (from the attribute, or from k_tensor when it comes from the input) and the
// selection geometry; the output shape is the input's with the axis dim set to k.
Status resolve_top_k(const TopKConfig& config, const Shape& shape, const Tensor* k_tensor,
                     TopKSplit* split, Shape* out_shape) {
  int64_t k = config.attr_k;
  if (config.k_from_input) {
    if (k_tensor == nullptr) return invalid_argument("K input is missing");
    RI_RETURN_IF_ERROR(read_k(*k_tensor, &k));
  } else if (!config.has_attr_k) {
    return invalid_argument("attribute k is missing");
  }
  int axis = 0;
  if (!normalize_axis(config.axis, shape.rank(), &axis)) {
    return invalid_argument("axis {} is out of range for input shape {}", config.axis,
                            shape.to_string());
  }
  if (k < 0 || k > shape[axis]) {
    return invalid_argument("k {} is out of range for axis {} of size {}", k, config.axis,
                            shape[axis]);
  }
  split->outer = shape.product(0, axis);
  split->n = shape[axis];
  split->inner = shape.product(axis + 1, shape.rank());
  split->k = k;
  split->largest = config.largest;
  *out_shape = shape;
  (*out_shape)[axis] = k;
  return Status::ok();
}

class TopKKernel final : public Kernel {
 public:
  TopKKernel(const ir::Node& node, bool reference)
      : config_(top_k_config(node)), reference_(reference) {}

  Status compute(KernelContext& ctx) const override {
    if (ctx.num_outputs() < 2) {
      return ctx.error(StatusCode::kInvalidArgument, "expects 2 outputs, got {}",
                       ctx.num_outputs());
    }
    const Tensor& x = *ctx.input(0);
    TopKSplit split;
    Shape out_shape;
    // K may be a runtime input, so it is read and checked on every run.
    Status status = resolve_top_k(config_, x.shape(), ctx.input(1), &split, &out_shape);
    if (!status.is_ok()) return with_node(status, ctx.node());
    RI_ASSIGN_OR_RETURN(Tensor * values, bind_output(ctx, 0, x.dtype(), out_shape));
    RI_ASSIGN_OR_RETURN(Tensor * indices, bind_output(ctx, 1, DType::kInt64, out_shape));
    status = reference_ ? top_k_reference(x, split, *values, *indices)
                        : top_k_heap(x, split, *values, *indices, ctx.parallel());
    return with_node(status, ctx.node());
  }

 private:
  TopKConfig config_;
  bool reference_;
};

}  // namespace

Status infer_top_k(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (!dtype_in(x->dtype, kNumeric)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  if (ctx.num_outputs() < 2) {
    return ctx.error(StatusCode::kInvalidArgument, "expects 2 outputs, got {}",
                     ctx.num_outputs());
  }
  const TopKConfig config = top_k_config(ctx.node());
  const Tensor* k_tensor = nullptr;
  if (config.k_from_input) {
    RI_ASSIGN_OR_RETURN(const TensorInfo* k_info, ctx.required_input(1));
    if (k_info->value == nullptr) {  // K only known at run time
      ctx.set_output_dynamic(0, x->dtype);
      ctx.set_output_dynamic(1, DType::kInt64);
      return Status::ok();
    }
    k_tensor = k_info->value;
  }
  TopKSplit split;
  Shape out_shape;
  Status status = resolve_top_k(config, x->shape, k_tensor, &split, &out_shape);
  if (!status.is_ok()) return with_node(status, ctx.node());
  ctx.set_output(0, x->dtype, out_shape);
  ctx.set_output(1, DType::kInt64, out_shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_top_k(const ir::Node& node) {
  return std::make_unique<TopKKernel>(node, false);
}
std::unique_ptr<Kernel> make_top_k_reference(const ir::Node& node) {
  return std::make_unique<TopKKernel>(node, true);
}

}  // namespace recinfer::kernels
