// What the protocol front ends (HTTP, gRPC) call: health, metadata and inference. The model
// repository implements it; front-end tests implement it with a fake.
//
// Thread-safety: every member is called concurrently from the front ends' threads.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "serve/infer_types.h"

namespace recinfer::serve {

template <typename T>
using ServeResult = std::variant<T, ServeError>;

class InferenceBackend {
 public:
  virtual ~InferenceBackend() = default;

  virtual bool live() const = 0;   // the process answers
  virtual bool ready() const = 0;  // every model loaded and warmed up, not shutting down
  virtual ServerMetadata server_metadata() const = 0;
  // version "" = the current version.
  virtual ServeResult<ModelMetadata> model_metadata(const std::string& model,
                                                    const std::string& version) const = 0;
  virtual ServeResult<bool> model_ready(const std::string& model,
                                        const std::string& version) const = 0;
  // Names of the models in the repository (the repository index).
  virtual std::vector<std::string> model_names() const = 0;

  // Runs one request and blocks the calling thread until it has a response or an error: queued
  // (dynamic batching), rejected at once when the queue is full (kUnavailable), or expired
  // (kTimeout). Inputs are validated against the model (names, dtypes, shapes) before queuing.
  virtual ServeResult<InferResponse> infer(InferRequest request) = 0;
};

}  // namespace recinfer::serve
