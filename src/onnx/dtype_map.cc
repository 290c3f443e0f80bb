#include "onnx/dtype_map.h"

#include <onnx/onnx_pb.h>

namespace recinfer::onnx_io {

using onnx::TensorProto;

DType dtype_from_onnx(int32_t onnx_type) {
  switch (onnx_type) {
    case TensorProto::FLOAT: return DType::kFloat32;
    case TensorProto::DOUBLE: return DType::kFloat64;
    case TensorProto::INT64: return DType::kInt64;
    case TensorProto::INT32: return DType::kInt32;
    case TensorProto::INT16: return DType::kInt16;
    case TensorProto::INT8: return DType::kInt8;
    case TensorProto::UINT64: return DType::kUint64;
    case TensorProto::UINT32: return DType::kUint32;
    case TensorProto::UINT16: return DType::kUint16;
    case TensorProto::UINT8: return DType::kUint8;
    case TensorProto::BOOL: return DType::kBool;
    case TensorProto::FLOAT16: return DType::kFloat16;
    case TensorProto::BFLOAT16: return DType::kBFloat16;
    case TensorProto::STRING: return DType::kString;
    default: return DType::kUndefined;
  }
}

int32_t dtype_to_onnx(DType dtype) {
  switch (dtype) {
    case DType::kFloat32: return TensorProto::FLOAT;
    case DType::kFloat64: return TensorProto::DOUBLE;
    case DType::kInt64: return TensorProto::INT64;
    case DType::kInt32: return TensorProto::INT32;
    case DType::kInt16: return TensorProto::INT16;
    case DType::kInt8: return TensorProto::INT8;
    case DType::kUint64: return TensorProto::UINT64;
    case DType::kUint32: return TensorProto::UINT32;
    case DType::kUint16: return TensorProto::UINT16;
    case DType::kUint8: return TensorProto::UINT8;
    case DType::kBool: return TensorProto::BOOL;
    case DType::kFloat16: return TensorProto::FLOAT16;
    case DType::kBFloat16: return TensorProto::BFLOAT16;
    case DType::kString: return TensorProto::STRING;
    case DType::kUndefined: break;
  }
  return TensorProto::UNDEFINED;
}

}  // namespace recinfer::onnx_io
