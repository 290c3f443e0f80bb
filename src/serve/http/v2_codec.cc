// Decoding of v2 infer request bodies. Every JSON access checks the type first: nlohmann's
// accessors throw on a mismatch, and no exception may leave the codec. Parse errors are the one
// place that catches (nlohmann reports them only by exception or by a SAX callback).
#include "serve/http/v2_codec.h"

#include <fmt/format.h>

#include <cfloat>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_set>
#include <utility>
#include <vector>

#include "serve/http/v2_json_values.h"

namespace recinfer::serve::http {
namespace {

using nlohmann::json;

// One input's header fields, checked, before its data is read.
struct InputHeader {
  std::string name;
  std::string datatype;
  DType dtype = DType::kUndefined;
  Shape shape;
  int64_t numel = 0;
  std::optional<uint64_t> binary_size;  // parameters.binary_data_size
};

ServeResult<InputHeader> decode_input_header(const json& input, size_t index) {
  if (!input.is_object()) {
    return bad_request("inputs[{}] is {}, expected an object", index, describe(input));
  }
  InputHeader header;
  const auto name = input.find("name");
  if (name == input.end() || !name->is_string()) {
    return bad_request("inputs[{}]: 'name' must be a string", index);
  }
  header.name = name->get<std::string>();
  const std::string what = fmt::format("input '{}'", header.name);

  const auto datatype = input.find("datatype");
  if (datatype == input.end() || !datatype->is_string()) {
    return bad_request("{}: 'datatype' must be a string", what);
  }
  header.datatype = datatype->get<std::string>();
  const auto dtype = dtype_from_protocol(header.datatype);
  if (!dtype) return bad_request("{}: unknown datatype '{}'", what, header.datatype);
  header.dtype = *dtype;

  const auto shape = input.find("shape");
  if (shape == input.end() || !shape->is_array()) {
    return bad_request("{}: 'shape' must be an array of non-negative integers", what);
  }
  if (!Shape::fits(shape->size())) {
    return bad_request("{}: rank {} is above the maximum {}", what, shape->size(), Shape::kMaxRank);
  }
  for (const json& dim : *shape) {
    if (!dim.is_number_integer() || (!dim.is_number_unsigned() && dim.get<int64_t>() < 0)) {
      return bad_request("{}: shape dimension {} is not a non-negative integer", what,
                         describe(dim));
    }
    if (dim.is_number_unsigned() && dim.get<uint64_t>() > uint64_t(INT64_MAX)) {
      return bad_request("{}: shape dimension {} is too large", what, describe(dim));
    }
    header.shape.push_back(dim.get<int64_t>());
  }
  const int64_t max_elements = kMaxTensorBytes / static_cast<int64_t>(dtype_size(header.dtype));
  if (!header.shape.checked_numel(&header.numel, max_elements)) {
    return bad_request("{}: shape {} holds more elements than a tensor may", what,
                       header.shape.to_string());
  }

  const auto parameters = input.find("parameters");
  if (parameters != input.end()) {
    if (!parameters->is_object()) return bad_request("{}: 'parameters' must be an object", what);
    const auto size = parameters->find("binary_data_size");
    if (size != parameters->end()) {
      if (!size->is_number_unsigned() && !(size->is_number_integer() && size->get<int64_t>() >= 0)) {
        return bad_request("{}: binary_data_size {} is not a non-negative integer", what,
                           describe(*size));
      }
      header.binary_size = size->get<uint64_t>();
    }
  }
  return header;
}

// The bytes of a binary input: zero-copy into `body` when aligned for the element type.
ServeResult<Tensor> binary_input(const InputHeader& header, const std::shared_ptr<std::string>& body,
                                 size_t offset) {
  char* bytes = body->data() + offset;
  const size_t size = static_cast<size_t>(*header.binary_size);
  if (header.dtype == DType::kBool) {
    // A bool holding anything but 0 or 1 is undefined behaviour for whoever reads it.
    for (size_t i = 0; i < size; ++i) {
      if (static_cast<unsigned char>(bytes[i]) > 1) {
        return bad_request("input '{}' (BOOL): byte {} is {}, expected 0 or 1", header.name, i,
                           static_cast<unsigned char>(bytes[i]));
      }
    }
  }
  const size_t alignment = dtype_size(header.dtype);
  if (reinterpret_cast<uintptr_t>(bytes) % alignment == 0) {
    return Tensor(header.dtype, header.shape, bytes, std::shared_ptr<void>(body));
  }
  auto tensor = Tensor::allocate(header.dtype, header.shape);
  if (!tensor.is_ok()) {
    return bad_request("input '{}': {}", header.name, tensor.status().message());
  }
  if (size > 0) std::memcpy(tensor->raw(), bytes, size);
  return std::move(tensor).value();
}

std::optional<ServeError> decode_parameters(const json& doc, InferRequest& request,
                                            OutputEncoding& encoding) {
  const auto parameters = doc.find("parameters");
  if (parameters == doc.end()) return std::nullopt;
  if (!parameters->is_object()) return bad_request("'parameters' must be an object");
  if (const auto timeout = parameters->find("timeout"); timeout != parameters->end()) {
    if (!is_non_negative_integer(*timeout)) {
      return bad_request("parameter timeout {} is not a non-negative integer (microseconds)",
                         describe(*timeout));
    }
    request.timeout_us = timeout->get<uint64_t>();
  }
  if (const auto priority = parameters->find("priority"); priority != parameters->end()) {
    if (!is_non_negative_integer(*priority) || priority->get<uint64_t>() > UINT32_MAX) {
      return bad_request("parameter priority {} is not an integer in [0, {}]", describe(*priority),
                         UINT32_MAX);
    }
    request.priority = static_cast<uint32_t>(priority->get<uint64_t>());
  }
  if (const auto binary = parameters->find("binary_data_output"); binary != parameters->end()) {
    if (!binary->is_boolean()) {
      return bad_request("parameter binary_data_output {} is not a boolean", describe(*binary));
    }
    encoding.binary_by_default = binary->get<bool>();
  }
  return std::nullopt;
}

std::optional<ServeError> decode_outputs(const json& doc, InferRequest& request,
                                         OutputEncoding& encoding) {
  const auto outputs = doc.find("outputs");
  if (outputs == doc.end()) return std::nullopt;
  if (!outputs->is_array()) return bad_request("'outputs' must be an array");
  for (size_t i = 0; i < outputs->size(); ++i) {
    const json& output = (*outputs)[i];
    const auto name = output.is_object() ? output.find("name") : output.end();
    if (!output.is_object() || name == output.end() || !name->is_string()) {
      return bad_request("outputs[{}] must be an object with a string 'name'", i);
    }
    const std::string output_name = name->get<std::string>();
    if (encoding.binary.count(output_name) != 0) {
      return bad_request("output '{}' is requested twice", output_name);
    }
    bool binary = encoding.binary_by_default;
    if (const auto parameters = output.find("parameters"); parameters != output.end()) {
      if (!parameters->is_object()) {
        return bad_request("output '{}': 'parameters' must be an object", output_name);
      }
      if (const auto flag = parameters->find("binary_data"); flag != parameters->end()) {
        if (!flag->is_boolean()) {
          return bad_request("output '{}': binary_data {} is not a boolean", output_name,
                             describe(*flag));
        }
        binary = flag->get<bool>();
      }
    }
    encoding.binary[output_name] = binary;
    request.outputs.push_back(output_name);
  }
  return std::nullopt;
}

}  // namespace

bool OutputEncoding::wants_binary(const std::string& output) const {
  const auto it = binary.find(output);
  return it != binary.end() ? it->second : binary_by_default;
}

ServeResult<size_t> parse_header_length(const std::string& value) {
  if (value.empty() || value.size() > 19) {
    return bad_request("Inference-Header-Content-Length '{}' is not a byte count", value);
  }
  size_t length = 0;
  for (const char c : value) {
    if (c < '0' || c > '9') {
      return bad_request("Inference-Header-Content-Length '{}' is not a byte count", value);
    }
    length = length * 10 + static_cast<size_t>(c - '0');
  }
  return length;
}

ServeResult<DecodedInferRequest> decode_infer_request(std::shared_ptr<std::string> body,
                                                      std::optional<size_t> header_length) {
  if (body == nullptr) return bad_request("empty request body");
  const size_t json_length = header_length.value_or(body->size());
  if (json_length > body->size()) {
    return bad_request("Inference-Header-Content-Length {} is past the end of the {}-byte body",
                       json_length, body->size());
  }
  json doc;
  try {
    doc = json::parse(body->data(), body->data() + json_length);
  } catch (const json::exception& e) {
    return bad_request("malformed JSON: {}", e.what());
  }
  if (!doc.is_object()) return bad_request("the request is {}, expected an object", describe(doc));

  DecodedInferRequest decoded;
  InferRequest& request = decoded.request;
  if (const auto id = doc.find("id"); id != doc.end()) {
    if (!id->is_string()) return bad_request("'id' {} is not a string", describe(*id));
    request.id = id->get<std::string>();
  }
  if (auto error = decode_parameters(doc, request, decoded.encoding)) return *error;
  if (auto error = decode_outputs(doc, request, decoded.encoding)) return *error;

  const auto inputs = doc.find("inputs");
  if (inputs == doc.end() || !inputs->is_array()) {
    return bad_request("'inputs' must be an array of tensors");
  }
  std::unordered_set<std::string> seen;
  size_t offset = json_length;  // where the next binary input starts
  for (size_t i = 0; i < inputs->size(); ++i) {
    auto header = decode_input_header((*inputs)[i], i);
    if (auto* error = std::get_if<ServeError>(&header)) return *error;
    InputHeader& input = std::get<InputHeader>(header);
    if (!seen.insert(input.name).second) {
      return bad_request("input '{}' appears twice", input.name);
    }
    const json& spec = (*inputs)[i];
    const bool has_data = spec.contains("data");
    ServeResult<Tensor> tensor = ServeError{};
    if (input.binary_size) {
      if (has_data) {
        return bad_request("input '{}' has both 'data' and binary_data_size", input.name);
      }
      if (!header_length) {
        return bad_request(
            "input '{}' has binary_data_size but the request has no "
            "Inference-Header-Content-Length header",
            input.name);
      }
      const uint64_t expected = uint64_t(input.numel) * dtype_size(input.dtype);
      if (*input.binary_size != expected) {
        return bad_request("input '{}' ({} {}): binary_data_size is {}, the shape needs {} bytes",
                           input.name, input.datatype, input.shape.to_string(),
                           *input.binary_size, expected);
      }
      if (*input.binary_size > body->size() - offset) {
        return bad_request(
            "input '{}': binary_data_size {} runs past the end of the body ({} bytes left)",
            input.name, *input.binary_size, body->size() - offset);
      }
      tensor = binary_input(input, body, offset);
      offset += static_cast<size_t>(*input.binary_size);
    } else {
      if (!has_data) return bad_request("input '{}' has neither 'data' nor binary_data_size", input.name);
      tensor = tensor_from_json(*spec.find("data"), input.name, input.datatype, input.dtype, input.shape,
                                input.numel);
    }
    if (auto* error = std::get_if<ServeError>(&tensor)) return *error;
    request.inputs.push_back({input.name, std::get<Tensor>(tensor)});
  }
  if (header_length && offset != body->size()) {
    return bad_request("{} bytes of binary data follow the last binary input",
                       body->size() - offset);
  }
  return decoded;
}

}  // namespace recinfer::serve::http
