// float16/bfloat16 inputs of the broadcast ops that take them (Max, Min, Mod): each output
// element folds its broadcast inputs in float and rounds once to the storage type. These ops
// are exact in float (max/min select a value, fmod is exact), so the result equals computing in
// the half type itself. One plain loop serves both kernel variants: half tensors are rare and
// this is the naive reference form.
#pragma once

#include "kernels/kernel.h"

namespace recinfer::kernels {

using HalfFoldFn = float (*)(float acc, float next);
void fold_half_inputs(KernelContext& ctx, HalfFoldFn fn);

}  // namespace recinfer::kernels
