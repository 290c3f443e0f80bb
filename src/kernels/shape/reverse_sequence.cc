// ReverseSequence(input, sequence_lens): for every batch entry b, reverses the first
// sequence_lens[b] steps along time_axis and copies the rest; time_axis/batch_axis are 0 and 1
// in either order. Every (time, batch) pair owns one contiguous slice of the trailing dims, so
// the kernel is one memcpy per pair (its own reference). A length outside [0, time] is a
// data-dependent error returned from compute.
#include <cstring>

#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

Status read_axes(const ir::Node& node, int* time_axis, int* batch_axis) {
  const int64_t t = node.attr_int("time_axis", 0);
  const int64_t b = node.attr_int("batch_axis", 1);
  if (!((t == 0 && b == 1) || (t == 1 && b == 0))) {
    return node_error(node, StatusCode::kInvalidArgument,
                      "time_axis {} and batch_axis {} must be 0 and 1 in some order", t, b);
  }
  *time_axis = static_cast<int>(t);
  *batch_axis = static_cast<int>(b);
  return Status::ok();
}

class ReverseSequenceKernel final : public Kernel {
 public:
  explicit ReverseSequenceKernel(const ir::Node& node) {
    (void)read_axes(node, &time_axis_, &batch_axis_);  // infer already rejected bad axes
  }

  Status compute(KernelContext& ctx) const override {
    const Tensor& in = *ctx.input(0);
    const Tensor& lens = *ctx.input(1);
    Tensor& out = ctx.output(0);
    const int64_t steps = in.shape()[time_axis_];
    const int64_t batch = in.shape()[batch_axis_];
    for (int64_t b = 0; b < batch; ++b) {
      const int64_t len = index_at(lens, b);
      if (len < 0 || len > steps) {
        return ctx.error(StatusCode::kOutOfRange,
                         "sequence_lens[{}] = {} is outside [0, {}] (the time axis)", b, len,
                         steps);
      }
    }
    if (out.numel() == 0) return Status::ok();
    const auto slice = static_cast<int64_t>(dtype_size(in.dtype())) * in.shape().product(2, in.rank());
    // Element strides, in slices, of one step along each axis.
    const int64_t time_stride = time_axis_ == 0 ? batch : 1;
    const int64_t batch_stride = batch_axis_ == 0 ? steps : 1;
    const auto* src = static_cast<const char*>(in.raw());
    auto* dst = static_cast<char*>(out.raw());
    ctx.parallel_for(batch, 1, [&](int64_t begin, int64_t end) {
      for (int64_t b = begin; b < end; ++b) {
        const int64_t len = index_at(lens, b);
        for (int64_t t = 0; t < steps; ++t) {
          const int64_t from = t < len ? len - 1 - t : t;
          std::memcpy(dst + (t * time_stride + b * batch_stride) * slice,
                      src + (from * time_stride + b * batch_stride) * slice,
                      static_cast<size_t>(slice));
        }
      }
    });
    return Status::ok();
  }

 private:
  int time_axis_ = 0;
  int batch_axis_ = 1;
};

}  // namespace

Status infer_reverse_sequence(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* lens, ctx.required_input(1));
  RI_RETURN_IF_ERROR(check_movable_dtype(ctx.node(), data->dtype, "input"));
  int time_axis = 0;
  int batch_axis = 0;
  RI_RETURN_IF_ERROR(read_axes(ctx.node(), &time_axis, &batch_axis));
  if (data->shape.rank() < 2) {
    return ctx.error(StatusCode::kInvalidArgument, "input must have rank >= 2, got shape {}",
                     data->shape.to_string());
  }
  if (!is_index_dtype(lens->dtype) || lens->shape.rank() != 1 ||
      lens->shape[0] != data->shape[batch_axis]) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "sequence_lens must be 1-D int64 of the batch size {}, got {} {}",
                     data->shape[batch_axis], dtype_name(lens->dtype), lens->shape.to_string());
  }
  ctx.set_output(0, data->dtype, data->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_reverse_sequence(const ir::Node& node) {
  return std::make_unique<ReverseSequenceKernel>(node);
}

}  // namespace recinfer::kernels
