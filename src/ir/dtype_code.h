// Dtype-valued attributes (Cast's `to`, EyeLike's and the random ops' `dtype`, ...) hold ONNX
// TensorProto.DataType codes in the IR, as the model wrote them. This is the one decoder for
// them, below every layer that reads such attributes (kernels, passes); src/onnx maps tensor
// dtypes with the same table.
#pragma once

#include <cstdint>

#include "recinfer/dtype.h"

namespace recinfer::ir {

// kUndefined for codes recinfer cannot even name (complex, float8, unknown).
DType dtype_from_code(int64_t code);
// 0 (UNDEFINED) for kUndefined.
int32_t dtype_code(DType dtype);

}  // namespace recinfer::ir
