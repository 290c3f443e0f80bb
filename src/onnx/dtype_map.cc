#include "onnx/dtype_map.h"

#include "ir/dtype_code.h"

namespace recinfer::onnx_io {

// The IR keeps ONNX's codes for dtype attributes; tensors use the same table.
DType dtype_from_onnx(int32_t onnx_type) { return ir::dtype_from_code(onnx_type); }
int32_t dtype_to_onnx(DType dtype) { return ir::dtype_code(dtype); }

}  // namespace recinfer::onnx_io
