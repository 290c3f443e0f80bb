// inference.GRPCInferenceService messages <-> the protocol-neutral InferRequest / InferResponse:
// pure functions, no channels. Inputs come as raw_input_contents (row-major little-endian bytes,
// one entry per input, in order) or as typed InferTensorContents; outputs always go out as
// raw_output_contents (as Triton answers). Malformed messages become
// ServeError{kBadRequest, message naming the input and the value}.
//
// Namespace `rpc`, not `grpc`: inside recinfer::serve::grpc the name `grpc::` would stop meaning
// the gRPC library.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "serve/backend.h"
#include "serve/grpc/grpc_service.pb.h"
#include "serve/infer_types.h"

namespace recinfer::serve::rpc {

// One input tensor. With `raw` (its raw_input_contents entry) the tensor points into that
// string, which it keeps alive through Tensor::owner, when aligned for the element type (copied
// otherwise); without, the data comes from `input.contents` and is copied into a new tensor.
ServeResult<NamedTensor> input_from_proto(const inference::ModelInferRequest::InferInputTensor& input,
                                          std::shared_ptr<std::string> raw);

// One output tensor: name, datatype and shape into `output`, its bytes appended to `raw`.
std::optional<ServeError> output_to_proto(const NamedTensor& tensor,
                                          inference::ModelInferResponse::InferOutputTensor* output,
                                          std::string* raw);

// The typed form of a tensor, for clients that send InferTensorContents (and for tests).
// FP16/BF16 have no typed field: kBadRequest.
std::optional<ServeError> contents_from_tensor(const Tensor& tensor,
                                               inference::InferTensorContents* contents);

// The whole request. Takes `request`'s raw_input_contents strings (swapped out in O(1), not
// copied) so that the input tensors can share them; the rest of `request` is left as it was.
ServeResult<InferRequest> decode_infer_request(inference::ModelInferRequest& request);

// The whole response, with the server timings as parameters recinfer_queue_ns,
// recinfer_compute_ns and recinfer_batch_size (int64_param).
std::optional<ServeError> encode_infer_response(const InferResponse& response,
                                                inference::ModelInferResponse* out);

}  // namespace recinfer::serve::rpc
