// The Open Inference Protocol (KServe v2) REST body <-> InferRequest / InferResponse: pure
// functions, no sockets. Covers JSON tensors (flat or nested `data`) and the binary tensor data
// extension (Inference-Header-Content-Length: the first N bytes are JSON, the rest raw tensor
// bytes in input order, each input's size in parameters.binary_data_size).
//
// Safe on any bytes: every malformed body becomes ServeError{kBadRequest, message naming the
// input and the offending value}; nothing throws out of these functions.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "serve/backend.h"
#include "serve/infer_types.h"

namespace recinfer::serve::http {

// How the client wants each output encoded: raw bytes after the JSON header (binary) or a JSON
// `data` array.
struct OutputEncoding {
  bool binary_by_default = false;                 // parameters.binary_data_output
  std::unordered_map<std::string, bool> binary;   // outputs[i].parameters.binary_data
  bool wants_binary(const std::string& output) const;
};

struct DecodedInferRequest {
  InferRequest request;  // model and version are left for the caller (they come from the URL)
  OutputEncoding encoding;
};

// `body` is shared so that binary inputs can point into it (zero-copy): their tensors hold a
// reference on it through Tensor::owner. An input whose bytes are not aligned to its element size
// inside the body is copied instead. `header_length` is Inference-Header-Content-Length (nullopt
// when absent: the whole body is JSON).
ServeResult<DecodedInferRequest> decode_infer_request(std::shared_ptr<std::string> body,
                                                      std::optional<size_t> header_length);

// Parses the Inference-Header-Content-Length header value (decimal digits only).
ServeResult<size_t> parse_header_length(const std::string& value);

struct EncodedResponse {
  std::string body;
  // Set when any output is binary: the server sends it as Inference-Header-Content-Length and
  // Content-Type application/octet-stream.
  std::optional<size_t> header_length;
};

// Server timings go into the response's parameters as recinfer_queue_ns, recinfer_compute_ns
// and recinfer_batch_size. Non-finite floats have no JSON form and are written as null (request
// binary outputs for exact values).
// Fails (kInternal) only for an output dtype the protocol has no name for.
ServeResult<EncodedResponse> encode_infer_response(const InferResponse& response,
                                                   const OutputEncoding& encoding);

// {"error": message}
std::string encode_error(const std::string& message);

}  // namespace recinfer::serve::http
