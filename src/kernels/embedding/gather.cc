// Gather: out = data.shape[:axis] + indices.shape + data.shape[axis+1:].
// Viewed as [outer, axis_dim, row] where a "row" is everything after the axis, Gather copies one
// contiguous row per (outer, index) pair. With axis=0 (the embedding lookup) outer is 1 and each
// id selects one embedding row: one memcpy per id, parallel over ids, with the rows of the next
// few ids prefetched because ids are random and each row is a likely cache miss.
#include <cstring>

#include "kernels/embedding/embedding_kernels.h"
#include "kernels/embedding/index_check.h"

namespace recinfer::kernels {

// Family helpers live in kernels::embedding so their short names cannot clash across families.
using namespace embedding;  // NOLINT(google-build-using-namespace)

namespace {

// How many ids ahead to prefetch; far enough to hide a DRAM miss behind a few row copies.
constexpr int64_t kPrefetchDistance = 4;
// Prefetch at most this many bytes of a row; the hardware prefetcher follows the rest.
constexpr int64_t kPrefetchBytes = 256;
// Minimum bytes copied per parallel chunk, so that small lookups stay on one thread.
constexpr int64_t kMinChunkBytes = 32 * 1024;

// Fixed-size copies let the compiler emit a single load/store for scalar rows (axis = last).
inline void copy_row(char* dst, const char* src, int64_t bytes) {
  switch (bytes) {
    case 1: std::memcpy(dst, src, 1); break;
    case 2: std::memcpy(dst, src, 2); break;
    case 4: std::memcpy(dst, src, 4); break;
    case 8: std::memcpy(dst, src, 8); break;
    default: std::memcpy(dst, src, static_cast<size_t>(bytes)); break;
  }
}

inline void prefetch_row(const char* row, int64_t bytes) {
  const int64_t limit = bytes < kPrefetchBytes ? bytes : kPrefetchBytes;
  for (int64_t offset = 0; offset < limit; offset += 64) __builtin_prefetch(row + offset, 0, 1);
}

struct GatherGeometry {
  int axis = 0;
  int64_t outer = 1;     // product of data dims before the axis
  int64_t axis_dim = 0;  // data.shape[axis]
  int64_t row_bytes = 0; // bytes of one slice after the axis
  int64_t num_ids = 0;   // indices.numel()
};

GatherGeometry geometry(const Tensor& data, const Tensor& indices, int axis) {
  GatherGeometry g;
  g.axis = axis;
  g.outer = data.shape().product(0, axis);
  g.axis_dim = data.shape()[axis];
  g.row_bytes = data.shape().product(axis + 1, data.rank()) *
                static_cast<int64_t>(dtype_size(data.dtype()));
  g.num_ids = indices.numel();
  return g;
}

template <typename TIndex>
void gather_rows(const GatherGeometry& g, const char* data, const TIndex* ids, char* out,
                 int64_t begin, int64_t end, BadIndexTracker& bad) {
  const int64_t outer_stride = g.axis_dim * g.row_bytes;
  const int64_t total = g.outer * g.num_ids;
  for (int64_t r = begin; r < end; ++r) {
    const int64_t outer = r / g.num_ids;
    const int64_t id_pos = r - outer * g.num_ids;
    const int64_t ahead = r + kPrefetchDistance;
    if (ahead < total) {
      const int64_t ahead_outer = ahead / g.num_ids;
      int64_t ahead_row = 0;
      if (wrap_index(static_cast<int64_t>(ids[ahead - ahead_outer * g.num_ids]), g.axis_dim,
                     &ahead_row)) {
        prefetch_row(data + ahead_outer * outer_stride + ahead_row * g.row_bytes, g.row_bytes);
      }
    }
    int64_t row = 0;
    if (!wrap_index(static_cast<int64_t>(ids[id_pos]), g.axis_dim, &row)) {
      bad.report(id_pos);
      continue;
    }
    copy_row(out + r * g.row_bytes, data + outer * outer_stride + row * g.row_bytes, g.row_bytes);
  }
}

class GatherKernel final : public Kernel {
 public:
  explicit GatherKernel(const ir::Node& node) : axis_(node.attr_int("axis", 0)) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const Tensor& indices = *ctx.input(1);
    Tensor& out = ctx.output(0);
    int axis = 0;
    if (!normalize_axis(axis_, data.rank(), &axis)) {
      return ctx.error(StatusCode::kInvalidArgument, "axis {} is out of range for rank {}",
                       axis_, data.rank());
    }
    const GatherGeometry g = geometry(data, indices, axis);
    const int64_t total = g.outer * g.num_ids;
    if (total == 0 || g.row_bytes == 0) {
      // Nothing copied, but ids must still be valid (an empty row does not excuse a bad id).
      for (int64_t p = 0; p < g.num_ids; ++p) {
        int64_t row = 0;
        if (!wrap_index(index_at(indices, p), g.axis_dim, &row)) {
          return bad_index_error(ctx, indices, p, axis, g.axis_dim);
        }
      }
      return Status::ok();
    }
    const auto* src = static_cast<const char*>(data.raw());
    auto* dst = static_cast<char*>(out.raw());
    const int64_t grain = g.row_bytes >= kMinChunkBytes ? 1 : kMinChunkBytes / g.row_bytes;
    BadIndexTracker bad;
    if (indices.dtype() == DType::kInt32) {
      const int32_t* ids = indices.data<int32_t>();
      ctx.parallel_for(total, grain, [&](int64_t begin, int64_t end) {
        gather_rows(g, src, ids, dst, begin, end, bad);
      });
    } else {
      const int64_t* ids = indices.data<int64_t>();
      ctx.parallel_for(total, grain, [&](int64_t begin, int64_t end) {
        gather_rows(g, src, ids, dst, begin, end, bad);
      });
    }
    if (bad.any()) return bad_index_error(ctx, indices, bad.first(), axis, g.axis_dim);
    return Status::ok();
  }

