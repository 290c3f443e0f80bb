#include "kernels/random/random_ops.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

void register_random_kernels(KernelRegistry& registry) {
  using ir::OpType;
  registry.add(OpType::kRandomNormal, {&infer_random_from_shape, &make_random_normal});
  registry.add(OpType::kRandomUniform, {&infer_random_from_shape, &make_random_uniform});
  registry.add(OpType::kRandomNormalLike, {&infer_random_like, &make_random_normal});
  registry.add(OpType::kRandomUniformLike, {&infer_random_like, &make_random_uniform});
  registry.add(OpType::kBernoulli, {&infer_bernoulli, &make_bernoulli});
}

}  // namespace recinfer::kernels
