// Naive reference RNN / GRU / LSTM: every batch row, time step and gate computed with explicit
// dot products, straight from the ONNX formulas. Shares only attribute parsing and shape
// binding (rnn_common.h) with the GEMM-based kernel. Allocates its state vectors (reference
// mode only; the optimised kernel does not).
#include <algorithm>
#include <vector>

#include "kernels/dispatch.h"
#include "kernels/rnn/rnn_common.h"
#include "kernels/rnn/rnn_kernels.h"

namespace recinfer::kernels {

using namespace rnn;  // NOLINT(google-build-using-namespace)

namespace {

template <typename T>
struct Cell {
  const RnnAttributes& a;
  const RnnShape& s;
  const T* w;  // this direction's W, R, Wb, Rb, P (nullptr when absent)
  const T* r;
  const T* wb;
  const T* rb;
  const T* p;

  // Row `row` of W·x + R·h (+ the biases when `with_bias`).
  T gate(int64_t row, const T* x, const T* h, bool with_r_bias = true) const {
    T acc = T(0);
    for (int64_t k = 0; k < s.input; ++k) acc += w[row * s.input + k] * x[k];
    for (int64_t k = 0; k < s.hidden; ++k) acc += r[row * s.hidden + k] * h[k];
    if (wb != nullptr) acc += wb[row] + (with_r_bias ? rb[row] : T(0));
    return acc;
  }
  T clip(T v) const {
    return a.clip > 0 ? std::clamp(v, T(-a.clip), T(a.clip)) : v;
  }
};

template <typename T>
void step(const Cell<T>& cell, int d, const T* x, T* h, T* c) {
  const RnnAttributes& a = cell.a;
  const int64_t n = cell.s.hidden;
  std::vector<T> next(static_cast<size_t>(n)), next_c(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) {
    if (a.cell == CellKind::kRnn) {
      next[j] = a.activation(d, 0)(cell.clip(cell.gate(j, x, h)));
    } else if (a.cell == CellKind::kGru) {
      const T z = a.activation(d, 0)(cell.clip(cell.gate(j, x, h)));
      const T r_gate = a.activation(d, 0)(cell.clip(cell.gate(n + j, x, h)));
      const int64_t row = 2 * n + j;
      T pre = T(0);
      for (int64_t k = 0; k < cell.s.input; ++k) pre += cell.w[row * cell.s.input + k] * x[k];
      if (cell.wb != nullptr) pre += cell.wb[row];
      T recurrent = T(0);
      if (a.linear_before_reset) {
        for (int64_t k = 0; k < n; ++k) recurrent += cell.r[row * n + k] * h[k];
        if (cell.rb != nullptr) recurrent += cell.rb[row];
        pre += r_gate * recurrent;
      } else {
        // (r ⊙ h)·Rhᵀ needs every r_k, not only r_j: recompute them.
        for (int64_t k = 0; k < n; ++k) {
          const T r_k = a.activation(d, 0)(cell.clip(cell.gate(n + k, x, h)));
          recurrent += cell.r[row * n + k] * r_k * h[k];
        }
        if (cell.rb != nullptr) recurrent += cell.rb[row];
        pre += recurrent;
      }
      const T candidate = a.activation(d, 1)(cell.clip(pre));
      next[j] = (T(1) - z) * candidate + z * h[j];
    } else {
      const T* p = cell.p;
      T i_gate = a.activation(d, 0)(cell.clip(cell.gate(j, x, h) + (p ? p[j] * c[j] : T(0))));
      T f_gate = a.activation(d, 0)(cell.clip(cell.gate(2 * n + j, x, h) + (p ? p[2 * n + j] * c[j] : T(0))));
      if (a.input_forget) f_gate = T(1) - i_gate;
      const T candidate = a.activation(d, 1)(cell.clip(cell.gate(3 * n + j, x, h)));
      next_c[j] = f_gate * c[j] + i_gate * candidate;
      const T o_gate = a.activation(d, 0)(cell.clip(cell.gate(n + j, x, h) + (p ? p[n + j] * next_c[j] : T(0))));
      next[j] = o_gate * a.activation(d, 2)(next_c[j]);
    }
  }
  std::copy(next.begin(), next.end(), h);
  if (a.cell == CellKind::kLstm) std::copy(next_c.begin(), next_c.end(), c);
}

template <typename T>
Status reference_rnn(const RnnAttributes& a, const RnnShape& s, KernelContext& ctx) {
  std::vector<int32_t> lengths(static_cast<size_t>(s.batch));
  RI_RETURN_IF_ERROR(sequence_lengths(ctx, s, lengths.data()));
  auto data = [&](int i) -> const T* { return ctx.input(i) != nullptr ? ctx.input(i)->data<T>() : nullptr; };
  const T* x = data(kX);
  const int64_t gh = s.gate_width(), n = s.hidden;
  const RnnOutputIndex index{s.seq, s.batch, s.directions, n, a.layout};
  for (int o = 0; o < ctx.num_outputs(); ++o) {
    if (!ctx.has_output(o)) continue;
    Tensor& out = ctx.output(o);
    std::fill(out.data<T>(), out.data<T>() + out.numel(), T(0));
  }
  for (int d = 0; d < s.directions; ++d) {
    const T* b = data(kB);
    const Cell<T> cell{a, s, data(kW) + d * gh * s.input, data(kR) + d * gh * n,
                       b ? b + d * 2 * gh : nullptr, b ? b + d * 2 * gh + gh : nullptr,
                       data(kPeepholes) ? data(kPeepholes) + d * 3 * n : nullptr};
    const bool backward = a.reverse || d == 1;
    for (int64_t batch = 0; batch < s.batch; ++batch) {
      std::vector<T> h(static_cast<size_t>(n), T(0)), c(static_cast<size_t>(n), T(0));
      if (data(kInitialH)) std::copy_n(data(kInitialH) + index.state(d, batch), n, h.begin());
      if (data(kInitialC)) std::copy_n(data(kInitialC) + index.state(d, batch), n, c.begin());
      const int64_t len = lengths[static_cast<size_t>(batch)];
      for (int64_t i = 0; i < len; ++i) {
        const int64_t t = backward ? len - 1 - i : i;
        step(cell, d, x + index.x_row(t, batch) * s.input, h.data(), c.data());
        if (ctx.has_output(0)) std::copy(h.begin(), h.end(), ctx.output(0).data<T>() + index.y(t, d, batch));
      }
      if (ctx.has_output(1)) std::copy(h.begin(), h.end(), ctx.output(1).data<T>() + index.state(d, batch));
      if (ctx.has_output(2)) std::copy(c.begin(), c.end(), ctx.output(2).data<T>() + index.state(d, batch));
    }
  }
  return Status::ok();
}

class RnnReferenceKernel final : public Kernel {
 public:
  RnnReferenceKernel(const ir::Node& node, CellKind cell) : attrs_(RnnAttributes::from(node, cell)) {}

