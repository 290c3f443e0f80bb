#include "kernels/compare/avx2/predicate_avx2.h"

#include <atomic>

namespace recinfer::kernels::compare::avx2 {
namespace {

// predicate_run is always_inline, so its loop is vectorised here under the avx2 target.
template <typename T, typename Op, bool kStepA, bool kStepB>
__attribute__((target("avx2"))) void run_avx2(const void* a, const void* b, bool* out,
                                               int64_t count) {
  predicate_run<T, Op, kStepA, kStepB>(static_cast<const T*>(a), static_cast<const T*>(b), out,
                                       count);
}

template <typename T, typename Op>
PredicateRunFn pick_stepping(bool step_a, bool step_b) {
  if (step_a && step_b) return &run_avx2<T, Op, true, true>;
  if (step_a) return &run_avx2<T, Op, true, false>;
  if (step_b) return &run_avx2<T, Op, false, true>;
  return nullptr;
}

template <typename Op>
PredicateRunFn pick_dtype(DType dtype, bool step_a, bool step_b) {
  switch (dtype) {
    case DType::kInt64: return pick_stepping<int64_t, Op>(step_a, step_b);
    case DType::kInt32: return pick_stepping<int32_t, Op>(step_a, step_b);
    case DType::kFloat32: return pick_stepping<float, Op>(step_a, step_b);
    case DType::kFloat64: return pick_stepping<double, Op>(step_a, step_b);
    default: return nullptr;
  }
}

std::atomic<bool> avx2_allowed{true};

bool cpu_has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2") != 0;
  return has;
}

}  // namespace

PredicateRunFn find_predicate_run(Predicate predicate, DType dtype, bool step_a, bool step_b) {
  if (!avx2_allowed.load(std::memory_order_relaxed) || !cpu_has_avx2()) return nullptr;
  switch (predicate) {
    case Predicate::kEqual: return pick_dtype<EqualOp>(dtype, step_a, step_b);
    case Predicate::kGreater: return pick_dtype<GreaterOp>(dtype, step_a, step_b);
    case Predicate::kGreaterOrEqual: return pick_dtype<GreaterOrEqualOp>(dtype, step_a, step_b);
    case Predicate::kLess: return pick_dtype<LessOp>(dtype, step_a, step_b);
    case Predicate::kLessOrEqual: return pick_dtype<LessOrEqualOp>(dtype, step_a, step_b);
    default: return nullptr;  // And/Or work on bytes, which SSE2 already handles 16 at a time
  }
}

void set_avx2_allowed(bool allowed) { avx2_allowed.store(allowed, std::memory_order_relaxed); }

}  // namespace recinfer::kernels::compare::avx2
