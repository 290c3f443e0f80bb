#include "serve/http/http_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "serve/http/v2_codec.h"
#include "serve/http/v2_metadata.h"

namespace recinfer::serve::http {
namespace {

// {m}[/versions/{v}] as a regex prefix: matches[1] = model, matches[2] = version ("" if absent).
const std::string kModelPath = R"(/v2/models/([^/]+)(?:/versions/([^/]+))?)";

int http_status(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest: return 400;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kUnavailable: return 503;
    case ErrorKind::kTimeout: return 503;
    case ErrorKind::kInternal: return 500;
  }
  return 500;
}

void send_json(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.body = std::move(body);  // not set_content: that copies, and infer bodies can be large
  res.set_header("Content-Type", "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, encode_error(message));
}

void send_error(httplib::Response& res, const ServeError& error) {
  send_error(res, http_status(error.kind), error.message);
}

std::string model_of(const httplib::Request& req) { return req.matches[1].str(); }
std::string version_of(const httplib::Request& req) {
  return req.matches.size() > 2 ? req.matches[2].str() : std::string();
}

}  // namespace

struct HttpServer::Impl {
  Impl(InferenceBackend& backend, HttpOptions options)
      : backend(backend), options(std::move(options)) {}

  void install_routes();
  void infer(const httplib::Request& req, httplib::Response& res,
             const httplib::ContentReader& reader);
  // Reads the body into `body` with the size cap applied whatever the transfer encoding
  // (httplib checks Content-Length itself, but not chunked or length-less bodies).
  bool read_body(const httplib::Request& req, httplib::Response& res,
                 const httplib::ContentReader& reader, std::string& body);

  InferenceBackend& backend;
  HttpOptions options;
  MetricsText metrics;
  httplib::Server server;
  std::thread listener;
  std::atomic<bool> listen_returned{false};
  std::atomic<int> listen_socket{-1};
  int port = -1;
};

bool HttpServer::Impl::read_body(const httplib::Request& req, httplib::Response& res,
                                 const httplib::ContentReader& reader, std::string& body) {
  const std::string declared = req.get_header_value("Content-Length");
  if (!declared.empty()) {
    const auto length = parse_header_length(declared);
    if (const size_t* bytes = std::get_if<size_t>(&length)) {
      body.reserve(std::min(*bytes, options.max_body_bytes));
    }
  }
  // Past the cap the rest of the body is read and dropped (up to as much again) rather than
  // left unread: httplib keeps the connection for the next request and would parse the leftover
  // bytes as one, then reset the connection before the client has read our 413.
  bool too_large = false;
  size_t dropped = 0;
  const bool ok = reader([&](const char* data, size_t length) {
    if (!too_large && length <= options.max_body_bytes - body.size()) {
      body.append(data, length);
      return true;
    }
    if (!too_large) {
      too_large = true;
      std::string().swap(body);
    }
    dropped += length;
    return dropped <= options.max_body_bytes;
  });
  if (ok && !too_large) return true;
  if (too_large || res.status == 413) {
    send_error(res, 413,
               fmt::format("request body is larger than {} bytes", options.max_body_bytes));
  } else {
    send_error(res, 400, "could not read the request body");
  }
  return false;
}

void HttpServer::Impl::infer(const httplib::Request& req, httplib::Response& res,
                             const httplib::ContentReader& reader) {
  auto body = std::make_shared<std::string>();
  if (!read_body(req, res, reader, *body)) return;

  std::optional<size_t> header_length;
  if (req.has_header("Inference-Header-Content-Length")) {
    auto length = parse_header_length(req.get_header_value("Inference-Header-Content-Length"));
    if (const auto* error = std::get_if<ServeError>(&length)) return send_error(res, *error);
    header_length = std::get<size_t>(length);
  }
  auto decoded = decode_infer_request(std::move(body), header_length);
  if (const auto* error = std::get_if<ServeError>(&decoded)) return send_error(res, *error);
  DecodedInferRequest& request = std::get<DecodedInferRequest>(decoded);
  request.request.model = model_of(req);
  request.request.version = version_of(req);

  auto response = backend.infer(std::move(request.request));
  if (const auto* error = std::get_if<ServeError>(&response)) return send_error(res, *error);
  auto encoded = encode_infer_response(std::get<InferResponse>(response), request.encoding);
  if (const auto* error = std::get_if<ServeError>(&encoded)) return send_error(res, *error);
  EncodedResponse& out = std::get<EncodedResponse>(encoded);
  res.status = 200;
  res.body = std::move(out.body);
  if (out.header_length) {
    res.set_header("Content-Type", "application/octet-stream");
    res.set_header("Inference-Header-Content-Length", std::to_string(*out.header_length));
  } else {
    res.set_header("Content-Type", "application/json");
  }
}

void HttpServer::Impl::install_routes() {
  server.Get("/v2/health/live", [this](const httplib::Request&, httplib::Response& res) {
    if (backend.live()) {
      res.status = 200;
    } else {
      send_error(res, 503, "server is not live");
    }
  });
  server.Get("/v2/health/ready", [this](const httplib::Request&, httplib::Response& res) {
    if (backend.ready()) {
      res.status = 200;
    } else {
      send_error(res, 503, "server is not ready");
    }
  });
  server.Get("/v2/?", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, 200, encode_server_metadata(backend.server_metadata()));
  });
  server.Get(kModelPath, [this](const httplib::Request& req, httplib::Response& res) {
    auto metadata = backend.model_metadata(model_of(req), version_of(req));
    if (const auto* error = std::get_if<ServeError>(&metadata)) return send_error(res, *error);
    send_json(res, 200, encode_model_metadata(std::get<ModelMetadata>(metadata)));
  });
  server.Get(kModelPath + "/ready", [this](const httplib::Request& req, httplib::Response& res) {
    auto ready = backend.model_ready(model_of(req), version_of(req));
    if (const auto* error = std::get_if<ServeError>(&ready)) return send_error(res, *error);
    if (std::get<bool>(ready)) {
      res.status = 200;
    } else {
      send_error(res, 503, fmt::format("model '{}' is not ready", model_of(req)));
    }
  });
  server.Post(kModelPath + "/infer",
              [this](const httplib::Request& req, httplib::Response& res,
                     const httplib::ContentReader& reader) { infer(req, res, reader); });
  server.Post("/v2/repository/index", [this](const httplib::Request& req, httplib::Response& res,
                                             const httplib::ContentReader& reader) {
    std::string body;
    if (!read_body(req, res, reader, body)) return;
    bool ready_only = false;
    if (!body.empty()) {
      const auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
      if (doc.is_discarded() || !doc.is_object()) {
        return send_error(res, 400, "repository index: the body must be a JSON object");
      }
      if (const auto ready = doc.find("ready"); ready != doc.end()) {
        if (!ready->is_boolean()) return send_error(res, 400, "repository index: 'ready' must be a boolean");
        ready_only = ready->get<bool>();
      }
    }
    send_json(res, 200, encode_repository_index(repository_index(backend, ready_only)));
  });
  if (metrics) {
    server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.status = 200;
      res.body = metrics();
      res.set_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    });
  }
  // Runs for every status >= 400: fill in only responses no handler has written (unknown
  // routes, bodies httplib refused before any handler ran).
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404) {
      send_error(res, 404, fmt::format("no route for {} {}", req.method, req.path));
    } else if (res.status == 413) {
      send_error(res, 413, "request body too large");
    } else {
      send_error(res, res.status, fmt::format("HTTP error {}", res.status));
    }
  });
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        send_error(res, 500, "internal error: " + what);
      });
}

