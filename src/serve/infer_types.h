// The protocol-neutral form of an Open Inference Protocol (KServe v2) exchange: what the HTTP and
// gRPC front ends decode requests into and encode responses from, and what the model repository
// and its dynamic batcher consume and produce. Front ends never see an Engine; the repository
// never sees JSON, HTTP or protobuf.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "recinfer/tensor.h"

namespace recinfer::serve {

// How a request failed, in the protocol's terms: each front end maps it to its own status
// (HTTP 400/404/503/500, gRPC INVALID_ARGUMENT/NOT_FOUND/UNAVAILABLE/DEADLINE_EXCEEDED/INTERNAL).
enum class ErrorKind {
  kBadRequest,   // malformed body, wrong input name/dtype/shape, ids outside a table (400)
  kNotFound,     // no such model or version (404)
  kUnavailable,  // queue full, model not ready, server shutting down (503)
  kTimeout,      // the request's queue timeout expired before it ran (503 / DEADLINE_EXCEEDED)
  kInternal,     // anything else (500)
};

struct ServeError {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;  // names the model, input/node and value where known
};

// One named tensor. `tensor` owns (or shares) its data; a front end may point it into the
// request body it keeps alive for the duration of the call (zero-copy decode).
struct NamedTensor {
  std::string name;
  Tensor tensor;
};

struct InferRequest {
  std::string model;
  std::string version;  // "" = the model's current version
  std::string id;       // echoed in the response
  std::vector<NamedTensor> inputs;
  std::vector<std::string> outputs;  // requested outputs; empty = all, in the model's order
  // Per-request queue timeout (the protocol's "timeout" parameter); unset = the model's default.
  std::optional<uint64_t> timeout_us;
  uint32_t priority = 0;  // 0 = the model's default; 1 is the highest
};

// Server-side timings of one request, returned to clients (loadgen splits client, network,
// server queue and server compute with them).
struct InferTimings {
  uint64_t queue_ns = 0;    // admission to the start of its batch's execution
  uint64_t compute_ns = 0;  // its batch's gather + Engine::run + split
  int64_t batch_size = 0;   // rows of the batch it ran in (padding included)
};

struct InferResponse {
  std::string model;
  std::string version;
  std::string id;
  std::vector<NamedTensor> outputs;
  InferTimings timings;
};

// Metadata as the protocol's model-metadata endpoint reports it. Dims are -1 where the model
// leaves a dimension free (the batch dimension, ragged bag inputs); datatype is the protocol's
// name ("FP32", "INT64", "BOOL", ...).
struct TensorMetadata {
  std::string name;
  std::string datatype;
  std::vector<int64_t> shape;
};

struct ModelMetadata {
  std::string name;
  std::vector<std::string> versions;
  std::string platform = "onnx";
  std::vector<TensorMetadata> inputs;
  std::vector<TensorMetadata> outputs;
};

struct ServerMetadata {
  std::string name = "recinfer";
  std::string version;
  std::vector<std::string> extensions;  // e.g. "binary_tensor_data", "statistics"
};

// The protocol's datatype names <-> recinfer dtypes ("FP32" <-> kFloat32, ...); nullopt for a
// name or dtype the other side has no counterpart for.
std::optional<DType> dtype_from_protocol(const std::string& datatype);
std::optional<std::string> dtype_to_protocol(DType dtype);

}  // namespace recinfer::serve
