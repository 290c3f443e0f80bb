// MaskedReduce (ai.recinfer): sum/mean/max of the rows X[p, ...] at the true positions p of a
// bool mask over X's leading dims, in NonZero's (row-major) order. Replaces NonZero ->
// Transpose -> GatherND -> Reduce, whose intermediate shapes depend on the data, with one pass
// over the mask. Parallel over blocks of output columns, so every column is accumulated in the
// same order whatever the thread count.
#include <array>

#include "kernels/rec/pool_bag.h"
#include "kernels/rec/rec_common.h"
#include "kernels/rec/rec_kernels.h"

namespace recinfer::kernels {

using namespace rec;  // NOLINT(google-build-using-namespace)

namespace {

constexpr int64_t kColumnBlock = 256;  // output floats per parallel task

template <PoolMode kMode>
void finish(float* out, int64_t count, int64_t begin, int64_t end) {
  if constexpr (kMode == PoolMode::kMean) {
    for (int64_t c = begin; c < end; ++c) out[c] = out[c] / static_cast<float>(count);
  }
}

template <PoolMode kMode>
void reduce_masked_columns(const float* x, const uint8_t* mask, const Shape& mask_shape,
                           const std::array<int64_t, Shape::kMaxRank>& x_strides,
                           int64_t col_begin, int64_t col_end, float* __restrict__ out) {
  for (int64_t c = col_begin; c < col_end; ++c) out[c] = pool_identity<kMode>();
  const int rank = mask_shape.rank();
  const int64_t positions = mask_shape.numel();
  std::array<int64_t, Shape::kMaxRank> index{};
  int64_t offset = 0;  // of X's row at the mask position, stepped with carries
  int64_t count = 0;
  for (int64_t p = 0; p < positions; ++p) {
    if (mask[p] != 0) {
      const float* __restrict__ row = x + offset;
      for (int64_t c = col_begin; c < col_end; ++c) {
        out[c] = kMode == PoolMode::kMax ? max_combine(out[c], row[c]) : out[c] + row[c];
      }
      ++count;
    }
    for (int d = rank - 1; d >= 0; --d) {
      offset += x_strides[d];
      if (++index[d] < mask_shape[d]) break;
      offset -= index[d] * x_strides[d];
      index[d] = 0;
    }
  }
  finish<kMode>(out, count, col_begin, col_end);
}

// Element strides of X's first mask.rank() dims.
std::array<int64_t, Shape::kMaxRank> leading_strides(const Shape& x, int mask_rank) {
  std::array<int64_t, Shape::kMaxRank> strides{};
  int64_t stride = x.product(mask_rank, x.rank());
  for (int d = mask_rank - 1; d >= 0; --d) {
    strides[d] = stride;
    stride *= x[d];
  }
  return strides;
}

template <typename Fn>
void with_mode(PoolMode mode, Fn&& fn) {
  switch (mode) {
    case PoolMode::kSum: fn.template operator()<PoolMode::kSum>(); break;
    case PoolMode::kMean: fn.template operator()<PoolMode::kMean>(); break;
    default: fn.template operator()<PoolMode::kMax>(); break;
  }
}

class MaskedReduceKernel final : public Kernel {
 public:
  explicit MaskedReduceKernel(const ir::Node& node) : mode_(pool_mode_of(node)) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& mask = *ctx.input(1);
    float* out = ctx.output(0).data<float>();
    const int64_t columns = x.shape().product(mask.rank(), x.rank());
    const auto strides = leading_strides(x.shape(), mask.rank());
    const int64_t blocks = (columns + kColumnBlock - 1) / kColumnBlock;
    with_mode(mode_, [&]<PoolMode kMode>() {
      ctx.parallel_for(blocks, 1, [&](int64_t begin, int64_t end) {
        for (int64_t block = begin; block < end; ++block) {
          reduce_masked_columns<kMode>(x.data<float>(), mask.data<uint8_t>(), mask.shape(),
                                       strides, block * kColumnBlock,
                                       std::min(columns, (block + 1) * kColumnBlock), out);
        }
      });
    });
    return Status::ok();
  }

 private:
  PoolMode mode_;
};

// Naive: every mask position unravelled on its own, one output element at a time.
class MaskedReduceReference final : public Kernel {
 public:
  explicit MaskedReduceReference(const ir::Node& node) : mode_(pool_mode_of(node)) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& mask = *ctx.input(1);
    float* out = ctx.output(0).data<float>();
    const int r = mask.rank();
    const int64_t columns = x.shape().product(r, x.rank());
    for (int64_t c = 0; c < columns; ++c) {
      float acc = mode_ == PoolMode::kMax ? pool_identity<PoolMode::kMax>() : 0.0f;
      int64_t count = 0;
      for (int64_t p = 0; p < mask.numel(); ++p) {
        if (!mask.data<bool>()[p]) continue;
        int64_t rest = p;
        int64_t x_row = 0;
        int64_t row_stride = 1;
        for (int d = r - 1; d >= 0; --d) {
          x_row += (rest % mask.shape()[d]) * row_stride;
          rest /= mask.shape()[d];
          row_stride *= x.shape()[d];
        }
        const float v = x.data<float>()[x_row * columns + c];
        acc = mode_ == PoolMode::kMax ? max_combine(acc, v) : acc + v;
        ++count;
      }
      out[c] = mode_ == PoolMode::kMean ? acc / static_cast<float>(count) : acc;
    }
    return Status::ok();
  }

 private:
  PoolMode mode_;
};

}  // namespace

Status infer_masked_reduce(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* mask, ctx.required_input(1));
  PoolMode mode = PoolMode::kSum;
  RI_RETURN_IF_ERROR(pool_mode_attr(ctx, &mode));
  if (x->dtype != DType::kFloat32) {
    return ctx.error(StatusCode::kInvalidArgument, "X must be float32, got {}",
                     dtype_name(x->dtype));
  }
  const int r = mask->shape.rank();
  if (mask->dtype != DType::kBool || r < 1 || r > x->shape.rank()) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "mask must be bool of rank 1..{} (X is {}), got {} {}", x->shape.rank(),
                     x->shape.to_string(), dtype_name(mask->dtype), mask->shape.to_string());
  }
  for (int d = 0; d < r; ++d) {
    if (mask->shape[d] > x->shape[d]) {
      return ctx.error(StatusCode::kInvalidArgument,
                       "mask shape {} exceeds X shape {} in dim {}", mask->shape.to_string(),
                       x->shape.to_string(), d);
    }
  }
  Shape out;
  if (ctx.node().attr_int("keepdims", 1) != 0) out.push_back(1);
  for (int d = r; d < x->shape.rank(); ++d) out.push_back(x->shape[d]);
  ctx.set_output(0, DType::kFloat32, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_masked_reduce(const ir::Node& node) {
  return std::make_unique<MaskedReduceKernel>(node);
}

std::unique_ptr<Kernel> make_masked_reduce_reference(const ir::Node& node) {
  return std::make_unique<MaskedReduceReference>(node);
}

}  // namespace recinfer::kernels
