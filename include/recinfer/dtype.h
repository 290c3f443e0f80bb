// Element types. The enum lists every type recinfer can name (so errors can say "float16"),
// kernels support a subset and report kUnsupported for the rest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace recinfer {

enum class DType : uint8_t {
  kUndefined = 0,
  kFloat32,
  kFloat64,
  kInt64,
  kInt32,
  kInt16,
  kInt8,
  kUint64,
  kUint32,
  kUint16,
  kUint8,
  kBool,
  kFloat16,   // storage (bits as uint16): Cast/CastLike convert it, a few ops take it
  kBFloat16,  // storage, like kFloat16 (core/half.h has the conversions)
  kString,    // named only
};

size_t dtype_size(DType dtype);  // 0 for kUndefined and kString
std::string_view dtype_name(DType dtype);
bool dtype_is_float(DType dtype);
bool dtype_is_integer(DType dtype);  // signed or unsigned, not bool
bool dtype_is_computable(DType dtype);  // has kernels at all (not string)

template <typename T>
constexpr DType dtype_of();
template <> constexpr DType dtype_of<float>() { return DType::kFloat32; }
template <> constexpr DType dtype_of<double>() { return DType::kFloat64; }
template <> constexpr DType dtype_of<int64_t>() { return DType::kInt64; }
template <> constexpr DType dtype_of<int32_t>() { return DType::kInt32; }
template <> constexpr DType dtype_of<int16_t>() { return DType::kInt16; }
template <> constexpr DType dtype_of<int8_t>() { return DType::kInt8; }
template <> constexpr DType dtype_of<uint64_t>() { return DType::kUint64; }
template <> constexpr DType dtype_of<uint32_t>() { return DType::kUint32; }
template <> constexpr DType dtype_of<uint16_t>() { return DType::kUint16; }
template <> constexpr DType dtype_of<uint8_t>() { return DType::kUint8; }
template <> constexpr DType dtype_of<bool>() { return DType::kBool; }

}  // namespace recinfer
