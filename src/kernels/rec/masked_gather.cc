// MaskedGather (ai.recinfer): Gather on axis 0 where a negative id gives a row of zeros instead
// of wrapping (the "padding id" of recommendation features). One memcpy or memset per id,
// parallel over ids, with the rows of the next few ids prefetched.
#include <cstring>

#include "kernels/embedding/index_check.h"
#include "kernels/rec/rec_common.h"
#include "kernels/rec/rec_kernels.h"

namespace recinfer::kernels {

using namespace rec;  // NOLINT(google-build-using-namespace)

namespace {

constexpr int64_t kPrefetchIds = 4;
// Minimum bytes copied per parallel chunk, so that small lookups stay on one thread.
constexpr int64_t kMinChunkBytes = 32 * 1024;

Status bad_masked_id_error(const KernelContext& ctx, const Tensor& table, const Tensor& ids,
                           int64_t position) {
  return ctx.error(StatusCode::kOutOfRange,
                   "id {} at position {} of ids {} is out of range for table {} (ids must be "
                   "< {}; negative ids give zero rows)",
                   embedding::index_at(ids, position), position, ids.shape().to_string(),
                   table.shape().to_string(), table.shape()[0]);
}

template <typename TIndex>
void gather_masked(const char* table, int64_t rows, int64_t row_bytes, const TIndex* ids,
                   int64_t num_ids, char* out, int64_t begin, int64_t end,
                   embedding::BadIndexTracker& bad) {
  for (int64_t p = begin; p < end; ++p) {
    const int64_t ahead = p + kPrefetchIds;
    if (ahead < num_ids && ids[ahead] >= 0 && ids[ahead] < rows) {
      prefetch_row(table + static_cast<int64_t>(ids[ahead]) * row_bytes, row_bytes);
    }
    const int64_t id = ids[p];
    char* dst = out + p * row_bytes;
    if (id < 0) {
      std::memset(dst, 0, static_cast<size_t>(row_bytes));
    } else if (id < rows) {
      std::memcpy(dst, table + id * row_bytes, static_cast<size_t>(row_bytes));
    } else {
      bad.report(p);
    }
  }
}

int64_t row_bytes_of(const Tensor& table) {
  return table.shape().product(1, table.rank()) * static_cast<int64_t>(dtype_size(table.dtype()));
}

class MaskedGatherKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& table = *ctx.input(0);
    const Tensor& ids = *ctx.input(1);
    const int64_t rows = table.shape()[0];
    const int64_t row_bytes = row_bytes_of(table);
    const int64_t num_ids = ids.numel();
    const auto* src = static_cast<const char*>(table.raw());
    auto* dst = static_cast<char*>(ctx.output(0).raw());
    if (row_bytes == 0) {
      // Nothing to copy, but ids must still be valid (an empty row does not excuse a bad id).
      for (int64_t p = 0; p < num_ids; ++p) {
        if (embedding::index_at(ids, p) >= rows) return bad_masked_id_error(ctx, table, ids, p);
      }
      return Status::ok();
    }
    const int64_t grain = row_bytes >= kMinChunkBytes ? 1 : kMinChunkBytes / row_bytes;
    embedding::BadIndexTracker bad;
    ctx.parallel_for(num_ids, grain, [&](int64_t begin, int64_t end) {
      if (ids.dtype() == DType::kInt32) {
        gather_masked(src, rows, row_bytes, ids.data<int32_t>(), num_ids, dst, begin, end, bad);
      } else {
        gather_masked(src, rows, row_bytes, ids.data<int64_t>(), num_ids, dst, begin, end, bad);
      }
    });
    if (bad.any()) return bad_masked_id_error(ctx, table, ids, bad.first());
    return Status::ok();
  }
};

// Naive: checks every id first, then fills the output element by element.
class MaskedGatherReference final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& table = *ctx.input(0);
    const Tensor& ids = *ctx.input(1);
    const int64_t rows = table.shape()[0];
    for (int64_t p = 0; p < ids.numel(); ++p) {
      if (embedding::index_at(ids, p) >= rows) return bad_masked_id_error(ctx, table, ids, p);
    }
    const int64_t elem = static_cast<int64_t>(dtype_size(table.dtype()));
    const int64_t row_elems = table.shape().product(1, table.rank());
    const auto* src = static_cast<const unsigned char*>(table.raw());
    auto* dst = static_cast<unsigned char*>(ctx.output(0).raw());
    for (int64_t p = 0; p < ids.numel(); ++p) {
      const int64_t id = embedding::index_at(ids, p);
      for (int64_t e = 0; e < row_elems * elem; ++e) {
        dst[p * row_elems * elem + e] = id < 0 ? 0 : src[id * row_elems * elem + e];
      }
    }
    return Status::ok();
  }
};

}  // namespace

Status infer_masked_gather(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* table, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* ids, ctx.required_input(1));
  RI_RETURN_IF_ERROR(embedding::check_gatherable_dtype(ctx, table->dtype));
  RI_RETURN_IF_ERROR(check_id_input(ctx, *ids, "ids"));
  if (table->shape.rank() < 1) {
    return ctx.error(StatusCode::kInvalidArgument, "table must have rank >= 1, got shape {}",
                     table->shape.to_string());
  }
  const int out_rank = ids->shape.rank() + table->shape.rank() - 1;
  if (!Shape::fits(static_cast<size_t>(out_rank))) {
    return ctx.error(StatusCode::kUnsupported, "output rank {} exceeds the maximum {}", out_rank,
                     Shape::kMaxRank);
  }
  Shape out = ids->shape;
  for (int d = 1; d < table->shape.rank(); ++d) out.push_back(table->shape[d]);
  ctx.set_output(0, table->dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_masked_gather(const ir::Node& /*node*/) {
  return std::make_unique<MaskedGatherKernel>();
}

std::unique_ptr<Kernel> make_masked_gather_reference(const ir::Node& /*node*/) {
  return std::make_unique<MaskedGatherReference>();
}

}  // namespace recinfer::kernels
