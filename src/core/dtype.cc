#include "recinfer/dtype.h"

namespace recinfer {

size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::kFloat64:
    case DType::kInt64:
    case DType::kUint64: return 8;
    case DType::kFloat32:
    case DType::kInt32:
    case DType::kUint32: return 4;
    case DType::kInt16:
    case DType::kUint16:
    case DType::kFloat16:
    case DType::kBFloat16: return 2;
    case DType::kInt8:
    case DType::kUint8:
    case DType::kBool: return 1;
    case DType::kUndefined:
    case DType::kString: return 0;
  }
  return 0;
}

std::string_view dtype_name(DType dtype) {
  switch (dtype) {
    case DType::kUndefined: return "undefined";
    case DType::kFloat32: return "float32";
    case DType::kFloat64: return "float64";
    case DType::kInt64: return "int64";
    case DType::kInt32: return "int32";
    case DType::kInt16: return "int16";
    case DType::kInt8: return "int8";
    case DType::kUint64: return "uint64";
    case DType::kUint32: return "uint32";
    case DType::kUint16: return "uint16";
    case DType::kUint8: return "uint8";
    case DType::kBool: return "bool";
    case DType::kFloat16: return "float16";
    case DType::kBFloat16: return "bfloat16";
    case DType::kString: return "string";
  }
  return "unknown";
}

bool dtype_is_float(DType dtype) {
  return dtype == DType::kFloat32 || dtype == DType::kFloat64 || dtype == DType::kFloat16 ||
         dtype == DType::kBFloat16;
}

bool dtype_is_integer(DType dtype) {
  switch (dtype) {
    case DType::kInt64: case DType::kInt32: case DType::kInt16: case DType::kInt8:
    case DType::kUint64: case DType::kUint32: case DType::kUint16: case DType::kUint8:
      return true;
    default:
      return false;
  }
}

bool dtype_is_computable(DType dtype) {
  return dtype != DType::kUndefined && dtype != DType::kString;
}

}  // namespace recinfer
