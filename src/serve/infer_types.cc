#include "serve/infer_types.h"

#include <array>
#include <utility>

namespace recinfer::serve {
namespace {

// The Open Inference Protocol's tensor datatypes that recinfer has a dtype for.
constexpr std::array<std::pair<DType, const char*>, 13> kDatatypes = {{
    {DType::kBool, "BOOL"},
    {DType::kUint8, "UINT8"},
    {DType::kUint16, "UINT16"},
    {DType::kUint32, "UINT32"},
    {DType::kUint64, "UINT64"},
    {DType::kInt8, "INT8"},
    {DType::kInt16, "INT16"},
    {DType::kInt32, "INT32"},
    {DType::kInt64, "INT64"},
    {DType::kFloat16, "FP16"},
    {DType::kBFloat16, "BF16"},
    {DType::kFloat32, "FP32"},
    {DType::kFloat64, "FP64"},
}};

}  // namespace

std::optional<DType> dtype_from_protocol(const std::string& datatype) {
  for (const auto& [dtype, name] : kDatatypes) {
    if (datatype == name) return dtype;
  }
  return std::nullopt;
}

std::optional<std::string> dtype_to_protocol(DType dtype) {
  for (const auto& [d, name] : kDatatypes) {
    if (d == dtype) return std::string(name);
  }
  return std::nullopt;
}

}  // namespace recinfer::serve
