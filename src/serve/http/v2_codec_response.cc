// Encoding of v2 infer responses. Written by hand rather than through a json object: outputs can
// hold millions of elements, and building a DOM node per element would cost more than the model.
#include <nlohmann/json.hpp>

#include "serve/http/v2_codec.h"
#include "serve/http/v2_json_values.h"

namespace recinfer::serve::http {
namespace {

void append_string(const std::string& text, std::string& out) {
  out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void append_shape(const Shape& shape, std::string& out) {
  out += '[';
  for (int axis = 0; axis < shape.rank(); ++axis) {
    if (axis > 0) out += ',';
    out += std::to_string(shape[axis]);
  }
  out += ']';
}

}  // namespace

ServeResult<EncodedResponse> encode_infer_response(const InferResponse& response,
                                                   const OutputEncoding& encoding) {
  EncodedResponse encoded;
  std::string& out = encoded.body;
  std::vector<const Tensor*> binary_outputs;
  out += "{\"model_name\":";
  append_string(response.model, out);
  out += ",\"model_version\":";
  append_string(response.version, out);
  if (!response.id.empty()) {
    out += ",\"id\":";
    append_string(response.id, out);
  }
  out += ",\"parameters\":{\"recinfer_queue_ns\":" + std::to_string(response.timings.queue_ns);
  out += ",\"recinfer_compute_ns\":" + std::to_string(response.timings.compute_ns);
  out += ",\"recinfer_batch_size\":" + std::to_string(response.timings.batch_size);
  out += "},\"outputs\":[";
  for (size_t i = 0; i < response.outputs.size(); ++i) {
    const NamedTensor& output = response.outputs[i];
    const auto datatype = dtype_to_protocol(output.tensor.dtype());
    if (!datatype) {
      return ServeError{ErrorKind::kInternal,
                        fmt::format("output '{}' has dtype {}, which the protocol cannot carry",
                                    output.name, dtype_name(output.tensor.dtype()))};
    }
    if (i > 0) out += ',';
    out += "{\"name\":";
    append_string(output.name, out);
    out += ",\"datatype\":\"" + *datatype + "\",\"shape\":";
    append_shape(output.tensor.shape(), out);
    if (encoding.wants_binary(output.name)) {
      out += ",\"parameters\":{\"binary_data_size\":" + std::to_string(output.tensor.bytes()) + "}";
      binary_outputs.push_back(&output.tensor);
    } else {
      out += ",\"data\":";
      append_json_data(output.tensor, out);
    }
    out += '}';
  }
  out += "]}";
  if (!binary_outputs.empty()) {
    encoded.header_length = out.size();
    size_t total = out.size();
    for (const Tensor* tensor : binary_outputs) total += tensor->bytes();
    out.reserve(total);
    for (const Tensor* tensor : binary_outputs) {
      if (tensor->bytes() > 0) out.append(static_cast<const char*>(tensor->raw()), tensor->bytes());
    }
  }
  return encoded;
}

std::string encode_error(const std::string& message) {
  return nlohmann::json{{"error", message}}.dump(-1, ' ', false,
                                                 nlohmann::json::error_handler_t::replace);
}

}  // namespace recinfer::serve::http
