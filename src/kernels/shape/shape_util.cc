#include "kernels/shape/shape_util.h"

#include <limits>

namespace recinfer::kernels::layout {

Status check_movable_dtype(const ir::Node& node, DType dtype, std::string_view input_name) {
  if (dtype_size(dtype) == 0) {
    return node_error(node, StatusCode::kUnsupported, "input '{}' has dtype {}, which has no fixed "
                      "element size", input_name, dtype_name(dtype));
  }
  return Status::ok();
}

Status check_index_input(const ir::Node& node, const TensorInfo& info, std::string_view name) {
  if (!is_index_dtype(info.dtype)) {
    return node_error(node, StatusCode::kInvalidArgument,
                      "input '{}' must be int32 or int64, got {}", name, dtype_name(info.dtype));
  }
  if (info.shape.rank() > 1) {
    return node_error(node, StatusCode::kInvalidArgument, "input '{}' must be 1-D, got shape {}",
                      name, info.shape.to_string());
  }
  return Status::ok();
}

Status read_int_list(const ir::Node& node, const Tensor& t, std::string_view name, int max_size,
                     IntList* out) {
  TensorInfo info{t.dtype(), t.shape(), &t};
  RI_RETURN_IF_ERROR(check_index_input(node, info, name));
  const int64_t n = t.numel();
  if (n > max_size) {
    return node_error(node, StatusCode::kUnsupported,
                      "input '{}' has {} entries, more than the {} supported here", name, n,
                      max_size);
  }
  out->size = static_cast<int>(n);
  for (int64_t i = 0; i < n; ++i) out->values[static_cast<size_t>(i)] = index_at(t, i);
  return Status::ok();
}

Status int_list_from_attr(const ir::Node& node, std::string_view name, int max_size,
                          IntList* out) {
  const ir::Attribute* attr = node.attr(name);
  out->size = 0;
  if (attr == nullptr) return Status::ok();
  if (attr->kind != ir::Attribute::Kind::kInts) {
    return node_error(node, StatusCode::kInvalidArgument, "attribute '{}' must be ints, got {}",
                      name, ir::attribute_kind_name(attr->kind));
  }
  if (attr->ints.size() > static_cast<size_t>(max_size)) {
    return node_error(node, StatusCode::kUnsupported,
                      "attribute '{}' has {} entries, more than the {} supported here", name,
                      attr->ints.size(), max_size);
  }
  for (int64_t v : attr->ints) out->values[static_cast<size_t>(out->size++)] = v;
  return Status::ok();
}

Status normalize_axes(const ir::Node& node, IntList* axes, int rank, std::string_view name) {
  for (int i = 0; i < axes->size; ++i) {
    int axis = 0;
    const int64_t raw = (*axes)[i];
    if (!normalize_axis(raw, rank, &axis)) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "{} value {} is out of range for rank {}", name, raw, rank);
    }
    for (int j = 0; j < i; ++j) {
      if ((*axes)[j] == axis) {
        return node_error(node, StatusCode::kInvalidArgument, "{} repeats axis {}", name, raw);
      }
    }
    axes->values[static_cast<size_t>(i)] = axis;
  }
  return Status::ok();
}

Status check_output_shape(const ir::Node& node, const Shape& shape) {
  int64_t numel = 0;
  if (!shape.checked_numel(&numel)) {
    return node_error(node, StatusCode::kInvalidArgument,
                      "output shape {} has a negative dim or too many elements",
                      shape.to_string());
  }
  return Status::ok();
}

Result<Tensor*> bind_output_shape(KernelContext& ctx, int i, DType dtype, const Shape& shape) {
  Tensor& out = ctx.output(i);
  const bool bound = out.raw() != nullptr || shape.numel() == 0;
  if (out.dtype() == dtype && out.shape() == shape && bound) {
    return &out;
  }
  return ctx.allocate_output(i, dtype, shape);
}

}  // namespace recinfer::kernels::layout
