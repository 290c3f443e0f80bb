// The float32 activations the dense kernels apply in place to their output tiles (FusedGemm).
// Each runs the per-element function the standalone Relu/Sigmoid/Tanh kernel uses (its AVX2
// approximation included), so fusing changes results by at most the ulps of a vector tail.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace recinfer::kernels {

enum class Activation { kNone, kRelu, kSigmoid, kTanh };

// "" -> kNone; "Relu", "Sigmoid", "Tanh"; anything else -> nullopt.
std::optional<Activation> parse_activation(std::string_view name);
std::string_view activation_name(Activation activation);

// Applies `activation` to n contiguous floats in place. `reference`: the naive loop the
// reference kernels use.
void apply_activation(Activation activation, float* data, int64_t n, bool reference);

}  // namespace recinfer::kernels
