// The client side of the Open Inference Protocol's HTTP/REST binding: encodes infer requests
// (JSON, or the binary tensor data extension) and decodes responses, including the server
// timings recinfer returns as response parameters. Used by `recinfer loadgen` and the server's
// end-to-end tests; the server side is serve/http/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "recinfer/status.h"
#include "serve/infer_types.h"

namespace recinfer::serve::client {

struct EncodedRequest {
  std::string body;
  // Binary extension: length of the JSON header at the start of the body (sent as
  // Inference-Header-Content-Length); nullopt for a pure JSON body.
  std::optional<size_t> header_length;
};

// `binary`: tensor bytes after a JSON header (the binary tensor data extension) and binary
// outputs requested; otherwise JSON "data" arrays both ways.
Result<EncodedRequest> encode_request(const std::vector<NamedTensor>& inputs, bool binary,
                                      const std::string& id = "");

struct DecodedResponse {
  std::vector<NamedTensor> outputs;
  std::optional<InferTimings> server;  // present when the server reported its timings
};

// `header_length`: the response's Inference-Header-Content-Length, if any.
Result<DecodedResponse> decode_response(const std::string& body,
                                        std::optional<size_t> header_length);

}  // namespace recinfer::serve::client
