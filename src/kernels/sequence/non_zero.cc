// NonZero: coordinates of the non-zero elements as an int64 (rank, count) tensor, in row-major
// order (numpy.nonzero stacked). A scalar is treated as a 1-element 1-D tensor, as numpy does.
// The input is cut into fixed chunks: a parallel pass counts each chunk, a prefix sum places
// them, and a second parallel pass writes coordinates; the chunking is fixed so the work split
// does not depend on the thread count. The count-then-write loop is already the naive algorithm
// and serves as its own reference.
#include <algorithm>

#include "kernels/dispatch.h"
#include "kernels/sequence/sequence_ops.h"

namespace recinfer::kernels {
namespace {

constexpr int64_t kMaxChunks = 64;
constexpr int64_t kChunkElements = 16 * 1024;

template <typename T>
bool is_non_zero(T v) {
  return v != T(0);  // NaN is non-zero
}

class NonZeroKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    return dispatch<kAll>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      return compute_typed<T>(ctx, x);
    });
  }

 private:
  template <typename T>
  static Status compute_typed(KernelContext& ctx, const Tensor& x) {
    const T* in = x.data<T>();
    const int64_t n = x.numel();
    Shape shape = x.shape();
    if (shape.rank() == 0) shape = Shape{1};
    const int rank = shape.rank();

    const int64_t chunks = std::clamp<int64_t>(n / kChunkElements, 1, kMaxChunks);
    const int64_t chunk_len = (n + chunks - 1) / chunks;
    int64_t chunk_start[kMaxChunks + 1];  // output column where each chunk's entries start
    ctx.parallel_for(chunks, 1, [&](int64_t begin, int64_t end) {
      for (int64_t c = begin; c < end; ++c) {
        const int64_t from = std::min(c * chunk_len, n);
        const int64_t to = std::min(from + chunk_len, n);
        int64_t found = 0;
        for (int64_t i = from; i < to; ++i) found += is_non_zero(in[i]) ? 1 : 0;
        chunk_start[c + 1] = found;
      }
    });
    chunk_start[0] = 0;
    for (int64_t c = 0; c < chunks; ++c) chunk_start[c + 1] += chunk_start[c];
    const int64_t count = chunk_start[chunks];

    RI_ASSIGN_OR_RETURN(Tensor * y, ctx.allocate_output(0, DType::kInt64, Shape{rank, count}));
    int64_t* out = y->data<int64_t>();
    ctx.parallel_for(chunks, 1, [&](int64_t begin, int64_t end) {
      for (int64_t c = begin; c < end; ++c) {
        const int64_t from = std::min(c * chunk_len, n);
        const int64_t to = std::min(from + chunk_len, n);
        if (from >= to) continue;
        int64_t coord[Shape::kMaxRank] = {};
        int64_t rest = from;
        for (int d = rank - 1; d >= 0; --d) {
          coord[d] = rest % shape[d];
          rest /= shape[d];
        }
        int64_t column = chunk_start[c];
        for (int64_t i = from; i < to; ++i) {
          if (is_non_zero(in[i])) {
            for (int d = 0; d < rank; ++d) out[d * count + column] = coord[d];
            ++column;
          }
          for (int d = rank - 1; d >= 0; --d) {
            if (++coord[d] < shape[d]) break;
            coord[d] = 0;
          }
        }
      }
    });
    return Status::ok();
  }
};

}  // namespace

Status infer_non_zero(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (!dtype_in(x->dtype, kAll)) {
    return ctx.error(StatusCode::kUnsupported, "input dtype {} is not supported",
                     dtype_name(x->dtype));
  }
  ctx.set_output_dynamic(0, DType::kInt64);
  return Status::ok();
}

std::unique_ptr<Kernel> make_non_zero(const ir::Node& /*node*/) {
  return std::make_unique<NonZeroKernel>();
}

}  // namespace recinfer::kernels
