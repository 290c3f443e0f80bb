// The elementwise half of the GEMM-based RNN kernel (rnn_kernel.cc): bias packing, initial
// state, and the per-step cell update of every batch row from its input projection (xw) and
// recurrent product (hr). Gate pre-activations are formed in place in the row of hr, then each
// gate's activation runs over its contiguous segment.
#pragma once

#include <algorithm>
#include <cstdint>

#include "kernels/kernel.h"
#include "kernels/rnn/rnn_common.h"

namespace recinfer::kernels::rnn {

template <typename T>
struct StepBuffers {
  T* xw = nullptr;   // (seq·batch, gates·H) input projections + folded biases, in X's row order
  T* hr = nullptr;   // (batch, gates·H) recurrent products (2·H wide for GRU without lbr)
  T* h = nullptr;    // (batch, H) hidden state
  T* c = nullptr;    // (batch, H) LSTM cell state
  T* rh = nullptr;   // (batch, H) r ⊙ h (GRU without lbr)
  T* hr2 = nullptr;  // (batch, H) (r ⊙ h)·Rhᵀ (GRU without lbr)
};

template <typename T>
struct StepContext {
  const RnnAttributes& a;
  const RnnShape& s;
  RnnOutputIndex index;
  int direction;
  bool backward;
  const int32_t* lengths;
  const T* rb_h;  // GRU with lbr: Rbh, added inside r ⊙ (...)
  const T* p;     // LSTM peepholes (i, o, f) or nullptr
  T* y;           // Y or nullptr when not consumed
};

enum class Phase { kWhole, kGruGates, kGruCandidate };

// packed[0, gates·H) = Wb + Rb, except GRU with linear_before_reset, whose h gate keeps only
// Wbh there and Rbh in packed[gates·H, gates·H + H) (it is scaled by r). b nullptr: no bias.
template <typename T>
void pack_bias(const RnnAttributes& a, const T* b, int64_t gh, int64_t hidden, T* packed) {
  std::fill(packed, packed + gh + hidden, T(0));
  if (b == nullptr) return;
  for (int64_t i = 0; i < gh; ++i) packed[i] = b[i] + b[gh + i];
  if (a.cell == CellKind::kGru && a.linear_before_reset) {
    for (int64_t j = 0; j < hidden; ++j) {
      packed[2 * hidden + j] = b[2 * hidden + j];
      packed[gh + j] = b[gh + 2 * hidden + j];
    }
  }
}

template <typename T>
void add_row_bias(KernelContext& ctx, T* rows_data, const T* bias, int64_t rows, int64_t width) {
  ctx.parallel_for(rows, std::max<int64_t>(1, 8192 / std::max<int64_t>(1, width)), [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      T* row = rows_data + r * width;
      for (int64_t j = 0; j < width; ++j) row[j] += bias[j];
    }
  });
}

// This direction's initial state (layout-aware), or zeros.
template <typename T>
void load_state(const Tensor* initial, const RnnOutputIndex& index, int d, T* state, int64_t batch, int64_t n) {
  for (int64_t b = 0; b < batch; ++b) {
    if (initial == nullptr) {
      std::fill(state + b * n, state + (b + 1) * n, T(0));
    } else {
      std::copy_n(initial->data<T>() + index.state(d, b), n, state + b * n);
    }
  }
}

