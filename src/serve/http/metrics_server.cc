#include "serve/http/metrics_server.h"

#include <thread>

#include <httplib.h>

namespace recinfer::serve::http {

struct MetricsServer::Impl {
  std::function<std::string()> text;
  httplib::Server server;
  std::thread listener;
  int port = -1;
};

MetricsServer::MetricsServer(std::function<std::string()> text) : impl_(std::make_unique<Impl>()) {
  impl_->text = std::move(text);
}

MetricsServer::~MetricsServer() { stop(); }

Status MetricsServer::start(const std::string& host, int port) {
  if (impl_->listener.joinable()) return internal_error("metrics server already started");
  impl_->server.new_task_queue = [] { return new httplib::ThreadPool(2); };
  impl_->server.set_tcp_nodelay(true);
  impl_->server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(impl_->text(), "text/plain; version=0.0.4");
  });
  const int bound = port == 0 ? impl_->server.bind_to_any_port(host)
                              : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound < 0) return io_error("cannot serve metrics on {}:{} (in use?)", host, port);
  impl_->port = bound;
  impl_->listener = std::thread([this] { impl_->server.listen_after_bind(); });
  return Status::ok();
}

int MetricsServer::port() const { return impl_->port; }

void MetricsServer::stop() {
  if (!impl_->listener.joinable()) return;
  impl_->server.stop();
  impl_->listener.join();
}

}  // namespace recinfer::serve::http