HttpServer::HttpServer(InferenceBackend& backend, HttpOptions options)
    : impl_(std::make_unique<Impl>(backend, std::move(options))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::set_metrics(MetricsText metrics) { impl_->metrics = std::move(metrics); }

int HttpServer::port() const { return impl_->port; }

Status HttpServer::start() {
  Impl& impl = *impl_;
  if (impl.listener.joinable()) return internal_error("HTTP server already started");
  const HttpOptions& options = impl.options;
  const int threads = std::max(options.threads, 1);
  impl.server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  impl.server.set_payload_max_length(options.max_body_bytes);
  // Responses go out as header and body writes: without this, Nagle + the client's delayed ACK
  // add ~40 ms to every keep-alive response.
  impl.server.set_tcp_nodelay(true);
  impl.server.set_read_timeout(options.read_timeout_ms / 1000, (options.read_timeout_ms % 1000) * 1000);
  impl.server.set_write_timeout(options.write_timeout_ms / 1000,
                                (options.write_timeout_ms % 1000) * 1000);
  impl.server.set_keep_alive_timeout(options.keep_alive_timeout_s);
  impl.server.set_keep_alive_max_count(options.keep_alive ? options.keep_alive_max_requests : 1);
  // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, with which a second server on the
  // same port would bind silently and steal half the connections.
  // The callback also hands us the listening socket (httplib keeps it private): see below.
  impl.server.set_socket_options([&impl](socket_t socket) {
    int yes = 1;
    ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    int expected = -1;
    impl.listen_socket.compare_exchange_strong(expected, static_cast<int>(socket));
  });
  impl.install_routes();

  if (options.port == 0) {
    impl.port = impl.server.bind_to_any_port(options.host);
  } else if (impl.server.bind_to_port(options.host, options.port)) {
    impl.port = options.port;
  }
  if (impl.port <= 0) {
    return io_error("HTTP server: cannot listen on {}:{}", options.host, options.port);
  }
  // Debian's libcpp-httplib is compiled with a listen backlog of 5: a burst of new connections
  // (a load generator opening its pool) would overflow it, and each dropped SYN costs the client
  // a 1 s retransmit, straight into p99. Listening again on a listening socket only resizes it.
  if (impl.listen_socket >= 0) ::listen(impl.listen_socket, options.listen_backlog);
  impl.listen_returned = false;
  impl.listener = std::thread([&impl] {
    impl.server.listen_after_bind();
    impl.listen_returned = true;
  });
  // httplib's stop() is a no-op until the accept loop runs: wait for it, so that a stop() right
  // after start() cannot be lost (and leave the listener thread running forever).
  while (!impl.server.is_running() && !impl.listen_returned) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return Status::ok();
}

void HttpServer::stop() {
  if (!impl_->listener.joinable()) return;
  impl_->server.stop();
  impl_->listener.join();
}

}  // namespace recinfer::serve::http
