#include "tooling/test_data.h"

#include <filesystem>
#include <random>

#include "onnx/tensor_proto.h"
#include "tooling/batching.h"

namespace recinfer::tooling {

namespace fs = std::filesystem;

Result<std::vector<Tensor>> read_tensor_dir(const std::string& dir, const std::string& prefix) {
  if (!fs::is_directory(dir)) return io_error("'{}' is not a directory", dir);
  std::vector<Tensor> tensors;
  for (int k = 0;; ++k) {
    fs::path path = fs::path(dir) / fmt::format("{}_{}.pb", prefix, k);
    if (!fs::exists(path)) break;
    RI_ASSIGN_OR_RETURN(onnx_io::NamedTensor named, onnx_io::read_tensor_file(path.string()));
    tensors.push_back(std::move(named.tensor));
  }
  return tensors;
}

Status write_tensor_dir(const std::string& dir, const std::string& prefix,
                        const std::vector<Tensor>& tensors, const std::vector<TensorSpec>& specs) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return io_error("cannot create '{}': {}", dir, ec.message());
  for (size_t k = 0; k < tensors.size(); ++k) {
    std::string name = k < specs.size() ? specs[k].name : fmt::format("{}_{}", prefix, k);
    RI_RETURN_IF_ERROR(onnx_io::write_tensor_file(
        (fs::path(dir) / fmt::format("{}_{}.pb", prefix, k)).string(), tensors[k], name));
  }
  return Status::ok();
}

namespace {

// Random offsets would be rejected by EmbeddingBag (they must start in the ids and never
// decrease): spread each batch's bags evenly over its random ids instead, offsets[b] = b*N/B.
void spread_bag_offsets(const std::vector<TensorSpec>& specs, std::vector<Tensor>& tensors) {
  auto layout = detect_batch_layout(specs);
  if (!layout.is_ok()) return;
  for (const BatchLayout::Bag& bag : layout->bags) {
    if (bag.offsets < 0 || bag.values.empty()) continue;
    Tensor& offsets = tensors[static_cast<size_t>(bag.offsets)];
    const int64_t ids = tensors[static_cast<size_t>(bag.values.front())].numel();
    const int64_t bags = offsets.numel();
    if (offsets.dtype() != DType::kInt64 || offsets.rank() != 1 || bags == 0) continue;
    for (int64_t b = 0; b < bags; ++b) offsets.data<int64_t>()[b] = b * ids / bags;
  }
}

}  // namespace

Result<std::vector<Tensor>> random_inputs(const std::vector<TensorSpec>& specs,
                                          const RandomInputOptions& options) {
  std::mt19937_64 rng(options.seed);
  std::vector<Tensor> tensors;
  for (const TensorSpec& spec : specs) {
    if (!spec.has_shape) {
      return invalid_argument("input '{}' declares no shape; pass --inputs instead", spec.name);
    }
    Shape shape;
    for (size_t d = 0; d < spec.dims.size(); ++d) {
      int64_t dim = spec.dims[d];
      if (dim < 0) {
        auto it = options.dims.find(spec.dim_names[d]);
        dim = it != options.dims.end() ? it->second : options.default_dim;
      }
      shape.push_back(dim);
    }
    auto allocated = Tensor::allocate(spec.dtype, shape, options.max_tensor_bytes);
    if (!allocated.is_ok()) return allocated.status().with_context("input '" + spec.name + "'");
    Tensor t = std::move(allocated).value();
    const int64_t n = t.numel();
    std::uniform_real_distribution<double> real(0.0, 1.0);
    std::uniform_int_distribution<int64_t> integer(0, std::max<int64_t>(options.int_high - 1, 0));
    switch (spec.dtype) {
      case DType::kFloat32:
        for (int64_t i = 0; i < n; ++i) t.data<float>()[i] = static_cast<float>(real(rng));
        break;
      case DType::kFloat64:
        for (int64_t i = 0; i < n; ++i) t.data<double>()[i] = real(rng);
        break;
      case DType::kInt64:
        for (int64_t i = 0; i < n; ++i) t.data<int64_t>()[i] = integer(rng);
        break;
      case DType::kInt32:
        for (int64_t i = 0; i < n; ++i) t.data<int32_t>()[i] = static_cast<int32_t>(integer(rng));
        break;
      case DType::kBool:
        for (int64_t i = 0; i < n; ++i) t.data<bool>()[i] = (rng() & 1) != 0;
        break;
      default:
        return unsupported("cannot make random input '{}' of dtype {}", spec.name,
                           dtype_name(spec.dtype));
    }
    tensors.push_back(std::move(t));
  }
  spread_bag_offsets(specs, tensors);
  return tensors;
}

}  // namespace recinfer::tooling
