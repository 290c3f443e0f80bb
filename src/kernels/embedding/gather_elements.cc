// GatherElements: out[i0..ir] = data[i0..i(axis-1), indices[i0..ir], i(axis+1)..ir]; the output
// has the shape of indices. indices may be smaller than data in every dim (not only the axis), so
// data and indices have different strides; the kernel walks indices row by row (a row = the last
// dim), computing the data offset of a row once and then moving along its last dim.
#include <cstring>

#include "kernels/embedding/embedding_kernels.h"
#include "kernels/embedding/index_check.h"

namespace recinfer::kernels {

// Family helpers live in kernels::embedding so their short names cannot clash across families.
using namespace embedding;  // NOLINT(google-build-using-namespace)

namespace {

// Minimum elements per parallel chunk: the per-element work is a load, a check and a copy.
constexpr int64_t kMinChunkElements = 16 * 1024;

// Row-major strides of a shape, in elements.
void strides_of(const Shape& shape, int64_t* strides) {
  int64_t s = 1;
  for (int d = shape.rank() - 1; d >= 0; --d) {
    strides[d] = s;
    s *= shape[d];
  }
}

template <typename U, typename TIndex>
void gather_elements_rows(const Shape& idx_shape, const int64_t* data_strides, int axis,
                          int64_t axis_dim, const U* data, const TIndex* ids, U* out,
                          int64_t begin, int64_t end, BadIndexTracker& bad) {
  const int last = idx_shape.rank() - 1;
  const int64_t row_len = idx_shape[last];
  const int64_t axis_stride = data_strides[axis];
  for (int64_t row = begin; row < end; ++row) {
    // Data offset of the row's first element, without the axis term (that comes from the ids).
    int64_t base = 0;
    int64_t rest = row;
    for (int d = last - 1; d >= 0; --d) {
      const int64_t c = rest % idx_shape[d];
      rest /= idx_shape[d];
      if (d != axis) base += c * data_strides[d];
    }
    const int64_t first = row * row_len;
    for (int64_t j = 0; j < row_len; ++j) {
      int64_t k = 0;
      if (!wrap_index(static_cast<int64_t>(ids[first + j]), axis_dim, &k)) {
        bad.report(first + j);
        continue;
      }
      // On the last axis the id is the column; otherwise the column is j and the id picks the
      // slice along the axis.
      const int64_t src = axis == last ? base + k : base + j + k * axis_stride;
      out[first + j] = data[src];
    }
  }
}

template <typename U>
Status run_typed(KernelContext& ctx, int axis) {
  const Tensor& data = *ctx.input(0);
  const Tensor& indices = *ctx.input(1);
  Tensor& out = ctx.output(0);
  const Shape& idx_shape = indices.shape();
  const int64_t row_len = idx_shape[idx_shape.rank() - 1];
  if (indices.numel() == 0) return Status::ok();
  const int64_t rows = indices.numel() / row_len;
  int64_t data_strides[Shape::kMaxRank] = {};
  strides_of(data.shape(), data_strides);
  const int64_t axis_dim = data.shape()[axis];
  const int64_t grain = row_len >= kMinChunkElements ? 1 : kMinChunkElements / row_len;
  BadIndexTracker bad;
  const U* src = static_cast<const U*>(data.raw());
  U* dst = static_cast<U*>(out.raw());
  if (indices.dtype() == DType::kInt32) {
    const int32_t* ids = indices.data<int32_t>();
    ctx.parallel_for(rows, grain, [&](int64_t begin, int64_t end) {
      gather_elements_rows(idx_shape, data_strides, axis, axis_dim, src, ids, dst, begin, end, bad);
    });
  } else {
    const int64_t* ids = indices.data<int64_t>();
    ctx.parallel_for(rows, grain, [&](int64_t begin, int64_t end) {
      gather_elements_rows(idx_shape, data_strides, axis, axis_dim, src, ids, dst, begin, end, bad);
    });
  }
  if (bad.any()) return bad_index_error(ctx, indices, bad.first(), axis, axis_dim);
  return Status::ok();
}

class GatherElementsKernel final : public Kernel {
 public:
  explicit GatherElementsKernel(const ir::Node& node) : axis_(node.attr_int("axis", 0)) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    int axis = 0;
    if (!normalize_axis(axis_, data.rank(), &axis)) {
      return ctx.error(StatusCode::kInvalidArgument, "axis {} is out of range for rank {}",
                       axis_, data.rank());
    }
    // The kernel only moves elements, so dispatch on the element size, not the dtype.
    switch (dtype_size(data.dtype())) {
      case 1: return run_typed<uint8_t>(ctx, axis);
      case 2: return run_typed<uint16_t>(ctx, axis);
      case 4: return run_typed<uint32_t>(ctx, axis);
      case 8: return run_typed<uint64_t>(ctx, axis);
      default:
        return ctx.error(StatusCode::kUnsupported, "data dtype {} is not supported",
                         dtype_name(data.dtype()));
    }
  }

