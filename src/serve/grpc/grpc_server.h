// The Open Inference Protocol (KServe v2) over gRPC: inference.GRPCInferenceService (ServerLive,
// ServerReady, ModelReady, ServerMetadata, ModelMetadata, ModelInfer, RepositoryIndex) on the
// synchronous gRPC server. Each RPC runs on a gRPC pool thread and ModelInfer blocks it until the
// backend answers, so `threads` bounds the RPCs in flight; beyond it gRPC answers
// RESOURCE_EXHAUSTED.
//
// Status codes: kBadRequest -> INVALID_ARGUMENT, kNotFound -> NOT_FOUND, kUnavailable (queue full,
// not ready) -> UNAVAILABLE, kTimeout -> DEADLINE_EXCEEDED, kInternal -> INTERNAL.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "recinfer/status.h"
#include "serve/backend.h"

namespace recinfer::serve::rpc {

struct GrpcOptions {
  std::string host = "0.0.0.0";
  int port = 8001;  // 0: an ephemeral port (see GrpcServer::port())
  int threads = 64;
  size_t max_message_bytes = size_t{64} << 20;  // receive cap (the HTTP body cap's counterpart)
  int shutdown_grace_ms = 5000;  // stop(): RPCs still running after this are cancelled
};

// Thread-safety: start() and stop() from one thread; the backend is called from gRPC's threads.
class GrpcServer {
 public:
  GrpcServer(InferenceBackend& backend, GrpcOptions options);
  ~GrpcServer();  // stop()s
  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;

  Status start();   // binds and serves on gRPC's threads; fails when the address cannot be bound
  int port() const;  // the bound port, after start()
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace recinfer::serve::rpc
