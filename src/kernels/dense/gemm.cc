// Gemm: Y = alpha * op(A) * op(B) + beta * C, with C broadcast unidirectionally to (M, N).
// float32 runs through oneDNN one tile per parallel_for chunk: the tile of Y is first filled with
// beta * C (so oneDNN's beta = 1 adds the product onto it while the tile is still in cache);
// other dtypes use the naive tile loops and apply alpha and the bias afterwards.
#include <algorithm>
#include <atomic>
#include <vector>

#include "kernels/dense/dense_kernels.h"
#include "kernels/dense/gemm_blocks.h"
#include "kernels/dense/gemm_common.h"
#include "kernels/dense/gemm_tiles.h"
#include "kernels/dispatch.h"

namespace recinfer::kernels {

// Family helpers live in kernels::dense so their short names cannot clash across families.
using namespace dense;  // NOLINT(google-build-using-namespace)

namespace {

template <typename T>
void fill_bias_tile(T* y, int64_t ldy, const GemmBias<T>& bias, float beta, const Tile& tile) {
  for (int64_t i = tile.m_begin; i < tile.m_end; ++i) {
    T* y_row = y + i * ldy;
    for (int64_t j = tile.n_begin; j < tile.n_end; ++j) {
      y_row[j] = bias.c ? scale(bias.at(i, j), beta) : T(0);
    }
  }
}

// One output row: y = activation(y + beta·c), while the row is in L1.
void add_row_bias_and_activate(float* y, const float* c, float beta, int64_t n, Activation act) {
  if (beta == 1.0f) {
    for (int64_t j = 0; j < n; ++j) y[j] += c[j];
  } else {
    for (int64_t j = 0; j < n; ++j) y[j] += beta * c[j];
  }
  if (act != Activation::kNone) apply_activation(act, y, n, false);
}

template <typename T>
void scale_and_bias_tile(T* y, int64_t ldy, const GemmBias<T>& bias, float alpha, float beta,
                         const Tile& tile) {
  for (int64_t i = tile.m_begin; i < tile.m_end; ++i) {
    T* y_row = y + i * ldy;
    for (int64_t j = tile.n_begin; j < tile.n_end; ++j) {
      T v = scale(y_row[j], alpha);
      if (bias.c) v = wrap_add(v, scale(bias.at(i, j), beta));
      y_row[j] = v;
    }
  }
}

class GemmKernel final : public Kernel {
 public:
  explicit GemmKernel(const ir::Node& node) : attrs_(GemmAttributes::from(node)) {}

  Status prepare(const PrepareContext& ctx) override {
    RI_RETURN_IF_ERROR(check_gemm_flags(ctx.node));
    const Tensor* b = ctx.constant_inputs.size() > 1 ? ctx.constant_inputs[1] : nullptr;
    if (b != nullptr && b->dtype() == DType::kFloat32 && b->shape().rank() == 2) {
      const int64_t k = attrs_.trans_b ? b->shape()[1] : b->shape()[0];
      const int64_t n = attrs_.trans_b ? b->shape()[0] : b->shape()[1];
      blocks_ = find_weight_blocks(b->data<float>(), k, n, attrs_.trans_b);
    }
    return Status::ok();
  }

  Status compute(KernelContext& ctx) const override {
    return dispatch<kDenseTypes>(ctx.input(0)->dtype(), [&](auto tag) -> Status {
      using T = decltype(tag);
      return compute_typed<T>(ctx);
    });
  }

 private:
  template <typename T>
  Status compute_typed(KernelContext& ctx) const {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    Tensor& y = ctx.output(0);
    GemmOperands<T> ops;
    ops.a = a.data<T>();
    ops.b = b.data<T>();
    ops.y = y.data<T>();
    ops.trans_a = attrs_.trans_a;
    ops.trans_b = attrs_.trans_b;
    ops.m = y.shape()[0];
    ops.n = y.shape()[1];
    ops.k = attrs_.trans_a ? a.shape()[0] : a.shape()[1];
    const GemmBias<T> bias = GemmBias<T>::from(ctx.input(2));
    const TilePlan plan = plan_tiles(1, ops.m, ops.n, ops.k, ctx.num_threads());
    std::atomic<int> failure{0};
    ctx.parallel_for(plan.count(), plan.grain, [&](int64_t begin, int64_t end) {
      for (int64_t t = begin; t < end; ++t) {
        const Tile tile = plan.tile(t);
        if constexpr (std::is_same_v<T, float>) {
          // A row bias (C of shape (N) or (1, N), the Linear layer's) is added after the product
          // in the same pass as the activation: filling Y with C first and accumulating into it
          // (beta = 1) would stream the tile through memory twice more.
          const bool row_bias = bias.c != nullptr && bias.row_stride == 0 && bias.col_stride == 1 &&
                                ops.k > 0;
          if (row_bias) {
            const int status = product(ops, tile, attrs_.alpha, 0.0f);
            if (status != 0) failure.store(status, std::memory_order_relaxed);
            for (int64_t i = tile.m_begin; i < tile.m_end; ++i) {
              add_row_bias_and_activate(ops.y + i * ops.ldy() + tile.n_begin,
                                        bias.c + tile.n_begin, attrs_.beta,
                                        tile.n_end - tile.n_begin, attrs_.activation);
            }
            continue;
          }
          if (bias.c != nullptr || ops.k == 0) {
            fill_bias_tile(ops.y, ops.ldy(), bias, attrs_.beta, tile);
          }
          if (ops.k == 0) continue;  // the product is empty: Y is just beta * C
          // beta = 0 tells oneDNN not to read Y at all, so no zero fill is needed without C.
          const int status = product(ops, tile, attrs_.alpha, bias.c ? 1.0f : 0.0f);
          if (status != 0) failure.store(status, std::memory_order_relaxed);
          if (attrs_.activation != Activation::kNone) {
            // FusedGemm: the tile is still in cache.
            for (int64_t i = tile.m_begin; i < tile.m_end; ++i) {
              apply_activation(attrs_.activation, ops.y + i * ops.ldy() + tile.n_begin,
                               tile.n_end - tile.n_begin, false);
            }
          }
        } else {
          naive_gemm_tile(ops, tile);
          scale_and_bias_tile(ops.y, ops.ldy(), bias, attrs_.alpha, attrs_.beta, tile);
        }
      }
    });
    if (const int status = failure.load(); status != 0) {
      return ctx.error(StatusCode::kInternal, "oneDNN sgemm failed ({}) for A {} and B {}",
                       sgemm_status_name(status), a.shape().to_string(), b.shape().to_string());
    }
    return Status::ok();
  }

