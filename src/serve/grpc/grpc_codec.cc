#include "serve/grpc/grpc_codec.h"

#include <fmt/format.h>

#include <cstring>
#include <limits>
#include <type_traits>
#include <unordered_set>
#include <utility>

namespace recinfer::serve::rpc {
namespace {

using inference::InferParameter;
using inference::InferTensorContents;
using inference::ModelInferRequest;
using inference::ModelInferResponse;

template <typename... Args>
ServeError bad_request(fmt::format_string<Args...> format, Args&&... args) {
  return ServeError{ErrorKind::kBadRequest, fmt::format(format, std::forward<Args>(args)...)};
}

// Typed contents -> tensor elements, each range-checked for T (int_contents carries INT8..INT32
// as int32, uint_contents UINT8..UINT32 as uint32).
template <typename T, typename Values>
std::optional<ServeError> copy_typed(const Values& values, const char* field, const std::string& name,
                                     const std::string& datatype, Tensor& tensor) {
  if (values.size() != tensor.numel()) {
    return bad_request("input '{}' ({} {}): {} has {} elements, the shape needs {}", name, datatype,
                       tensor.shape().to_string(), field, values.size(), tensor.numel());
  }
  T* out = tensor.data<T>();
  for (int i = 0; i < values.size(); ++i) {
    const auto value = values[i];
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      if (!std::in_range<T>(value)) {
        return bad_request("input '{}': element {} of {} is {}, outside {}", name, i, field, value,
                           datatype);
      }
    }
    out[i] = static_cast<T>(value);
  }
  return std::nullopt;
}

std::optional<ServeError> tensor_from_contents(const InferTensorContents& contents,
                                               const std::string& name,
                                               const std::string& datatype, Tensor& tensor) {
  switch (tensor.dtype()) {
    case DType::kBool: return copy_typed<bool>(contents.bool_contents(), "bool_contents", name, datatype, tensor);
    case DType::kInt8: return copy_typed<int8_t>(contents.int_contents(), "int_contents", name, datatype, tensor);
    case DType::kInt16: return copy_typed<int16_t>(contents.int_contents(), "int_contents", name, datatype, tensor);
    case DType::kInt32: return copy_typed<int32_t>(contents.int_contents(), "int_contents", name, datatype, tensor);
    case DType::kInt64: return copy_typed<int64_t>(contents.int64_contents(), "int64_contents", name, datatype, tensor);
    case DType::kUint8: return copy_typed<uint8_t>(contents.uint_contents(), "uint_contents", name, datatype, tensor);
    case DType::kUint16: return copy_typed<uint16_t>(contents.uint_contents(), "uint_contents", name, datatype, tensor);
    case DType::kUint32: return copy_typed<uint32_t>(contents.uint_contents(), "uint_contents", name, datatype, tensor);
    case DType::kUint64: return copy_typed<uint64_t>(contents.uint64_contents(), "uint64_contents", name, datatype, tensor);
    case DType::kFloat32: return copy_typed<float>(contents.fp32_contents(), "fp32_contents", name, datatype, tensor);
    case DType::kFloat64: return copy_typed<double>(contents.fp64_contents(), "fp64_contents", name, datatype, tensor);
    default:
      return bad_request("input '{}': {} has no typed contents; send it in raw_input_contents",
                         name, datatype);
  }
}

template <typename T, typename Field>
void append_typed(const Tensor& tensor, Field* field) {
  const T* data = tensor.data<T>();
  field->Reserve(static_cast<int>(tensor.numel()));
  for (int64_t i = 0; i < tensor.numel(); ++i) field->Add(data[i]);
}

// An InferParameter holding a non-negative integer (int64 or uint64), or nullopt.
std::optional<uint64_t> unsigned_parameter(const InferParameter& parameter) {
  if (parameter.has_uint64_param()) return parameter.uint64_param();
  if (parameter.has_int64_param() && parameter.int64_param() >= 0) {
    return static_cast<uint64_t>(parameter.int64_param());
  }
  return std::nullopt;
}

InferParameter int64_parameter(int64_t value) {
  InferParameter parameter;
  parameter.set_int64_param(value);
  return parameter;
}

}  // namespace