 private:
  int64_t axis_;
};

// Naive reference: one element at a time, unravelling the full output coordinate.
class GatherElementsReferenceKernel final : public Kernel {
 public:
  explicit GatherElementsReferenceKernel(const ir::Node& node)
      : axis_(node.attr_int("axis", 0)) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const Tensor& indices = *ctx.input(1);
    Tensor& out = ctx.output(0);
    int axis = 0;
    if (!normalize_axis(axis_, data.rank(), &axis)) {
      return ctx.error(StatusCode::kInvalidArgument, "axis {} is out of range for rank {}",
                       axis_, data.rank());
    }
    const int64_t axis_dim = data.shape()[axis];
    const size_t elem = dtype_size(data.dtype());
    const int rank = data.rank();
    int64_t coord[Shape::kMaxRank] = {};
    for (int64_t flat = 0; flat < indices.numel(); ++flat) {
      int64_t rest = flat;
      for (int d = rank - 1; d >= 0; --d) {
        coord[d] = rest % indices.shape()[d];
        rest /= indices.shape()[d];
      }
      int64_t k = 0;
      if (!wrap_index(index_at(indices, flat), axis_dim, &k)) {
        return bad_index_error(ctx, indices, flat, axis, axis_dim);
      }
      coord[axis] = k;
      int64_t src = 0;
      for (int d = 0; d < rank; ++d) src = src * data.shape()[d] + coord[d];
      std::memcpy(static_cast<char*>(out.raw()) + flat * static_cast<int64_t>(elem),
                  static_cast<const char*>(data.raw()) + src * static_cast<int64_t>(elem), elem);
    }
    return Status::ok();
  }

 private:
  int64_t axis_;
};

}  // namespace

Status infer_gather_elements(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* indices, ctx.required_input(1));
  RI_RETURN_IF_ERROR(check_gatherable_dtype(ctx, data->dtype));
  RI_RETURN_IF_ERROR(check_index_dtype(ctx, indices->dtype));
  const int rank = data->shape.rank();
  if (rank < 1 || indices->shape.rank() != rank) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "data and indices must have the same rank >= 1, got data {} and indices {}",
                     data->shape.to_string(), indices->shape.to_string());
  }
  const int64_t axis_attr = ctx.node().attr_int("axis", 0);
  int axis = 0;
  if (!normalize_axis(axis_attr, rank, &axis)) {
    return ctx.error(StatusCode::kInvalidArgument, "axis {} is out of range for data shape {}",
                     axis_attr, data->shape.to_string());
  }
  // Off the axis, indices address data directly, so they cannot be longer than data there.
  for (int d = 0; d < rank; ++d) {
    if (d != axis && indices->shape[d] > data->shape[d]) {
      return ctx.error(StatusCode::kInvalidArgument,
                       "indices {} exceed data {} in dim {} (only axis {} may differ freely)",
                       indices->shape.to_string(), data->shape.to_string(), d, axis);
    }
  }
  ctx.set_output(0, data->dtype, indices->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_gather_elements(const ir::Node& node) {
  return std::make_unique<GatherElementsKernel>(node);
}

std::unique_ptr<Kernel> make_gather_elements_reference(const ir::Node& node) {
  return std::make_unique<GatherElementsReferenceKernel>(node);
}

}  // namespace recinfer::kernels
