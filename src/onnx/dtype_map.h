// ONNX TensorProto.DataType <-> recinfer DType.
#pragma once

#include <cstdint>

#include "recinfer/dtype.h"

namespace recinfer::onnx_io {

// kUndefined for ONNX types recinfer cannot even name (complex, float8...).
DType dtype_from_onnx(int32_t onnx_type);
int32_t dtype_to_onnx(DType dtype);

}  // namespace recinfer::onnx_io