ServeResult<NamedTensor> input_from_proto(const ModelInferRequest::InferInputTensor& input,
                                          std::shared_ptr<std::string> raw) {
  const std::string& name = input.name();
  const auto dtype = dtype_from_protocol(input.datatype());
  if (!dtype) return bad_request("input '{}': unknown datatype '{}'", name, input.datatype());
  if (!Shape::fits(static_cast<size_t>(input.shape_size()))) {
    return bad_request("input '{}': rank {} is above the maximum {}", name, input.shape_size(),
                       Shape::kMaxRank);
  }
  Shape shape;
  for (const int64_t dim : input.shape()) {
    if (dim < 0) return bad_request("input '{}': shape dimension {} is negative", name, dim);
    shape.push_back(dim);
  }
  const size_t element_bytes = dtype_size(*dtype);
  int64_t numel = 0;
  if (!shape.checked_numel(&numel, kMaxTensorBytes / static_cast<int64_t>(element_bytes))) {
    return bad_request("input '{}': shape {} holds more elements than a tensor may", name,
                       shape.to_string());
  }
  if (raw == nullptr) {
    auto tensor = Tensor::allocate(*dtype, shape);
    if (!tensor.is_ok()) return bad_request("input '{}': {}", name, tensor.status().message());
    if (auto error = tensor_from_contents(input.contents(), name, input.datatype(), *tensor)) {
      return *error;
    }
    return NamedTensor{name, std::move(tensor).value()};
  }

  const uint64_t expected = uint64_t(numel) * element_bytes;
  if (raw->size() != expected) {
    return bad_request("input '{}' ({} {}): raw_input_contents has {} bytes, the shape needs {}",
                       name, input.datatype(), shape.to_string(), raw->size(), expected);
  }
  if (*dtype == DType::kBool) {
    for (size_t i = 0; i < raw->size(); ++i) {
      if (static_cast<unsigned char>((*raw)[i]) > 1) {
        return bad_request("input '{}' (BOOL): byte {} is {}, expected 0 or 1", name, i,
                           static_cast<unsigned char>((*raw)[i]));
      }
    }
  }
  char* bytes = raw->data();
  if (reinterpret_cast<uintptr_t>(bytes) % element_bytes == 0) {
    return NamedTensor{name, Tensor(*dtype, shape, bytes, std::shared_ptr<void>(std::move(raw)))};
  }
  auto tensor = Tensor::allocate(*dtype, shape);
  if (!tensor.is_ok()) return bad_request("input '{}': {}", name, tensor.status().message());
  if (expected > 0) std::memcpy(tensor->raw(), bytes, expected);
  return NamedTensor{name, std::move(tensor).value()};
}

std::optional<ServeError> output_to_proto(const NamedTensor& tensor,
                                          ModelInferResponse::InferOutputTensor* output,
                                          std::string* raw) {
  const auto datatype = dtype_to_protocol(tensor.tensor.dtype());
  if (!datatype) {
    return ServeError{ErrorKind::kInternal,
                      fmt::format("output '{}' has dtype {}, which the protocol cannot carry",
                                  tensor.name, dtype_name(tensor.tensor.dtype()))};
  }
  output->set_name(tensor.name);
  output->set_datatype(*datatype);
  for (const int64_t dim : tensor.tensor.shape()) output->add_shape(dim);
  if (tensor.tensor.bytes() > 0) {
    raw->append(static_cast<const char*>(tensor.tensor.raw()), tensor.tensor.bytes());
  }
  return std::nullopt;
}

