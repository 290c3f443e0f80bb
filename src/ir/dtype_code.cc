#include "ir/dtype_code.h"

namespace recinfer::ir {

DType dtype_from_code(int64_t code) {
  switch (code) {
    case 1: return DType::kFloat32;
    case 2: return DType::kUint8;
    case 3: return DType::kInt8;
    case 4: return DType::kUint16;
    case 5: return DType::kInt16;
    case 6: return DType::kInt32;
    case 7: return DType::kInt64;
    case 8: return DType::kString;
    case 9: return DType::kBool;
    case 10: return DType::kFloat16;
    case 11: return DType::kFloat64;
    case 12: return DType::kUint32;
    case 13: return DType::kUint64;
    case 16: return DType::kBFloat16;
    default: return DType::kUndefined;  // complex64/128, float8 and unknown codes
  }
}

int32_t dtype_code(DType dtype) {
  switch (dtype) {
    case DType::kFloat32: return 1;
    case DType::kUint8: return 2;
    case DType::kInt8: return 3;
    case DType::kUint16: return 4;
    case DType::kInt16: return 5;
    case DType::kInt32: return 6;
    case DType::kInt64: return 7;
    case DType::kString: return 8;
    case DType::kBool: return 9;
    case DType::kFloat16: return 10;
    case DType::kFloat64: return 11;
    case DType::kUint32: return 12;
    case DType::kUint64: return 13;
    case DType::kBFloat16: return 16;
    case DType::kUndefined: break;
  }
  return 0;
}

}  // namespace recinfer::ir
