// MaxUnpool: the partial inverse of MaxPool (scatters values to MaxPool's recorded indices).
#pragma once

#include <memory>

#include "kernels/kernel.h"

namespace recinfer::kernels {

Status infer_max_unpool(InferContext& ctx);
std::unique_ptr<Kernel> make_max_unpool(const ir::Node& node);

}  // namespace recinfer::kernels