  Status prepare(const PrepareContext& /*ctx*/) override { return attrs_.status(); }

  Status compute(KernelContext& ctx) const override {
    const Shape* shapes[kPeepholes + 1] = {};
    const int count = std::min(ctx.num_inputs(), static_cast<int>(kPeepholes) + 1);
    for (int i = 0; i < count; ++i) shapes[i] = ctx.input(i) ? &ctx.input(i)->shape() : nullptr;
    RI_ASSIGN_OR_RETURN(const RnnShape s, bind_rnn(ctx.node(), *attrs_, shapes, count));
    return dispatch<kFloats>(ctx.input(kX)->dtype(), [&](auto tag) -> Status {
      return reference_rnn<decltype(tag)>(*attrs_, s, ctx);
    });
  }

 private:
  Result<RnnAttributes> attrs_;
};

}  // namespace

std::unique_ptr<Kernel> make_rnn_reference(const ir::Node& node) {
  return std::make_unique<RnnReferenceKernel>(node, CellKind::kRnn);
}
std::unique_ptr<Kernel> make_gru_reference(const ir::Node& node) {
  return std::make_unique<RnnReferenceKernel>(node, CellKind::kGru);
}
std::unique_ptr<Kernel> make_lstm_reference(const ir::Node& node) {
  return std::make_unique<RnnReferenceKernel>(node, CellKind::kLstm);
}

}  // namespace recinfer::kernels
