// The metrics port: GET /metrics (Prometheus text exposition) on its own listener, for scrapers
// kept apart from inference traffic. cpp-httplib, as the inference port: prometheus-cpp's own
// Exposer (civetweb) crashed on the first scrape here (its worker threads overflowed their stack
// while formatting a double), so it is not used.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "recinfer/status.h"

namespace recinfer::serve::http {

class MetricsServer {
 public:
  explicit MetricsServer(std::function<std::string()> text);
  ~MetricsServer();  // stop()s
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // Binds host:port (0 = an ephemeral port) and serves on a background thread.
  Status start(const std::string& host, int port);
  int port() const;
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace recinfer::serve::http
