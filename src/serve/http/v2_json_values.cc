#include "serve/http/v2_json_values.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

namespace recinfer::serve::http {
namespace {

using nlohmann::json;

// Counts the scalars of a (nested) data array; fails when arrays nest deeper than max_depth.
bool count_scalars(const json& value, int depth, int max_depth, int64_t& count) {
  if (!value.is_array()) {
    ++count;
    return true;
  }
  if (depth >= max_depth) return false;
  for (const json& element : value) {
    if (!count_scalars(element, depth + 1, max_depth, count)) return false;
  }
  return true;
}

// One JSON scalar -> T, or false when it does not fit.
template <typename T>
bool convert(const json& value, T& out) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!value.is_boolean()) return false;
    out = value.get<bool>();
    return true;
  } else if constexpr (std::is_integral_v<T>) {
    if (value.is_number_unsigned()) {
      const uint64_t v = value.get<uint64_t>();
      if (v > static_cast<uint64_t>(std::numeric_limits<T>::max())) return false;
      out = static_cast<T>(v);
      return true;
    }
    if (value.is_number_integer()) {
      const int64_t v = value.get<int64_t>();
      if constexpr (std::is_unsigned_v<T>) {
        if (v < 0 || static_cast<uint64_t>(v) > std::numeric_limits<T>::max()) return false;
      } else {
        if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) return false;
      }
      out = static_cast<T>(v);
      return true;
    }
    return false;
  } else {
    if (!value.is_number()) return false;
    const double v = value.get<double>();
    if (!std::isfinite(v)) return false;
    if constexpr (std::is_same_v<T, float>) {
      // Up to half an ulp above FLT_MAX still rounds to FLT_MAX (the shortest text of FLT_MAX,
      // 3.4028235e38, is such a value); from there on it would round to infinity.
      const double limit = double(std::numeric_limits<float>::max()) + std::ldexp(1.0, 103);
      if (std::fabs(v) >= limit) return false;
    }
    out = static_cast<T>(v);
    return true;
  }
}

struct Filler {
  const std::string& name;
  const std::string& datatype;
  int64_t index = 0;
};

template <typename T>
std::optional<ServeError> fill(const json& value, T* out, Filler& filler) {
  if (value.is_array()) {
    for (const json& element : value) {
      if (auto error = fill(element, out, filler)) return error;
    }
    return std::nullopt;
  }
  if (!convert(value, out[filler.index])) {
    return bad_request("input '{}': element {} is {}, which is not a valid {}", filler.name,
                       filler.index, describe(value), filler.datatype);
  }
  ++filler.index;
  return std::nullopt;
}

template <typename T>
std::optional<ServeError> fill_tensor(const json& data, Tensor& tensor, Filler& filler) {
  return fill(data, tensor.data<T>(), filler);
}

// IEEE half -> float (subnormals, infinities and NaN included).
float half_to_float(uint16_t half) {
  const uint32_t sign = uint32_t(half >> 15) << 31;
  const uint32_t exponent = (half >> 10) & 0x1f;
  const uint32_t mantissa = half & 0x3ff;
  float magnitude;
  if (exponent == 0) {
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);
  } else if (exponent == 31) {
    magnitude = mantissa == 0 ? std::numeric_limits<float>::infinity()
                              : std::numeric_limits<float>::quiet_NaN();
  } else {
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400), int(exponent) - 25);
  }
  uint32_t bits;
  std::memcpy(&bits, &magnitude, sizeof bits);
  bits |= sign;
  float result;
  std::memcpy(&result, &bits, sizeof result);
  return result;
}

float bfloat16_to_float(uint16_t value) {
  const uint32_t bits = uint32_t(value) << 16;
  float result;
  std::memcpy(&result, &bits, sizeof result);
  return result;
}

template <typename T>
void append_number(T value, std::string& out) {
  if constexpr (std::is_same_v<T, bool>) {
    out += value ? "true" : "false";
  } else {
    if constexpr (std::is_floating_point_v<T>) {
      if (!std::isfinite(value)) {
        out += "null";
        return;
      }
    }
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
  }
}

template <typename T, typename Convert>
void append_elements(const Tensor& tensor, std::string& out, Convert convert) {
  const T* data = tensor.data<T>();
  const int64_t numel = tensor.numel();
  out += '[';
  for (int64_t i = 0; i < numel; ++i) {
    if (i > 0) out += ',';
    append_number(convert(data[i]), out);
  }
  out += ']';
}