 private:
  int64_t axis_;
};

// Naive reference: unravels every output element's coordinate and maps it back into data, one
// element at a time, sharing no index arithmetic with the row-based kernel above.
class GatherReferenceKernel final : public Kernel {
 public:
  explicit GatherReferenceKernel(const ir::Node& node) : axis_(node.attr_int("axis", 0)) {}

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
    for (int64_t p = 0; p < indices.numel(); ++p) {
      int64_t unused = 0;
      if (!wrap_index(index_at(indices, p), axis_dim, &unused)) {
        return bad_index_error(ctx, indices, p, axis, axis_dim);
      }
    }
    const size_t elem = dtype_size(data.dtype());
    const Shape& out_shape = out.shape();
    const int q = indices.rank();
    int64_t coord[Shape::kMaxRank] = {};
    for (int64_t flat = 0; flat < out.numel(); ++flat) {
      int64_t rest = flat;
      for (int d = out_shape.rank() - 1; d >= 0; --d) {
        coord[d] = rest % out_shape[d];
        rest /= out_shape[d];
      }
      int64_t id_pos = 0;
      for (int d = 0; d < q; ++d) id_pos = id_pos * indices.shape()[d] + coord[axis + d];
      int64_t row = 0;
      wrap_index(index_at(indices, id_pos), axis_dim, &row);
      int64_t src = 0;
      for (int d = 0; d < data.rank(); ++d) {
        const int64_t c = d < axis ? coord[d] : (d == axis ? row : coord[d - 1 + q]);
        src = src * data.shape()[d] + c;
      }
      std::memcpy(static_cast<char*>(out.raw()) + flat * static_cast<int64_t>(elem),
                  static_cast<const char*>(data.raw()) + src * static_cast<int64_t>(elem), elem);
    }
    return Status::ok();
  }

 private:
  int64_t axis_;
};

}  // namespace

Status infer_gather(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* indices, ctx.required_input(1));
  RI_RETURN_IF_ERROR(check_gatherable_dtype(ctx, data->dtype));
  RI_RETURN_IF_ERROR(check_index_dtype(ctx, indices->dtype));
  const int rank = data->shape.rank();
  if (rank < 1) {
    return ctx.error(StatusCode::kInvalidArgument, "data must have rank >= 1, got shape {}",
                     data->shape.to_string());
  }
  const int64_t axis_attr = ctx.node().attr_int("axis", 0);
  int axis = 0;
  if (!normalize_axis(axis_attr, rank, &axis)) {
    return ctx.error(StatusCode::kInvalidArgument, "axis {} is out of range for data shape {}",
                     axis_attr, data->shape.to_string());
  }
  const int out_rank = rank - 1 + indices->shape.rank();
  if (!Shape::fits(static_cast<size_t>(out_rank))) {
    return ctx.error(StatusCode::kUnsupported, "output rank {} exceeds the maximum {}", out_rank,
                     Shape::kMaxRank);
  }
  Shape out;
  for (int d = 0; d < axis; ++d) out.push_back(data->shape[d]);
  for (int64_t dim : indices->shape) out.push_back(dim);
  for (int d = axis + 1; d < rank; ++d) out.push_back(data->shape[d]);
  ctx.set_output(0, data->dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_gather(const ir::Node& node) {
  return std::make_unique<GatherKernel>(node);
}

std::unique_ptr<Kernel> make_gather_reference(const ir::Node& node) {
  return std::make_unique<GatherReferenceKernel>(node);
}

}  // namespace recinfer::kernels
