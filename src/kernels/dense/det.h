// Det: determinants of square matrices (the last two dims), batched over the leading dims.
#pragma once

#include <memory>

#include "kernels/kernel.h"

namespace recinfer::kernels {

Status infer_det(InferContext& ctx);
std::unique_ptr<Kernel> make_det(const ir::Node& node);

}  // namespace recinfer::kernels
