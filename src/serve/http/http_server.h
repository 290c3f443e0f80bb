// The Open Inference Protocol (KServe v2) over HTTP/REST, on cpp-httplib:
//   GET  /v2/health/live, /v2/health/ready         200 / 503
//   GET  /v2                                       server metadata
//   GET  /v2/models/{m}[/versions/{v}]             model metadata
//   GET  /v2/models/{m}[/versions/{v}]/ready       200 / 503 (404: unknown model)
//   POST /v2/models/{m}[/versions/{v}]/infer       JSON or binary tensor data
//   POST /v2/repository/index                      [{name, version, state}]
//   GET  /metrics                                  when a metrics callback is set
// Errors are {"error": "..."} with 400 (malformed request), 404 (unknown model or route), 413
// (body over max_body_bytes), 503 (queue full, timeout, not ready) or 500.
//
// Threading: cpp-httplib serves each connection on one pool thread for the connection's whole
// keep-alive life, and an infer call blocks its thread until the batcher answers. So `threads`
// bounds the concurrently served connections (further ones wait in the pool's queue), and read
// timeouts free threads held by slow or dead clients.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "recinfer/status.h"
#include "serve/backend.h"

namespace recinfer::serve::http {

struct HttpOptions {
  std::string host = "0.0.0.0";
  int port = 8000;  // 0: an ephemeral port (see HttpServer::port())
  int threads = 64;
  size_t max_body_bytes = size_t{64} << 20;
  int read_timeout_ms = 5000;   // per socket read, also bounds a client that stops sending
  int write_timeout_ms = 5000;
  bool keep_alive = true;
  int keep_alive_timeout_s = 5;        // idle time before a kept-alive connection is closed
  size_t keep_alive_max_requests = 10000;
  int listen_backlog = 1024;  // pending connections the kernel queues (capped by somaxconn)
};

// Prometheus text exposition for GET /metrics.
using MetricsText = std::function<std::string()>;

// Thread-safety: start() and stop() from one thread; the backend is called from the pool threads.
class HttpServer {
 public:
  HttpServer(InferenceBackend& backend, HttpOptions options);
  ~HttpServer();  // stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Before start(): serve GET /metrics with this text.
  void set_metrics(MetricsText metrics);

  // Binds and starts serving on a background thread; fails when the address cannot be bound.
  Status start();
  int port() const;  // the bound port (the ephemeral one for port 0), after start()

  // Stops accepting, then waits for the requests in flight: a blocked infer call delays it
  // until the backend answers (shut the backend's queues down first to return at once).
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace recinfer::serve::http
