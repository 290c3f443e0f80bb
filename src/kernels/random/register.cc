#include "kernels/random/random_ops.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

void register_random_kernels(KernelRegistry& registry) {
  using ir::OpType;
  // Never folded to a constant (see OpSchema::nondeterministic): every run draws anew.
  auto random = [](InferFn infer, KernelFactory make) {
    return OpSchema{.infer = infer, .make = make, .nondeterministic = true};
  };
  registry.add(OpType::kRandomNormal, random(&infer_random_from_shape, &make_random_normal));
  registry.add(OpType::kRandomUniform, random(&infer_random_from_shape, &make_random_uniform));
  registry.add(OpType::kRandomNormalLike, random(&infer_random_like, &make_random_normal));
  registry.add(OpType::kRandomUniformLike, random(&infer_random_like, &make_random_uniform));
  registry.add(OpType::kBernoulli, random(&infer_bernoulli, &make_bernoulli));
}

}  // namespace recinfer::kernels
