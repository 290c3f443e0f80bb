// Trilu: keeps the upper (upper=1: j - i >= k) or lower (upper=0: j - i <= k) triangle of every
// matrix in the last two dims and zeroes the rest; k is an optional scalar int64 input. SASRec
// builds its causal attention mask with it. Zero is the all-zero bit pattern in every dtype, so
// the kernel moves bytes: per row one memcpy of the kept run and memsets for the rest.
#include <algorithm>
#include <cstring>

#include "kernels/shape/shape_ops.h"
#include "kernels/shape/shape_util.h"

namespace recinfer::kernels {

// Family helpers live in `layout` so they cannot clash with other families' names.
using namespace layout;  // NOLINT(google-build-using-namespace)

namespace {

Status read_k(const ir::Node& node, const Tensor* k, int64_t* out) {
  *out = 0;
  if (k == nullptr) return Status::ok();
  if (k->numel() != 1) {
    return node_error(node, StatusCode::kInvalidArgument, "k must hold one value, got shape {}",
                      k->shape().to_string());
  }
  *out = index_at(*k, 0);
  return Status::ok();
}

// Columns [begin, end) of row i that are kept, clamped to [0, cols).
void kept_columns(int64_t i, int64_t cols, int64_t k, bool upper, int64_t* begin, int64_t* end) {
  // Clamp before adding so huge k cannot overflow.
  const int64_t bound = std::clamp<int64_t>(k, -cols - i - 1, cols + 1);
  if (upper) {
    *begin = std::clamp<int64_t>(i + bound, 0, cols);
    *end = cols;
  } else {
    *begin = 0;
    *end = std::clamp<int64_t>(i + bound + 1, 0, cols);
  }
}

template <bool kReference>
class TriluKernel final : public Kernel {
 public:
  explicit TriluKernel(const ir::Node& node) : upper_(node.attr_int("upper", 1) != 0) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& in = *ctx.input(0);
    Tensor& out = ctx.output(0);
    int64_t k = 0;
    RI_RETURN_IF_ERROR(read_k(ctx.node(), ctx.input(1), &k));
    if (out.numel() == 0) return Status::ok();
    const int rank = in.rank();
    const int64_t rows = in.shape()[rank - 2];
    const int64_t cols = in.shape()[rank - 1];
    const auto elem = static_cast<int64_t>(dtype_size(in.dtype()));
    const auto* src = static_cast<const char*>(in.raw());
    auto* dst = static_cast<char*>(out.raw());
    const int64_t total_rows = in.numel() / cols;
    if constexpr (kReference) {
      for (int64_t flat = 0; flat < in.numel(); ++flat) {
        const int64_t i = flat / cols % rows;
        const int64_t j = flat % cols;
        const bool keep = upper_ ? j - i >= k : j - i <= k;
        if (keep) std::memcpy(dst + flat * elem, src + flat * elem, static_cast<size_t>(elem));
        else std::memset(dst + flat * elem, 0, static_cast<size_t>(elem));
      }
    } else {
      const int64_t grain = std::max<int64_t>(1, 32768 / (cols * elem));
      ctx.parallel_for(total_rows, grain, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
          int64_t b = 0;
          int64_t e = 0;
          kept_columns(r % rows, cols, k, upper_, &b, &e);
          if (e < b) e = b;
          char* o = dst + r * cols * elem;
          const char* s = src + r * cols * elem;
          std::memset(o, 0, static_cast<size_t>(b * elem));
          if (o != s) std::memcpy(o + b * elem, s + b * elem, static_cast<size_t>((e - b) * elem));
          std::memset(o + e * elem, 0, static_cast<size_t>((cols - e) * elem));
        }
      });
    }
    return Status::ok();
  }

 private:
  bool upper_;
};

}  // namespace

Status infer_trilu(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* data, ctx.required_input(0));
  RI_RETURN_IF_ERROR(check_movable_dtype(ctx.node(), data->dtype, "input"));
  if (data->shape.rank() < 2) {
    return ctx.error(StatusCode::kInvalidArgument, "input must have rank >= 2, got shape {}",
                     data->shape.to_string());
  }
  const TensorInfo* k = ctx.input(1);
  if (k != nullptr && (k->dtype != DType::kInt64 || k->shape.numel() != 1)) {
    return ctx.error(StatusCode::kInvalidArgument, "k must be an int64 scalar, got {} {}",
                     dtype_name(k->dtype), k->shape.to_string());
  }
  ctx.set_output(0, data->dtype, data->shape);
  return Status::ok();
}

std::unique_ptr<Kernel> make_trilu(const ir::Node& node) {
  return std::make_unique<TriluKernel<false>>(node);
}
std::unique_ptr<Kernel> make_trilu_reference(const ir::Node& node) {
  return std::make_unique<TriluKernel<true>>(node);
}

}  // namespace recinfer::kernels