template <typename T>
void update_row(const StepContext<T>& sc, const StepBuffers<T>& buf, int64_t row, int64_t t, Phase phase) {
  const RnnAttributes& a = sc.a;
  const int64_t n = sc.s.hidden, gh = sc.s.gate_width();
  const T* xw = buf.xw + sc.index.x_row(t, row) * gh;
  T* h = buf.h + row * n;
  const T limit = T(a.clip);
  auto clip = [&](T v) { return a.clip > 0 ? std::clamp(v, -limit, limit) : v; };
  const GateActivation& f = a.activation(sc.direction, 0);
  if (a.cell == CellKind::kRnn) {
    T* hr = buf.hr + row * gh;
    for (int64_t j = 0; j < n; ++j) hr[j] = clip(hr[j] + xw[j]);
    f.apply(hr, n);
    std::copy_n(hr, n, h);
  } else if (a.cell == CellKind::kGru) {
    const GateActivation& g = a.activation(sc.direction, 1);
    const int64_t width = a.linear_before_reset ? gh : 2 * n;
    T* hr = buf.hr + row * width;
    if (phase != Phase::kGruCandidate) {
      for (int64_t j = 0; j < 2 * n; ++j) hr[j] = clip(hr[j] + xw[j]);
      f.apply(hr, 2 * n);  // z, r
    }
    if (phase == Phase::kGruGates) {
      for (int64_t j = 0; j < n; ++j) buf.rh[row * n + j] = hr[n + j] * h[j];
      return;
    }
    T* candidate = buf.rh + row * n;  // r ⊙ h is consumed by now: reuse its row
    if (a.linear_before_reset) {
      for (int64_t j = 0; j < n; ++j) candidate[j] = clip(xw[2 * n + j] + hr[n + j] * (hr[2 * n + j] + sc.rb_h[j]));
    } else {
      for (int64_t j = 0; j < n; ++j) candidate[j] = clip(xw[2 * n + j] + buf.hr2[row * n + j]);
    }
    g.apply(candidate, n);
    for (int64_t j = 0; j < n; ++j) h[j] = (T(1) - hr[j]) * candidate[j] + hr[j] * h[j];
  } else {
    const GateActivation& g = a.activation(sc.direction, 1);
    const GateActivation& hact = a.activation(sc.direction, 2);
    T* hr = buf.hr + row * gh;
    T* c = buf.c + row * n;
    T* i_gate = hr;
    T* o_gate = hr + n;
    T* f_gate = hr + 2 * n;
    T* cand = hr + 3 * n;
    for (int64_t j = 0; j < n; ++j) {
      i_gate[j] = clip(i_gate[j] + xw[j] + (sc.p ? sc.p[j] * c[j] : T(0)));
      f_gate[j] = clip(f_gate[j] + xw[2 * n + j] + (sc.p ? sc.p[2 * n + j] * c[j] : T(0)));
      cand[j] = clip(cand[j] + xw[3 * n + j]);
    }
    f.apply(i_gate, n);
    if (a.input_forget) {
      for (int64_t j = 0; j < n; ++j) f_gate[j] = T(1) - i_gate[j];
    } else {
      f.apply(f_gate, n);
    }
    g.apply(cand, n);
    for (int64_t j = 0; j < n; ++j) {
      c[j] = f_gate[j] * c[j] + i_gate[j] * cand[j];
      o_gate[j] = clip(o_gate[j] + xw[n + j] + (sc.p ? sc.p[n + j] * c[j] : T(0)));
      cand[j] = c[j];
    }
    f.apply(o_gate, n);
    hact.apply(cand, n);
    for (int64_t j = 0; j < n; ++j) h[j] = o_gate[j] * cand[j];
  }
}

// One step of every batch row still inside its sequence; writes Y at the row's time index.
template <typename T>
void update_rows(KernelContext& ctx, const StepContext<T>& sc, const StepBuffers<T>& buf, int64_t step, Phase phase) {
  const int64_t n = sc.s.hidden;
  ctx.parallel_for(sc.s.batch, std::max<int64_t>(1, 2048 / std::max<int64_t>(1, n)), [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      const int64_t len = sc.lengths[row];
      if (step >= len) continue;
      const int64_t t = sc.backward ? len - 1 - step : step;
      update_row(sc, buf, row, t, phase);
      if (phase != Phase::kGruGates && sc.y != nullptr) {
        std::copy_n(buf.h + row * n, n, sc.y + sc.index.y(t, sc.direction, row));
      }
    }
  });
}

}  // namespace recinfer::kernels::rnn
