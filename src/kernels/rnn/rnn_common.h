// RNN, GRU and LSTM pieces shared by the optimised kernel, the reference and infer: attributes
// (directions, layout, activations with their alpha/beta, clip, GRU's linear_before_reset,
// LSTM's input_forget), the gate activations, and shape binding of the inputs.
//
// Gate order (ONNX): RNN i; GRU z, r, h; LSTM i, o, f, c. W is (dirs, gates·H, input), R is
// (dirs, gates·H, H), B is (dirs, 2·gates·H) = [Wb, Rb].
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "kernels/kernel.h"

namespace recinfer::kernels::rnn {

enum class CellKind { kRnn, kGru, kLstm };

enum class ActivationKind {
  kRelu, kTanh, kSigmoid, kAffine, kLeakyRelu, kThresholdedRelu, kScaledTanh, kHardSigmoid,
  kElu, kSoftsign, kSoftplus
};

struct GateActivation {
  ActivationKind kind = ActivationKind::kSigmoid;
  float alpha = 0.0f;
  float beta = 0.0f;

  template <typename T>
  T operator()(T x) const {
    switch (kind) {
      case ActivationKind::kRelu: return x > T(0) ? x : T(0);
      case ActivationKind::kTanh: return std::tanh(x);
      case ActivationKind::kSigmoid: return T(1) / (T(1) + std::exp(-x));
      case ActivationKind::kAffine: return T(alpha) * x + T(beta);
      case ActivationKind::kLeakyRelu: return x >= T(0) ? x : T(alpha) * x;
      case ActivationKind::kThresholdedRelu: return x > T(alpha) ? x : T(0);
      case ActivationKind::kScaledTanh: return T(alpha) * std::tanh(T(beta) * x);
      case ActivationKind::kHardSigmoid: {
        const T v = T(alpha) * x + T(beta);
        return v < T(0) ? T(0) : (v > T(1) ? T(1) : v);
      }
      case ActivationKind::kElu: return x >= T(0) ? x : T(alpha) * (std::exp(x) - T(1));
      case ActivationKind::kSoftsign: return x / (T(1) + std::abs(x));
      case ActivationKind::kSoftplus: return std::log1p(std::exp(-std::abs(x))) + std::max(x, T(0));
    }
    return x;
  }

  // In place over n values, the switch hoisted out of the loop for the common gates.
  template <typename T>
  void apply(T* values, int64_t n) const {
    if (kind == ActivationKind::kSigmoid) {
      for (int64_t i = 0; i < n; ++i) values[i] = T(1) / (T(1) + std::exp(-values[i]));
    } else if (kind == ActivationKind::kTanh) {
      for (int64_t i = 0; i < n; ++i) values[i] = std::tanh(values[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) values[i] = (*this)(values[i]);
    }
  }
};

inline constexpr int kMaxActivations = 6;  // 3 per direction (LSTM), 2 directions

struct RnnAttributes {
  CellKind cell = CellKind::kRnn;
  int directions = 1;
  bool reverse = false;  // direction "reverse" (one direction, run backwards)
  int64_t hidden_size = -1;  // -1: from R's shape
  int layout = 0;            // 1: batch-major X, Y, Y_h, initial states
  float clip = 0.0f;         // 0: no clipping
  bool linear_before_reset = false;
  bool input_forget = false;
  // activations[direction · per_direction + j]
  GateActivation activations[kMaxActivations];

  static int gates(CellKind cell) { return cell == CellKind::kRnn ? 1 : cell == CellKind::kGru ? 3 : 4; }
  static int functions(CellKind cell) { return cell == CellKind::kRnn ? 1 : cell == CellKind::kGru ? 2 : 3; }
  const GateActivation& activation(int direction, int j) const {
    return activations[direction * functions(cell) + j];
  }
  // Errors name the node and the attribute value.
  static Result<RnnAttributes> from(const ir::Node& node, CellKind cell);
};

// Input indices: X, W, R, B, sequence_lens, initial_h, then LSTM's initial_c and P.
enum RnnInput { kX = 0, kW, kR, kB, kSequenceLens, kInitialH, kInitialC, kPeepholes };

struct RnnShape {
  int64_t seq = 0, batch = 0, input = 0, hidden = 0;
  int directions = 1, gates = 1;
  int64_t gate_width() const { return gates * hidden; }
};

// Checks every present input's shape (layout-aware) and dtype; `shapes[i]` nullptr when omitted.
Result<RnnShape> bind_rnn(const ir::Node& node, const RnnAttributes& attrs, const Shape* const* shapes,
                          int num_inputs);

// Y (seq, dirs, batch, H) or, with layout 1, (batch, seq, dirs, H); Y_h / Y_c (dirs, batch, H)
// or (batch, dirs, H). Offsets of one hidden vector in each.
struct RnnOutputIndex {
  int64_t seq, batch, directions, hidden;
  int layout;
  int64_t y(int64_t t, int64_t d, int64_t b) const {
    return layout == 0 ? ((t * directions + d) * batch + b) * hidden
                       : ((b * seq + t) * directions + d) * hidden;
  }
  int64_t state(int64_t d, int64_t b) const {
    return layout == 0 ? (d * batch + b) * hidden : (b * directions + d) * hidden;
  }
  // Row of X (as a (rows, input) matrix) holding time t of sequence b.
  int64_t x_row(int64_t t, int64_t b) const { return layout == 0 ? t * batch + b : b * seq + t; }
};

// Sequence length of every batch row (sequence_lens, or seq when absent); an error naming the
// row when a length is outside [0, seq].
Status sequence_lengths(const KernelContext& ctx, const RnnShape& s, int32_t* lengths);

Status infer_rnn_like(InferContext& ctx, CellKind cell);

}  // namespace recinfer::kernels::rnn
