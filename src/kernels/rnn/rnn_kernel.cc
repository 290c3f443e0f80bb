// RNN / GRU / LSTM as GEMMs: per direction, the input projection of every time step at once
// (X (seq·batch, input) · Wᵀ, with the foldable biases added), then per step one recurrent
// product H (batch, H) · Rᵀ and an elementwise cell update over the batch rows. W and R are
// used in place — their (gates·H, K) row-major layout is what oneDNN reads as a transposed
// operand — and the bias sums are packed in prepare when B is constant. GRU without
// linear_before_reset needs (r ⊙ H)·Rhᵀ, a second product per step after r is known.
// Rows past their sequence_lens are left alone: their state is final, their Y stays zero.
#include <algorithm>
#include <atomic>
#include <cstring>

#include "kernels/conv/conv_common.h"
#include "kernels/conv/scratch.h"
#include "kernels/dispatch.h"
#include "kernels/rnn/rnn_common.h"
#include "kernels/rnn/rnn_kernels.h"
#include "kernels/rnn/rnn_steps.h"

namespace recinfer::kernels {

using namespace rnn;  // NOLINT(google-build-using-namespace)

namespace {

// Y (m x n) = A (m x k) · Bᵀ where B is stored (n, k), tiled over the workers.
template <typename T>
int parallel_gemm_bt(KernelContext& ctx, const T* a, const T* b, T* y, int64_t m, int64_t n, int64_t k) {
  if (m == 0 || n == 0) return 0;
  if (k == 0) {
    std::fill(y, y + m * n, T(0));
    return 0;
  }
  dense::GemmOperands<T> ops;
  ops.a = a;
  ops.b = b;
  ops.y = y;
  ops.m = m;
  ops.n = n;
  ops.k = k;
  ops.trans_b = true;
  const dense::TilePlan tiles = dense::plan_tiles(1, m, n, k, ctx.num_threads());
  std::atomic<int> failure{0};
  ctx.parallel_for(tiles.count(), tiles.grain, [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; ++t) {
      if (const int status = conv::multiply(ops, tiles.tile(t)); status != 0) failure.store(status);
    }
  });
  return failure.load();
}

class RnnKernel final : public Kernel {
 public:
  RnnKernel(const ir::Node& node, CellKind cell) : attrs_(RnnAttributes::from(node, cell)) {}

  Status prepare(const PrepareContext& ctx) override {
    if (!attrs_.is_ok()) return attrs_.status();
    const auto constant = [&](int i) -> const Tensor* {
      return static_cast<size_t>(i) < ctx.constant_inputs.size() ? ctx.constant_inputs[static_cast<size_t>(i)] : nullptr;
    };
    const Tensor* b = constant(kB);
    const bool has_b = ctx.node.input(kB) != ir::kNoValue;
    if (has_b && b == nullptr) return Status::ok();  // B computed at run time: packed per run
    const Tensor* r = constant(kR);
    if (r == nullptr || r->rank() != 3) return Status::ok();
    const int64_t dirs = r->shape()[0], gh = r->shape()[1], hidden = r->shape()[2];
    if (b != nullptr && b->shape() != Shape{dirs, 2 * gh}) return Status::ok();  // infer reports it
    RI_ASSIGN_OR_RETURN(packed_bias_, Tensor::allocate(r->dtype(), Shape{dirs, gh + hidden}));
    return dispatch<kFloats>(r->dtype(), [&](auto tag) -> Status {
      using T = decltype(tag);
      for (int64_t d = 0; d < dirs; ++d) {
        pack_bias<T>(*attrs_, b != nullptr ? b->data<T>() + d * 2 * gh : nullptr, gh, hidden,
                     packed_bias_.data<T>() + d * (gh + hidden));
      }
      return Status::ok();
    });
  }

  Status compute(KernelContext& ctx) const override {
    const Shape* shapes[kPeepholes + 1] = {};
    const int count = std::min(ctx.num_inputs(), static_cast<int>(kPeepholes) + 1);
    for (int i = 0; i < count; ++i) shapes[i] = ctx.input(i) ? &ctx.input(i)->shape() : nullptr;
    RI_ASSIGN_OR_RETURN(const RnnShape s, bind_rnn(ctx.node(), *attrs_, shapes, count));
    return dispatch<kFloats>(ctx.input(kX)->dtype(), [&](auto tag) -> Status {
      return run<decltype(tag)>(s, ctx);
    });
  }

