// JSON tensor data of the v2 REST protocol: `data` arrays (flat or nested) -> Tensor with range
// checks per datatype, and Tensor -> `data` array text. Internal to the HTTP codec.
#pragma once

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "serve/backend.h"
#include "serve/infer_types.h"

namespace recinfer::serve::http {

template <typename... Args>
ServeError bad_request(fmt::format_string<Args...> format, Args&&... args) {
  return ServeError{ErrorKind::kBadRequest, fmt::format(format, std::forward<Args>(args)...)};
}

// A short, bounded description of a JSON value for error messages: scalars as written (long
// strings cut), containers by kind and size (never dumped: they may be huge or deeply nested).
std::string describe(const nlohmann::json& value);

bool is_non_negative_integer(const nlohmann::json& value);

// `data` must be an array whose scalars (nested at most max(rank, 1) deep, row-major) number
// exactly `numel` and each fit `dtype`: BOOL true/false, integers within the type's range (no
// fractions), FP32/FP64 finite numbers within range. FP16/BF16 must come as binary data.
ServeResult<Tensor> tensor_from_json(const nlohmann::json& data, const std::string& name,
                                     const std::string& datatype, DType dtype, const Shape& shape,
                                     int64_t numel);

// Appends the tensor's elements as a flat JSON array ("[1,2,3]"). Floats use the shortest text
// that reads back to the same value; non-finite floats become null. FP16/BF16 are widened.
void append_json_data(const Tensor& tensor, std::string& out);

}  // namespace recinfer::serve::http
