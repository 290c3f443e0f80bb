// TensorProto <-> Tensor, including external data, and .pb tensor files (ONNX test data layout).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/mapped_file.h"
#include "recinfer/limits.h"
#include "recinfer/tensor.h"

namespace onnx {
class TensorProto;
}

namespace recinfer::onnx_io {

struct ExternalDataPolicy {
  uint64_t max_tensor_bytes = Limits::kDefaultMaxTensorBytes;  // per tensor read through it
  // A hard link to a file outside the model folder looks like a file inside it (the folder check
  // resolves symlinks, not hard links), so files with st_nlink > 1 are refused unless allowed.
  bool allow_hardlinks = false;
};

// Resolves and memory-maps external data files relative to a model directory, refusing paths
// that escape it (absolute, `..`, symlinks leading out, hard links unless allowed) and anything
// but regular files. Mappings are cached so every tensor of one file shares one mapping.
class ExternalDataResolver {
 public:
  explicit ExternalDataResolver(std::string model_dir, ExternalDataPolicy policy = {})
      : model_dir_(std::move(model_dir)), policy_(policy) {}
  Result<std::shared_ptr<MappedFile>> map(const std::string& location, const std::string& tensor);
  const ExternalDataPolicy& policy() const { return policy_; }

 private:
  std::string model_dir_;
  ExternalDataPolicy policy_;
  std::map<std::string, std::shared_ptr<MappedFile>> files_;
};

// Converts a TensorProto. `resolver` may be null, in which case external data is an error.
// Data is validated against the declared shape, and the shape against the resolver's
// max_tensor_bytes (the default limit without a resolver), before anything is allocated.
Result<Tensor> tensor_from_proto(const onnx::TensorProto& proto, ExternalDataResolver* resolver);
void tensor_to_proto(const Tensor& tensor, const std::string& name, onnx::TensorProto* proto);

struct NamedTensor {
  std::string name;
  Tensor tensor;
};
Result<NamedTensor> read_tensor_file(const std::string& path);
Status write_tensor_file(const std::string& path, const Tensor& tensor, const std::string& name);

}  // namespace recinfer::onnx_io
