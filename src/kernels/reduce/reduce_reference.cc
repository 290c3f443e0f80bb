// Naive Reduce* (LogSumExp: log_sum_exp.cc): one pass over every input element in index order, each folded into
// the output element its kept coordinates name. The yardstick for reduce_fast.cc.
#include <algorithm>

#include "kernels/dispatch.h"
#include "kernels/reduce/reduce_common.h"
#include "kernels/reduce/reduce_math.h"

namespace recinfer::kernels::reduce {
namespace {

template <typename T, ReduceKind kKind>
void reduce_reference_typed(const Tensor& x, uint32_t mask, Tensor& y) {
  using R = Reducer<T, kKind>;
  const Shape& shape = x.shape();
  const int rank = shape.rank();
  const T* in = x.data<T>();
  T* out = y.data<T>();
  const int64_t out_count = y.numel();
  std::fill(out, out + out_count, R::identity());

  // Output stride of each input dim; reduced dims do not move the output position.
  int64_t out_stride[Shape::kMaxRank] = {};
  int64_t running = 1;
  for (int d = rank - 1; d >= 0; --d) {
    if ((mask >> d) & 1u) continue;
    out_stride[d] = running;
    running *= shape[d];
  }

  const int64_t n = x.numel();
  int64_t coord[Shape::kMaxRank] = {};
  for (int64_t i = 0; i < n; ++i) {
    int64_t o = 0;
    for (int d = 0; d < rank; ++d) o += coord[d] * out_stride[d];
    out[o] = R::accumulate(out[o], in[i]);
    for (int d = rank - 1; d >= 0; --d) {
      if (++coord[d] < shape[d]) break;
      coord[d] = 0;
    }
  }
  const int64_t count = out_count == 0 ? 0 : n / out_count;
  for (int64_t o = 0; o < out_count; ++o) out[o] = R::finalize(out[o], count);
}

}  // namespace

Status reduce_reference(ReduceKind kind, const Tensor& x, uint32_t mask, Tensor& y) {
  if (kind == ReduceKind::kLogSumExp) return log_sum_exp_reference(x, mask, y);
  return dispatch<kNumeric>(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    with_reduce_kind(kind, [&]<ReduceKind kKind>() { reduce_reference_typed<T, kKind>(x, mask, y); });
    return Status::ok();
  });
}

}  // namespace recinfer::kernels::reduce
