// Gemm followed by Relu/Sigmoid/Tanh -> ai.recinfer FusedGemm (the activation runs on each output
// tile while it is in cache, instead of a second pass over Y). Gemm(Transpose(A)) and
// Gemm(A, Transpose(B)) with 2-D transposes become transA/transB flags first.
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_gemm_transpose_folding();
std::unique_ptr<Pass> make_gemm_activation_fusion();

}  // namespace recinfer::passes
