// Split: cuts the input along `axis` into one piece per output. Sizes come from the `split`
// attribute (before opset 13), the `split` input (opset 13+), or are equal when absent.
#include <algorithm>
#include <cstring>

#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

// Where the sizes come from; reads them lazily so that any number of outputs needs no storage.
struct SplitSizes {
  const Tensor* input = nullptr;                // opset 13+: the split input's value
  const std::vector<int64_t>* attr = nullptr;   // before 13: the split attribute
  int64_t equal = 0;                            // neither: dim / outputs
  int64_t count() const {
    return input ? input->numel() : attr ? static_cast<int64_t>(attr->size()) : -1;
  }
  int64_t at(int i) const {
    return input ? index_at(*input, i) : attr ? (*attr)[static_cast<size_t>(i)] : equal;
  }
};

// Fills *sizes for a node whose sizes are given (or equal); `split_value` is the split input's
// value (opset 13+, may be null when the input is omitted).
Status make_sizes(const ir::Node& node, const Tensor* split_value, int64_t dim, int outputs,
                  SplitSizes* sizes) {
  if (node.opset < 13) {
    const ir::Attribute* attr = node.attr("split");
    if (attr != nullptr && attr->kind == ir::Attribute::Kind::kInts) sizes->attr = &attr->ints;
  } else {
    sizes->input = split_value;
  }
  if (sizes->count() < 0) {
    if (outputs == 0 || dim % outputs != 0) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "axis of size {} does not split evenly into {} outputs", dim, outputs);
    }
    sizes->equal = dim / outputs;
    return Status::ok();
  }
  if (sizes->count() != outputs) {
    return node_error(node, StatusCode::kInvalidArgument,
                      "split has {} entries but the node has {} outputs", sizes->count(),
                      outputs);
  }
  int64_t total = 0;
  for (int i = 0; i < outputs; ++i) {
    const int64_t size = sizes->at(i);
    if (size < 0 || size > dim - total) {
      return node_error(node, StatusCode::kInvalidArgument,
                        "split[{}] = {} is negative or exceeds the axis size {}", i, size, dim);
    }
    total += size;
  }
  if (total != dim) {
    return node_error(node, StatusCode::kInvalidArgument,
                      "split sizes add up to {} but the axis has size {}", total, dim);
  }
  return Status::ok();
}

class SplitKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const ir::Node& node = ctx.node();
    const Tensor& in = *ctx.input(0);
    int axis = 0;
    normalize_axis(node.attr_int("axis", 0), in.rank(), &axis);  // validated in infer
    const int64_t dim = in.shape()[axis];
    SplitSizes sizes;
    RI_RETURN_IF_ERROR(make_sizes(node, ctx.input(1), dim, ctx.num_outputs(), &sizes));
    const int64_t outer = in.shape().product(0, axis);
    const int64_t inner_bytes = in.shape().product(axis + 1, in.rank()) *
                                static_cast<int64_t>(dtype_size(in.dtype()));
    const int64_t in_row_bytes = dim * inner_bytes;
    const auto* src = static_cast<const char*>(in.raw());
    int64_t start = 0;
    for (int i = 0; i < ctx.num_outputs(); ++i) {
      const int64_t size = sizes.at(i);
      if (ctx.has_output(i)) {
        Shape shape = in.shape();
        shape[axis] = size;
        // Only an output whose shape infer could not know (split input unknown) is rebound.
        RI_ASSIGN_OR_RETURN(Tensor * out, bind_output_shape(ctx, i, in.dtype(), shape));
        const int64_t chunk = size * inner_bytes;
        auto* dst = static_cast<char*>(out->raw());
        const char* from = src + start * inner_bytes;
        if (chunk > 0) {
          const int64_t grain = std::max<int64_t>(1, (32 * 1024) / chunk);
          ctx.parallel_for(outer, grain, [&](int64_t begin, int64_t end) {
            for (int64_t o = begin; o < end; ++o) {
              std::memcpy(dst + o * chunk, from + o * in_row_bytes, static_cast<size_t>(chunk));
            }
          });
        }
      }
      start += size;
    }
    return Status::ok();
  }
};

}  // namespace

Status infer_split(InferContext& ctx) {
  const ir::Node& node = ctx.node();
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_movable_dtype(node, data->dtype, "input"));
  const int64_t raw_axis = node.attr_int("axis", 0);
  int axis = 0;
  if (!normalize_axis(raw_axis, data->shape.rank(), &axis)) {
    return ctx.error(StatusCode::kInvalidArgument, "axis {} is out of range for input {}",
                     raw_axis, data->shape.to_string());
  }
  if (ctx.num_outputs() == 0) return ctx.error(StatusCode::kInvalidArgument, "no outputs");
  const TensorInfo* split = node.opset >= 13 ? ctx.input(1) : nullptr;
  if (split != nullptr) {
    RI_RETURN_IF_ERROR(check_index_input(node, *split, "split"));
    if (split->value == nullptr) {
      for (int i = 0; i < ctx.num_outputs(); ++i) ctx.set_output_dynamic(i, data->dtype);
      return Status::ok();
    }
  }
  const int64_t dim = data->shape[axis];
  SplitSizes sizes;
  RI_RETURN_IF_ERROR(make_sizes(node, split ? split->value : nullptr, dim, ctx.num_outputs(),
                                &sizes));
  for (int i = 0; i < ctx.num_outputs(); ++i) {
    Shape shape = data->shape;
    shape[axis] = sizes.at(i);
    ctx.set_output(i, data->dtype, shape);
  }
  return Status::ok();
}

std::unique_ptr<Kernel> make_split(const ir::Node&) { return std::make_unique<SplitKernel>(); }

}  // namespace recinfer::kernels
