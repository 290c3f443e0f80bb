// Constant (value / value_float(s) / value_int(s) attributes) and ConstantOfShape (a shape input
// filled with the one-element `value` tensor, default float32 0).
#include <cstring>

#include "kernels/shape/copy.h"
#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

// The Constant's value as a tensor; value_float(s)/value_int(s) are wrapped without copying
// into a view of the attribute's own storage (the node outlives its kernels and infer).
Status constant_value(const ir::Node& node, Tensor* out) {
  static constexpr const char* kUnsupported[] = {"sparse_value", "value_string", "value_strings"};
  for (const char* name : kUnsupported) {
    if (node.has_attr(name)) {
      return node_error(node, StatusCode::kUnsupported, "attribute '{}' is not supported", name);
    }
  }
  using Kind = ir::Attribute::Kind;
  int found = 0;
  for (const auto& [name, attr] : node.attributes) {
    // Views into the attribute are read-only for us; const_cast only satisfies Tensor's API.
    if (name == "value" && attr.kind == Kind::kTensor) {
      *out = attr.tensor;
    } else if (name == "value_float" && attr.kind == Kind::kFloat) {
      *out = Tensor(DType::kFloat32, Shape{}, const_cast<float*>(&attr.f));
    } else if (name == "value_floats" && attr.kind == Kind::kFloats) {
      *out = Tensor(DType::kFloat32, Shape{static_cast<int64_t>(attr.floats.size())},
                    const_cast<float*>(attr.floats.data()));
    } else if (name == "value_int" && attr.kind == Kind::kInt) {
      *out = Tensor(DType::kInt64, Shape{}, const_cast<int64_t*>(&attr.i));
    } else if (name == "value_ints" && attr.kind == Kind::kInts) {
      *out = Tensor(DType::kInt64, Shape{static_cast<int64_t>(attr.ints.size())},
                    const_cast<int64_t*>(attr.ints.data()));
    } else {
      continue;
    }
    ++found;
  }
  if (found != 1) {
    return node_error(node, StatusCode::kInvalidArgument,
                      "needs exactly one value attribute, found {}", found);
  }
  return check_movable_dtype(node, out->dtype(), "value");
}

class ConstantKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    Tensor value;
    RI_RETURN_IF_ERROR(constant_value(ctx.node(), &value));
    copy_bytes(ctx, ctx.output(0).raw(), value.raw(), value.bytes());
    return Status::ok();
  }
};

// ConstantOfShape's fill value; float32 0 when the attribute is absent.
Status fill_value(const ir::Node& node, Tensor* out) {
  static float zero = 0.0f;
  const ir::Attribute* attr = node.attr("value");
  if (attr == nullptr) {
    *out = Tensor(DType::kFloat32, Shape{1}, &zero);
    return Status::ok();
  }
  if (attr->kind != ir::Attribute::Kind::kTensor) {
    return node_error(node, StatusCode::kInvalidArgument, "attribute 'value' must be a tensor");
  }
  RI_RETURN_IF_ERROR(check_movable_dtype(node, attr->tensor.dtype(), "value"));
  if (attr->tensor.numel() != 1) {
    return node_error(node, StatusCode::kInvalidArgument,
                      "attribute 'value' must hold one element, it has shape {}",
                      attr->tensor.shape().to_string());
  }
  *out = attr->tensor;
  return Status::ok();
}

Status constant_of_shape_shape(const ir::Node& node, const Tensor& shape_value, Shape* out) {
  IntList dims;
  RI_RETURN_IF_ERROR(read_int_list(node, shape_value, "input", Shape::kMaxRank, &dims));
  Shape result;
  for (int i = 0; i < dims.size; ++i) {
    if (dims[i] < 0) {
      return node_error(node, StatusCode::kInvalidArgument, "input[{}] = {} is negative", i,
                        dims[i]);
    }
    result.push_back(dims[i]);
  }
  RI_RETURN_IF_ERROR(check_output_shape(node, result));
  *out = result;
  return Status::ok();
}

class ConstantOfShapeKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    Tensor value;
    RI_RETURN_IF_ERROR(fill_value(ctx.node(), &value));
    Shape shape;
    RI_RETURN_IF_ERROR(constant_of_shape_shape(ctx.node(), *ctx.input(0), &shape));
    RI_ASSIGN_OR_RETURN(Tensor * out, bind_output_shape(ctx, 0, value.dtype(), shape));
    fill_elements(ctx, out->raw(), out->numel(), value.raw(), dtype_size(value.dtype()));
    return Status::ok();
  }
};

}  // namespace

Status infer_constant(InferContext& ctx) {
  Tensor value;
  RI_RETURN_IF_ERROR(constant_value(ctx.node(), &value));
  ctx.set_output(0, value.dtype(), value.shape());
  return Status::ok();
}

std::unique_ptr<Kernel> make_constant(const ir::Node&) {
  return std::make_unique<ConstantKernel>();
}

Status infer_constant_of_shape(InferContext& ctx) {
  Tensor value;
  RI_RETURN_IF_ERROR(fill_value(ctx.node(), &value));
  RI_ASSIGN_OR_RETURN(const TensorInfo* shape, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_index_input(ctx.node(), *shape, "input"));
  if (shape->value == nullptr) {
    ctx.set_output_dynamic(0, value.dtype());
    return Status::ok();
  }
  Shape out;
  RI_RETURN_IF_ERROR(constant_of_shape_shape(ctx.node(), *shape->value, &out));
  ctx.set_output(0, value.dtype(), out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_constant_of_shape(const ir::Node&) {
  return std::make_unique<ConstantOfShapeKernel>();
}

}  // namespace recinfer::kernels