  // Y's tile = alpha·op(A)·op(B) + beta·Y, per weight block when B is block-structured.
  int product(const GemmOperands<float>& ops, const Tile& tile, float alpha, float beta) const {
    if (blocks_.empty()) return sgemm_tile(ops, tile, alpha, beta);
    for (const WeightBlock& blk : blocks_) {
      Tile part = tile;
      part.n_begin = std::max(tile.n_begin, blk.n_begin);
      part.n_end = std::min(tile.n_end, blk.n_end);
      if (part.n_begin >= part.n_end) continue;
      if (const int status = sgemm_tile(ops, part, alpha, beta, blk.k_begin, blk.k_end); status != 0) {
        return status;
      }
    }
    return 0;
  }

  GemmAttributes attrs_;
  std::vector<WeightBlock> blocks_;  // from prepare; empty = plain products
};

}  // namespace

Status infer_gemm(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* a, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* b, ctx.required_input(1));
  const TensorInfo* c = ctx.input(2);
  if (c == nullptr && ctx.node().op == ir::OpType::kGemm && ctx.opset() < 11) {
    return ctx.error(StatusCode::kInvalidArgument, "input C is required before opset 11 (opset {})",
                     ctx.opset());
  }
  if (b->dtype != a->dtype || (c != nullptr && c->dtype != a->dtype)) {
    return ctx.error(StatusCode::kInvalidArgument, "dtypes differ: A {}, B {}, C {}",
                     dtype_name(a->dtype), dtype_name(b->dtype),
                     c ? dtype_name(c->dtype) : "absent");
  }
  if (!dtype_in(a->dtype, kDenseTypes)) {
    return ctx.error(StatusCode::kUnsupported, "dtype {} is not supported", dtype_name(a->dtype));
  }
  if (a->shape.rank() != 2 || b->shape.rank() != 2) {
    return ctx.error(StatusCode::kInvalidArgument, "A and B must be 2-D, got A {} and B {}",
                     a->shape.to_string(), b->shape.to_string());
  }
  RI_RETURN_IF_ERROR(check_gemm_flags(ctx.node()));
  const GemmAttributes attrs = GemmAttributes::from(ctx.node());
  const int64_t m = attrs.trans_a ? a->shape[1] : a->shape[0];
  const int64_t k = attrs.trans_a ? a->shape[0] : a->shape[1];
  const int64_t b_k = attrs.trans_b ? b->shape[1] : b->shape[0];
  const int64_t n = attrs.trans_b ? b->shape[0] : b->shape[1];
  if (k != b_k) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "shapes do not match: A {} (transA={}) has K={} but B {} (transB={}) has K={}",
                     a->shape.to_string(), int{attrs.trans_a}, k, b->shape.to_string(),
                     int{attrs.trans_b}, b_k);
  }
  if (c != nullptr) {
    const Shape& cs = c->shape;
    const bool rank_ok = cs.rank() <= 2;
    const bool cols_ok = cs.rank() == 0 || cs[cs.rank() - 1] == 1 || cs[cs.rank() - 1] == n;
    const bool rows_ok = cs.rank() < 2 || cs[0] == 1 || cs[0] == m;
    if (!rank_ok || !cols_ok || !rows_ok) {
      return ctx.error(StatusCode::kInvalidArgument,
                       "C {} does not broadcast to (M, N) = ({},{}) (A {}, B {})", cs.to_string(),
                       m, n, a->shape.to_string(), b->shape.to_string());
    }
  }
  ctx.set_output(0, a->dtype, Shape{m, n});
  return Status::ok();
}

Status infer_fused_gemm(InferContext& ctx) {
  RI_RETURN_IF_ERROR(infer_gemm(ctx));
  const std::string name = ctx.node().attr_string("activation", "");
  if (!parse_activation(name)) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "activation '{}' is not one of Relu, Sigmoid, Tanh", name);
  }
  if (ctx.output(0).dtype != DType::kFloat32) {
    return ctx.error(StatusCode::kUnsupported, "FusedGemm computes float32 only, got {}",
                     dtype_name(ctx.output(0).dtype));
  }
  return Status::ok();
}

std::unique_ptr<Kernel> make_gemm(const ir::Node& node) {
  return std::make_unique<GemmKernel>(node);
}

}  // namespace recinfer::kernels
