#include "serve/http/v2_metadata.h"

#include <nlohmann/json.hpp>

namespace recinfer::serve {

std::vector<RepositoryEntry> repository_index(const InferenceBackend& backend, bool ready_only) {
  std::vector<RepositoryEntry> entries;
  for (const std::string& name : backend.model_names()) {
    std::vector<std::string> versions;
    const auto metadata = backend.model_metadata(name, "");
    if (const auto* found = std::get_if<ModelMetadata>(&metadata)) versions = found->versions;
    if (versions.empty()) versions.push_back("");
    for (const std::string& version : versions) {
      RepositoryEntry entry{name, version, "UNAVAILABLE", ""};
      const auto ready = backend.model_ready(name, version);
      if (const auto* is_ready = std::get_if<bool>(&ready)) {
        if (*is_ready) entry.state = "READY";
      } else {
        entry.reason = std::get<ServeError>(ready).message;
      }
      if (ready_only && entry.state != "READY") continue;
      entries.push_back(std::move(entry));
    }
  }
  return entries;
}

}  // namespace recinfer::serve

namespace recinfer::serve::http {
namespace {

using nlohmann::json;

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

json tensors_json(const std::vector<TensorMetadata>& tensors) {
  json list = json::array();
  for (const TensorMetadata& tensor : tensors) {
    list.push_back({{"name", tensor.name}, {"datatype", tensor.datatype}, {"shape", tensor.shape}});
  }
  return list;
}

}  // namespace

std::string encode_server_metadata(const ServerMetadata& metadata) {
  return dump({{"name", metadata.name},
               {"version", metadata.version},
               {"extensions", metadata.extensions}});
}

std::string encode_model_metadata(const ModelMetadata& metadata) {
  return dump({{"name", metadata.name},
               {"versions", metadata.versions},
               {"platform", metadata.platform},
               {"inputs", tensors_json(metadata.inputs)},
               {"outputs", tensors_json(metadata.outputs)}});
}

std::string encode_repository_index(const std::vector<RepositoryEntry>& entries) {
  json list = json::array();
  for (const RepositoryEntry& entry : entries) {
    json row = {{"name", entry.name}, {"version", entry.version}, {"state", entry.state}};
    if (!entry.reason.empty()) row["reason"] = entry.reason;
    list.push_back(std::move(row));
  }
  return dump(list);
}

}  // namespace recinfer::serve::http
