// Checks a request against its model before it is queued, so that a bad request fails alone
// (kBadRequest naming the model, the input and the value) and never spoils a batch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "recinfer/session.h"
#include "serve/backend.h"
#include "tooling/batching.h"

namespace recinfer::serve {

struct ModelSignature {
  std::string model;
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
  tooling::BatchLayout layout;
  int64_t max_batch_size = 0;  // 0 = no batching: the batch dimension is not bounded
};

struct ValidatedRequest {
  std::vector<Tensor> inputs;       // in the model's input order
  int64_t rows = 1;                 // the request's batch size (1 without a batch dimension)
  std::vector<size_t> outputs;      // indices of the requested outputs, in request order
};

// Names (every input present once, none unknown), dtypes, ranks and fixed dims, one batch size
// across the batch-row and offsets inputs, within max_batch_size, EmbeddingBag offsets valid,
// requested outputs known.
ServeResult<ValidatedRequest> validate_request(const ModelSignature& signature,
                                               const InferRequest& request);

}  // namespace recinfer::serve
