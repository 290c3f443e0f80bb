// ONNX test-data layout helpers: a folder of input_<k>.pb / output_<k>.pb TensorProto files,
// and seeded random inputs from declared shapes. Used by the CLI and the end-to-end tests.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "recinfer/session.h"

namespace recinfer::tooling {

// Reads <dir>/<prefix>_0.pb, <prefix>_1.pb, ... until the first missing index.
Result<std::vector<Tensor>> read_tensor_dir(const std::string& dir, const std::string& prefix);
Status write_tensor_dir(const std::string& dir, const std::string& prefix,
                        const std::vector<Tensor>& tensors, const std::vector<TensorSpec>& specs);

struct RandomInputOptions {
  uint64_t seed = 0;
  std::map<std::string, int64_t> dims;  // values for symbolic dims by name; others default to 1
  int64_t default_dim = 1;
  int64_t int_high = 10;  // integers drawn from [0, int_high)
  // Per input, checked before allocating.
  uint64_t max_tensor_bytes = Limits::kDefaultMaxTensorBytes;
};
// EmbeddingBag offsets (as tooling/batching.h finds them) are spread evenly over their ids, so
// the bags are valid; every other value is random.
Result<std::vector<Tensor>> random_inputs(const std::vector<TensorSpec>& specs,
                                          const RandomInputOptions& options);

}  // namespace recinfer::tooling