 private:
  template <typename T>
  Status run(const RnnShape& s, KernelContext& ctx) const {
    const RnnAttributes& a = *attrs_;
    const int64_t gh = s.gate_width(), n = s.hidden, rows = s.seq * s.batch;
    const bool two_products = a.cell == CellKind::kGru && !a.linear_before_reset;
    // Scratch: projections, recurrent products, h, c, r⊙h, packed bias, sequence lengths.
    const int64_t scratch_size = rows * gh + s.batch * gh + 3 * s.batch * n + s.batch * n + (gh + n) + s.batch;
    T* scratch = conv::scratch_buffer<T>(static_cast<size_t>(scratch_size));
    if (scratch == nullptr && scratch_size > 0) {
      return ctx.error(StatusCode::kInternal, "cannot allocate {} scratch elements", scratch_size);
    }
    StepBuffers<T> buf;
    buf.xw = scratch;
    buf.hr = buf.xw + rows * gh;
    buf.h = buf.hr + s.batch * gh;
    buf.c = buf.h + s.batch * n;
    buf.rh = buf.c + s.batch * n;
    buf.hr2 = buf.rh + s.batch * n;
    T* bias_scratch = buf.hr2 + s.batch * n;
    // int32 lengths fit in the T slots reserved at the end (sizeof(T) >= 4).
    auto* lengths = reinterpret_cast<int32_t*>(bias_scratch + gh + n);
    RI_RETURN_IF_ERROR(sequence_lengths(ctx, s, lengths));
    for (int o = 0; o < ctx.num_outputs(); ++o) {
      if (ctx.has_output(o)) std::memset(ctx.output(o).raw(), 0, ctx.output(o).bytes());
    }
    const T* x = ctx.input(kX)->data<T>();
    const T* b = ctx.input(kB) != nullptr ? ctx.input(kB)->data<T>() : nullptr;
    const RnnOutputIndex index{s.seq, s.batch, s.directions, n, a.layout};
    for (int d = 0; d < s.directions; ++d) {
      const T* w = ctx.input(kW)->data<T>() + d * gh * s.input;
      const T* r = ctx.input(kR)->data<T>() + d * gh * n;
      const T* bias = bias_scratch;
      if (packed_bias_.defined()) {
        bias = packed_bias_.data<T>() + d * (gh + n);
      } else {
        pack_bias<T>(a, b != nullptr ? b + d * 2 * gh : nullptr, gh, n, bias_scratch);
      }
      // All time steps' input projections at once; X is (rows, input) in either layout.
      if (const int st = parallel_gemm_bt<T>(ctx, x, w, buf.xw, rows, gh, s.input); st != 0) return gemm_error(ctx, st);
      add_row_bias<T>(ctx, buf.xw, bias, rows, gh);
      const T* peep = ctx.input(kPeepholes) != nullptr ? ctx.input(kPeepholes)->data<T>() + d * 3 * n : nullptr;
      load_state<T>(ctx.input(kInitialH), index, d, buf.h, s.batch, n);
      load_state<T>(ctx.input(kInitialC), index, d, buf.c, s.batch, n);
      const StepContext<T> step_ctx{a, s, index, d, a.reverse || d == 1, lengths, bias + gh, peep,
                                    ctx.has_output(0) ? ctx.output(0).data<T>() : nullptr};
      for (int64_t step = 0; step < s.seq; ++step) {
        // Products for the gates that read H directly (all but h for GRU without lbr).
        const int64_t first_n = two_products ? 2 * n : gh;
        if (const int st = parallel_gemm_bt<T>(ctx, buf.h, r, buf.hr, s.batch, first_n, n); st != 0) {
          return gemm_error(ctx, st);
        }
        if (!two_products) {
          update_rows<T>(ctx, step_ctx, buf, step, Phase::kWhole);
          continue;
        }
        update_rows<T>(ctx, step_ctx, buf, step, Phase::kGruGates);
        if (const int st = parallel_gemm_bt<T>(ctx, buf.rh, r + 2 * n * n, buf.hr2, s.batch, n, n); st != 0) {
          return gemm_error(ctx, st);
        }
        update_rows<T>(ctx, step_ctx, buf, step, Phase::kGruCandidate);
      }
      for (int64_t row = 0; row < s.batch; ++row) {
        if (ctx.has_output(1)) std::copy_n(buf.h + row * n, n, ctx.output(1).data<T>() + index.state(d, row));
        if (ctx.has_output(2)) std::copy_n(buf.c + row * n, n, ctx.output(2).data<T>() + index.state(d, row));
      }
    }
    return Status::ok();
  }

  static Status gemm_error(const KernelContext& ctx, int status) {
    return ctx.error(StatusCode::kInternal, "oneDNN sgemm failed ({})", dense::sgemm_status_name(status));
  }

  Result<RnnAttributes> attrs_;
  Tensor packed_bias_;  // (dirs, gates·H + H): see pack_bias; undefined when B is not constant
};

}  // namespace

Status infer_rnn(InferContext& ctx) { return infer_rnn_like(ctx, CellKind::kRnn); }
Status infer_gru(InferContext& ctx) { return infer_rnn_like(ctx, CellKind::kGru); }
Status infer_lstm(InferContext& ctx) { return infer_rnn_like(ctx, CellKind::kLstm); }
std::unique_ptr<Kernel> make_rnn(const ir::Node& node) { return std::make_unique<RnnKernel>(node, CellKind::kRnn); }
std::unique_ptr<Kernel> make_gru(const ir::Node& node) { return std::make_unique<RnnKernel>(node, CellKind::kGru); }
std::unique_ptr<Kernel> make_lstm(const ir::Node& node) { return std::make_unique<RnnKernel>(node, CellKind::kLstm); }

OpWork rnn_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> /*out*/) {
  OpWork work;
  if (in.size() < 3 || in[0].shape.rank() != 3 || in[0].shape[2] == 0) return work;
  const double steps = static_cast<double>(in[0].shape.numel()) / static_cast<double>(in[0].shape[2]);
  work.flops = 2.0 * steps * static_cast<double>(in[1].shape.numel() + in[2].shape.numel());
  return work;
}

}  // namespace recinfer::kernels
