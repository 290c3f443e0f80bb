// Entry points of the random family (random_ops.cc), registered in register.cc. The kernels
// are already naive loops, so there are no separate reference kernels.
#pragma once

#include <memory>

#include "kernels/kernel.h"

namespace recinfer::kernels {

Status infer_random_from_shape(InferContext& ctx);  // RandomNormal, RandomUniform
Status infer_random_like(InferContext& ctx);        // RandomNormalLike, RandomUniformLike
Status infer_bernoulli(InferContext& ctx);
std::unique_ptr<Kernel> make_random_normal(const ir::Node& node);   // and RandomNormalLike
std::unique_ptr<Kernel> make_random_uniform(const ir::Node& node);  // and RandomUniformLike
std::unique_ptr<Kernel> make_bernoulli(const ir::Node& node);

}  // namespace recinfer::kernels
