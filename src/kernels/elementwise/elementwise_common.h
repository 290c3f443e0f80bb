// Small helpers shared by the elementwise kernels' infer functions.
#pragma once

#include <string_view>

#include "kernels/dispatch.h"
#include "kernels/kernel.h"

namespace recinfer::kernels {

// kUnsupported naming the node, `what` ("input 0") and the dtype when `dtype` is not in `types`,
// so float16/string/bool-where-not-allowed cases are reported as skipped, never computed wrong.
Status check_dtype(const InferContext& ctx, DType dtype, uint32_t types, std::string_view what);

}  // namespace recinfer::kernels
