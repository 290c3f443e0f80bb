#include "serve/request_validation.h"

#include <fmt/format.h>

namespace recinfer::serve {

namespace {

ServeError bad(std::string message) { return ServeError{ErrorKind::kBadRequest, std::move(message)}; }

std::string dims_text(const TensorSpec& spec) {
  std::string text = "[";
  for (size_t d = 0; d < spec.dims.size(); ++d) {
    if (d) text += ", ";
    if (spec.dims[d] >= 0) {
      text += std::to_string(spec.dims[d]);
    } else {
      text += spec.dim_names.size() > d && !spec.dim_names[d].empty() ? spec.dim_names[d] : "?";
    }
  }
  return text + "]";
}

std::string names_of(const std::vector<TensorSpec>& specs) {
  std::string list;
  for (const TensorSpec& spec : specs) list += (list.empty() ? "" : ", ") + spec.name;
  return list;
}

ServeResult<bool> check_input(const std::string& model, const TensorSpec& spec, const Tensor& t) {
  if (t.dtype() != spec.dtype) {
    return bad(fmt::format("model '{}': input '{}' must be {}, got {}", model, spec.name,
                           dtype_name(spec.dtype), dtype_name(t.dtype())));
  }
  if (!spec.has_shape) return true;
  if (t.rank() != static_cast<int>(spec.dims.size())) {
    return bad(fmt::format("model '{}': input '{}' must have shape {} (rank {}), got {}", model,
                           spec.name, dims_text(spec), spec.dims.size(), t.shape().to_string()));
  }
  for (size_t d = 0; d < spec.dims.size(); ++d) {
    if (spec.dims[d] >= 0 && t.shape()[static_cast<int>(d)] != spec.dims[d]) {
      return bad(fmt::format("model '{}': input '{}' must have shape {}, got {} (dimension {} "
                             "must be {})",
                             model, spec.name, dims_text(spec), t.shape().to_string(), d,
                             spec.dims[d]));
    }
  }
  if (t.numel() > 0 && t.raw() == nullptr) {
    return bad(fmt::format("model '{}': input '{}' has shape {} but no data", model, spec.name,
                           t.shape().to_string()));
  }
  return true;
}

}  // namespace

ServeResult<ValidatedRequest> validate_request(const ModelSignature& signature,
                                               const InferRequest& request) {
  const std::string& model = signature.model;
  ValidatedRequest out;
  out.inputs.resize(signature.inputs.size());
  std::vector<bool> seen(signature.inputs.size(), false);
  for (const NamedTensor& given : request.inputs) {
    size_t index = signature.inputs.size();
    for (size_t i = 0; i < signature.inputs.size(); ++i) {
      if (signature.inputs[i].name == given.name) index = i;
    }
    if (index == signature.inputs.size()) {
      return bad(fmt::format("model '{}' has no input '{}' (its inputs: {})", model, given.name,
                             names_of(signature.inputs)));
    }
    if (seen[index]) {
      return bad(fmt::format("model '{}': input '{}' is given more than once", model, given.name));
    }
    seen[index] = true;
    auto checked = check_input(model, signature.inputs[index], given.tensor);
    if (std::holds_alternative<ServeError>(checked)) return std::get<ServeError>(checked);
    out.inputs[index] = given.tensor;
  }
  for (size_t i = 0; i < seen.size(); ++i) {
    if (!seen[i]) {
      return bad(fmt::format("model '{}': input '{}' is missing (shape {}, {})", model,
                             signature.inputs[i].name, dims_text(signature.inputs[i]),
                             dtype_name(signature.inputs[i].dtype)));
    }
  }
  auto rows = tooling::batch_size(signature.layout, out.inputs);
  if (!rows.is_ok()) return bad(fmt::format("model '{}': {}", model, rows.status().message()));
  Status bags = tooling::check_bags(signature.layout, out.inputs);
  if (!bags.is_ok()) return bad(fmt::format("model '{}': {}", model, bags.message()));
  out.rows = *rows;
  if (signature.max_batch_size > 0) {
    if (out.rows < 1) {
      return bad(fmt::format("model '{}': the request holds an empty batch (0 rows)", model));
    }
    if (out.rows > signature.max_batch_size) {
      return bad(fmt::format("model '{}': the request's batch of {} rows exceeds max_batch_size {}",
                             model, out.rows, signature.max_batch_size));
    }
  }
  for (const std::string& name : request.outputs) {
    size_t index = signature.outputs.size();
    for (size_t k = 0; k < signature.outputs.size(); ++k) {
      if (signature.outputs[k].name == name) index = k;
    }
    if (index == signature.outputs.size()) {
      return bad(fmt::format("model '{}' has no output '{}' (its outputs: {})", model, name,
                             names_of(signature.outputs)));
    }
    out.outputs.push_back(index);
  }
  if (request.outputs.empty()) {
    for (size_t k = 0; k < signature.outputs.size(); ++k) out.outputs.push_back(k);
  }
  return out;
}

}  // namespace recinfer::serve