template <typename T>
void append_elements(const Tensor& tensor, std::string& out) {
  append_elements<T>(tensor, out, [](T v) { return v; });
}

}  // namespace

std::string describe(const json& value) {
  switch (value.type()) {
    case json::value_t::array:
      return fmt::format("an array of {} elements", value.size());
    case json::value_t::object:
      return "an object";
    case json::value_t::string: {
      const std::string& text = value.get_ref<const std::string&>();
      if (text.size() <= 40) return json(text).dump(-1, ' ', false, json::error_handler_t::replace);
      return json(text.substr(0, 40)).dump(-1, ' ', false, json::error_handler_t::replace) + "...";
    }
    default:
      return value.dump();  // a number, a boolean or null: short
  }
}

bool is_non_negative_integer(const json& value) {
  return value.is_number_unsigned() || (value.is_number_integer() && value.get<int64_t>() >= 0);
}

ServeResult<Tensor> tensor_from_json(const json& data, const std::string& name,
                                     const std::string& datatype, DType dtype, const Shape& shape,
                                     int64_t numel) {
  if (!data.is_array()) {
    return bad_request("input '{}': 'data' is {}, expected an array", name, describe(data));
  }
  if (dtype == DType::kFloat16 || dtype == DType::kBFloat16) {
    return bad_request("input '{}': {} data must be sent as binary data (binary_data_size)", name,
                       datatype);
  }
  int64_t count = 0;
  const int max_depth = std::max(shape.rank(), 1);
  if (!count_scalars(data, 0, max_depth, count)) {
    return bad_request("input '{}': 'data' nests arrays deeper than the shape {} (rank {})", name,
                       shape.to_string(), shape.rank());
  }
  if (count != numel) {
    return bad_request("input '{}': shape {} needs {} elements, 'data' has {}", name,
                       shape.to_string(), numel, count);
  }
  auto allocated = Tensor::allocate(dtype, shape);
  if (!allocated.is_ok()) return bad_request("input '{}': {}", name, allocated.status().message());
  Tensor tensor = std::move(allocated).value();
  Filler filler{name, datatype};
  std::optional<ServeError> error;
  switch (dtype) {
    case DType::kBool: error = fill_tensor<bool>(data, tensor, filler); break;
    case DType::kUint8: error = fill_tensor<uint8_t>(data, tensor, filler); break;
    case DType::kUint16: error = fill_tensor<uint16_t>(data, tensor, filler); break;
    case DType::kUint32: error = fill_tensor<uint32_t>(data, tensor, filler); break;
    case DType::kUint64: error = fill_tensor<uint64_t>(data, tensor, filler); break;
    case DType::kInt8: error = fill_tensor<int8_t>(data, tensor, filler); break;
    case DType::kInt16: error = fill_tensor<int16_t>(data, tensor, filler); break;
    case DType::kInt32: error = fill_tensor<int32_t>(data, tensor, filler); break;
    case DType::kInt64: error = fill_tensor<int64_t>(data, tensor, filler); break;
    case DType::kFloat32: error = fill_tensor<float>(data, tensor, filler); break;
    case DType::kFloat64: error = fill_tensor<double>(data, tensor, filler); break;
    default:
      return bad_request("input '{}': datatype {} has no JSON form", name, datatype);
  }
  if (error) return *error;
  return tensor;
}

void append_json_data(const Tensor& tensor, std::string& out) {
  switch (tensor.dtype()) {
    case DType::kBool: return append_elements<bool>(tensor, out);
    case DType::kUint8: return append_elements<uint8_t>(tensor, out);
    case DType::kUint16: return append_elements<uint16_t>(tensor, out);
    case DType::kUint32: return append_elements<uint32_t>(tensor, out);
    case DType::kUint64: return append_elements<uint64_t>(tensor, out);
    case DType::kInt8: return append_elements<int8_t>(tensor, out);
    case DType::kInt16: return append_elements<int16_t>(tensor, out);
    case DType::kInt32: return append_elements<int32_t>(tensor, out);
    case DType::kInt64: return append_elements<int64_t>(tensor, out);
    case DType::kFloat32: return append_elements<float>(tensor, out);
    case DType::kFloat64: return append_elements<double>(tensor, out);
    case DType::kFloat16: return append_elements<uint16_t>(tensor, out, half_to_float);
    case DType::kBFloat16: return append_elements<uint16_t>(tensor, out, bfloat16_to_float);
    default: out += "[]"; return;  // no protocol datatype; the encoder reports it first
  }
}

}  // namespace recinfer::serve::http
