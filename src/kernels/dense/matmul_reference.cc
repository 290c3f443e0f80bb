// Naive reference MatMul: for every output (batch, i, j), unravel the batch coordinate, map it
// into each operand's own batch dims (broadcast dims pinned to 0) and take one dot product.
#include "kernels/dense/dense_kernels.h"
#include "kernels/dense/dense_scalar.h"
#include "kernels/dense/matmul_shape.h"
#include "kernels/dispatch.h"

namespace recinfer::kernels {

// Family helpers live in kernels::dense so their short names cannot clash across families.
using namespace dense;  // NOLINT(google-build-using-namespace)

namespace {

// Flat index, in `dims`, of the batch coordinate `coord` (a dim of size 1 broadcasts).
int64_t broadcast_index(const Shape& dims, const int64_t* coord) {
  int64_t index = 0;
  for (int d = 0; d < dims.rank(); ++d) index = index * dims[d] + (dims[d] == 1 ? 0 : coord[d]);
  return index;
}

class MatMulReferenceKernel final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    Tensor& y = ctx.output(0);
    auto shape = matmul_shape(a.shape(), b.shape());
    if (!shape.is_ok()) return shape.status().with_context(ctx.node().describe());
    const MatMulShape& s = *shape;
    return dispatch<kDenseTypes>(a.dtype(), [&](auto tag) -> Status {
      using T = decltype(tag);
      int64_t coord[Shape::kMaxRank] = {};
      for (int64_t bi = 0; bi < s.batch.numel(); ++bi) {
        int64_t rest = bi;
        for (int d = s.batch.rank() - 1; d >= 0; --d) {
          coord[d] = rest % s.batch[d];
          rest /= s.batch[d];
        }
        const T* am = a.data<T>() + broadcast_index(s.a_batch, coord) * s.m * s.k;
        const T* bm = b.data<T>() + broadcast_index(s.b_batch, coord) * s.k * s.n;
        T* ym = y.data<T>() + bi * s.m * s.n;
        for (int64_t i = 0; i < s.m; ++i) {
          for (int64_t j = 0; j < s.n; ++j) {
            T acc = T(0);
            for (int64_t kk = 0; kk < s.k; ++kk) acc = mul_add(acc, am[i * s.k + kk], bm[kk * s.n + j]);
            ym[i * s.n + j] = acc;
          }
        }
      }
      return Status::ok();
    });
  }
};

}  // namespace

std::unique_ptr<Kernel> make_matmul_reference(const ir::Node& /*node*/) {
  return std::make_unique<MatMulReferenceKernel>();
}

}  // namespace recinfer::kernels
