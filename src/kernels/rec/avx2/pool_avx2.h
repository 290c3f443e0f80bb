// AVX2 pooling of embedding bags, chosen at run time. The build targets baseline x86-64 (SSE2);
// with AVX2 a 64-float row is 8 registers, so a whole bag accumulates in registers and each row
// costs 8 loads and 8 adds instead of a read-modify-write of the output row per id.
#pragma once

#include "kernels/rec/pool_bag.h"

namespace recinfer::kernels::rec::avx2 {

// nullptr when the CPU has no AVX2 or AVX2 is switched off.
PoolBagFn find_pool_bag(PoolMode mode, DType id_dtype, bool weighted);

// Process-wide switch (default on) so tests can cover the portable loops on AVX2 machines and
// a wrong answer can be bisected to the ISA variant. Thread-safe; affects later lookups only.
void set_avx2_allowed(bool allowed);

}  // namespace recinfer::kernels::rec::avx2
