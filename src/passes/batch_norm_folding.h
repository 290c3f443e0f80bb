// BatchNormalization (inference) after a linear producer with constant weights -> the producer
// with its weights and bias rescaled: y = (p - mean) · s + beta with s = gamma / sqrt(var + eps)
// per channel, so W' = W · s and b' = (b - mean) · s + beta on the channel the BatchNormalization
// normalises. Producers: Conv (channel = output channel), Gemm (channel = column), MatMul with a
// constant 2-D weight and optionally its bias Add (channel = last axis); between producer and
// BatchNormalization there may be Transposes and Unsqueezes that carry the channel (nn.Linear on
// a 3-D input followed by x.transpose(1, 2) and BatchNorm1d; BatchNorm1d on an unsqueezed (N, C)).
// Every intermediate must feed only the next step. A BatchNormalization that cannot be folded
// stays (its kernel is a per-channel affine).
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_batch_norm_folding();

}  // namespace recinfer::passes
