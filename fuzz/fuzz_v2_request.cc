// The v2 REST infer body decoder (serve/http/v2_codec.h) on arbitrary bytes, with and without the
// binary tensor data extension. Framing: byte 0 bit 0 set = a header length follows as a
// little-endian uint16 in bytes 1-2 (Inference-Header-Content-Length); the rest is the body.
// Oracle beyond the sanitizers: an accepted request's inputs, encoded as an all-binary response
// and read back as a request, give the same dtypes, shapes and bytes.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "serve/http/v2_codec.h"

using recinfer::serve::InferResponse;
using recinfer::serve::ServeError;
using recinfer::serve::http::DecodedInferRequest;
using recinfer::serve::http::EncodedResponse;
using recinfer::serve::http::OutputEncoding;

namespace {

void check_round_trip(const DecodedInferRequest& decoded) {
  InferResponse response;
  response.outputs = decoded.request.inputs;
  OutputEncoding binary;
  binary.binary_by_default = true;
  auto encoded = recinfer::serve::http::encode_infer_response(response, binary);
  if (!std::holds_alternative<EncodedResponse>(encoded)) __builtin_trap();  // every input dtype has a name
  const EncodedResponse& out = std::get<EncodedResponse>(encoded);
  if (response.outputs.empty()) return;
  const size_t header_length = *out.header_length;
  auto doc = nlohmann::json::parse(out.body.substr(0, header_length));
  std::string body = nlohmann::json{{"inputs", doc["outputs"]}}.dump();
  const size_t new_header = body.size();
  body += out.body.substr(header_length);
  auto again = recinfer::serve::http::decode_infer_request(std::make_shared<std::string>(body),
                                                           new_header);
  if (!std::holds_alternative<DecodedInferRequest>(again)) __builtin_trap();
  const auto& inputs = std::get<DecodedInferRequest>(again).request.inputs;
  if (inputs.size() != response.outputs.size()) __builtin_trap();
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto& a = inputs[i].tensor;
    const auto& b = response.outputs[i].tensor;
    if (a.dtype() != b.dtype() || a.shape() != b.shape() || a.bytes() != b.bytes() ||
        (a.bytes() > 0 && std::memcmp(a.raw(), b.raw(), a.bytes()) != 0)) {
      __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::optional<size_t> header_length;
  size_t skip = 1;
  if (data[0] & 1) {
    if (size < 3) return 0;
    header_length = size_t(data[1]) | size_t(data[2]) << 8;
    skip = 3;
  }
  auto body = std::make_shared<std::string>(reinterpret_cast<const char*>(data) + skip, size - skip);
  auto decoded = recinfer::serve::http::decode_infer_request(body, header_length);
  if (const auto* request = std::get_if<DecodedInferRequest>(&decoded)) check_round_trip(*request);
  return 0;
}
