#include "serve/client/http_transport.h"

#include <httplib.h>

namespace recinfer::serve::client {

struct HttpTransport::Impl {
  explicit Impl(const std::string& url) : client(url) {}
  httplib::Client client;
};

Result<std::unique_ptr<HttpTransport>> HttpTransport::connect(const std::string& url,
                                                              double timeout_s) {
  if (url.rfind("http://", 0) != 0 || url.find('/', 7) != std::string::npos) {
    return invalid_argument("url '{}': expected http://HOST:PORT", url);
  }
  auto impl = std::make_unique<Impl>(url);
  if (!impl->client.is_valid()) return invalid_argument("url '{}' is not valid", url);
  const auto sec = static_cast<time_t>(timeout_s);
  const auto usec = static_cast<time_t>((timeout_s - static_cast<double>(sec)) * 1e6);
  impl->client.set_keep_alive(true);
  impl->client.set_tcp_nodelay(true);  // headers and body go out as two writes: no Nagle delay
  impl->client.set_connection_timeout(sec, usec);
  impl->client.set_read_timeout(sec, usec);
  impl->client.set_write_timeout(sec, usec);
  return std::unique_ptr<HttpTransport>(new HttpTransport(std::move(impl)));
}

HttpTransport::HttpTransport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpTransport::~HttpTransport() = default;

namespace {

HttpReply reply_of(const httplib::Result& res) {
  HttpReply reply;
  if (!res) {
    reply.transport_error = httplib::to_string(res.error());
    return reply;
  }
  reply.status = res->status;
  reply.body = res->body;
  if (res->has_header("Inference-Header-Content-Length")) {
    try {
      reply.header_length = std::stoull(res->get_header_value("Inference-Header-Content-Length"));
    } catch (const std::exception&) {
      reply.header_length = reply.body.size() + 1;  // decode_response reports it as past the body
    }
  }
  return reply;
}

}  // namespace

HttpReply HttpTransport::post_infer(const std::string& model, const EncodedRequest& request) {
  httplib::Headers headers;
  std::string content_type = "application/json";
  if (request.header_length) {
    headers.emplace("Inference-Header-Content-Length", std::to_string(*request.header_length));
    content_type = "application/octet-stream";
  }
  return reply_of(impl_->client.Post("/v2/models/" + model + "/infer", headers,
                                     request.body.data(), request.body.size(), content_type));
}

HttpReply HttpTransport::get(const std::string& path) { return reply_of(impl_->client.Get(path)); }

}  // namespace recinfer::serve::client
