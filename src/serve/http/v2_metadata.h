// Health, metadata and repository-index bodies of the v2 REST protocol, plus the repository
// index itself (protocol-neutral; the gRPC front end uses it too).
#pragma once

#include <string>
#include <vector>

#include "serve/backend.h"
#include "serve/infer_types.h"

namespace recinfer::serve {

// One row of the repository index (Triton's shape: one entry per model version).
struct RepositoryEntry {
  std::string name;
  std::string version;
  std::string state;  // "READY" or "UNAVAILABLE"
  std::string reason;
};

// Every model (and each of its versions) the backend knows; only ready ones when `ready_only`.
std::vector<RepositoryEntry> repository_index(const InferenceBackend& backend, bool ready_only);

}  // namespace recinfer::serve

namespace recinfer::serve::http {

std::string encode_server_metadata(const ServerMetadata& metadata);
std::string encode_model_metadata(const ModelMetadata& metadata);
std::string encode_repository_index(const std::vector<RepositoryEntry>& entries);

}  // namespace recinfer::serve::http