std::optional<ServeError> contents_from_tensor(const Tensor& tensor, InferTensorContents* contents) {
  switch (tensor.dtype()) {
    case DType::kBool: append_typed<bool>(tensor, contents->mutable_bool_contents()); break;
    case DType::kInt8: append_typed<int8_t>(tensor, contents->mutable_int_contents()); break;
    case DType::kInt16: append_typed<int16_t>(tensor, contents->mutable_int_contents()); break;
    case DType::kInt32: append_typed<int32_t>(tensor, contents->mutable_int_contents()); break;
    case DType::kInt64: append_typed<int64_t>(tensor, contents->mutable_int64_contents()); break;
    case DType::kUint8: append_typed<uint8_t>(tensor, contents->mutable_uint_contents()); break;
    case DType::kUint16: append_typed<uint16_t>(tensor, contents->mutable_uint_contents()); break;
    case DType::kUint32: append_typed<uint32_t>(tensor, contents->mutable_uint_contents()); break;
    case DType::kUint64: append_typed<uint64_t>(tensor, contents->mutable_uint64_contents()); break;
    case DType::kFloat32: append_typed<float>(tensor, contents->mutable_fp32_contents()); break;
    case DType::kFloat64: append_typed<double>(tensor, contents->mutable_fp64_contents()); break;
    default:
      return bad_request("dtype {} has no typed contents", dtype_name(tensor.dtype()));
  }
  return std::nullopt;
}

ServeResult<InferRequest> decode_infer_request(ModelInferRequest& request) {
  InferRequest decoded;
  decoded.model = request.model_name();
  decoded.version = request.model_version();
  decoded.id = request.id();

  const auto& parameters = request.parameters();
  if (const auto timeout = parameters.find("timeout"); timeout != parameters.end()) {
    const auto value = unsigned_parameter(timeout->second);
    if (!value) return bad_request("parameter timeout must be a non-negative integer (microseconds)");
    decoded.timeout_us = *value;
  }
  if (const auto priority = parameters.find("priority"); priority != parameters.end()) {
    const auto value = unsigned_parameter(priority->second);
    if (!value || *value > UINT32_MAX) {
      return bad_request("parameter priority must be an integer in [0, {}]", UINT32_MAX);
    }
    decoded.priority = static_cast<uint32_t>(*value);
  }
  for (const auto& output : request.outputs()) decoded.outputs.push_back(output.name());

  const bool raw = request.raw_input_contents_size() > 0;
  if (raw && request.raw_input_contents_size() != request.inputs_size()) {
    return bad_request("{} raw_input_contents for {} inputs: send one per input, in input order",
                       request.raw_input_contents_size(), request.inputs_size());
  }
  std::unordered_set<std::string> seen;
  for (int i = 0; i < request.inputs_size(); ++i) {
    const auto& input = request.inputs(i);
    if (!seen.insert(input.name()).second) {
      return bad_request("input '{}' appears twice", input.name());
    }
    std::shared_ptr<std::string> bytes;
    if (raw) {
      if (input.has_contents()) {
        return bad_request("input '{}' has typed contents although the request uses "
                           "raw_input_contents",
                           input.name());
      }
      bytes = std::make_shared<std::string>();
      bytes->swap(*request.mutable_raw_input_contents(i));
    }
    auto tensor = input_from_proto(input, std::move(bytes));
    if (auto* error = std::get_if<ServeError>(&tensor)) return *error;
    decoded.inputs.push_back(std::move(std::get<NamedTensor>(tensor)));
  }
  return decoded;
}

std::optional<ServeError> encode_infer_response(const InferResponse& response,
                                                ModelInferResponse* out) {
  out->set_model_name(response.model);
  out->set_model_version(response.version);
  out->set_id(response.id);
  auto& parameters = *out->mutable_parameters();
  parameters["recinfer_queue_ns"] = int64_parameter(static_cast<int64_t>(response.timings.queue_ns));
  parameters["recinfer_compute_ns"] =
      int64_parameter(static_cast<int64_t>(response.timings.compute_ns));
  parameters["recinfer_batch_size"] = int64_parameter(response.timings.batch_size);
  for (const NamedTensor& tensor : response.outputs) {
    if (auto error = output_to_proto(tensor, out->add_outputs(), out->add_raw_output_contents())) {
      return error;
    }
  }
  return std::nullopt;
}

}  // namespace recinfer::serve::rpc
