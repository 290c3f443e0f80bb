// AVX2 variants of the compare inner loop, chosen at run time. The build targets baseline
// x86-64 (SSE2), where a 64-bit compare has no vector instruction and packing 64-bit lanes into
// bool bytes is slow; the id-matching Equal of recommendation models is int64, so that is
// where the wider ISA pays (about 3x on the (400,1) x (1,4000) outer compare).
#pragma once

#include <cstdint>

#include "kernels/compare/predicate_ops.h"
#include "recinfer/dtype.h"

namespace recinfer::kernels::compare::avx2 {

// Same contract as predicate_run: a and b point at T, advancing per element when step is set.
using PredicateRunFn = void (*)(const void* a, const void* b, bool* out, int64_t count);

// nullptr when the CPU has no AVX2 or there is no variant for this predicate/dtype/stepping
// (covered: the five comparisons on int64, int32, float32, float64, with at least one
// operand stepping).
PredicateRunFn find_predicate_run(Predicate predicate, DType dtype, bool step_a, bool step_b);

// Process-wide switch (default on) so tests can cover the portable loops on AVX2 machines and
// a wrong answer can be bisected to the ISA variant. Thread-safe; affects later lookups only.
void set_avx2_allowed(bool allowed);

}  // namespace recinfer::kernels::compare::avx2
