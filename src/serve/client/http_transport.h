// One client connection to a v2 HTTP/REST endpoint (keep-alive), for `recinfer loadgen` and the
// server's tests. Not thread-safe: one per client thread.
#pragma once

#include <memory>
#include <string>

#include "recinfer/status.h"
#include "serve/client/v2_client_codec.h"

namespace recinfer::serve::client {

struct HttpReply {
  int status = 0;  // HTTP status; 0 when the connection failed
  std::string body;
  std::optional<size_t> header_length;  // Inference-Header-Content-Length
  std::string transport_error;          // when status == 0
};

class HttpTransport {
 public:
  // `url`: "http://host:port" (no path).
  static Result<std::unique_ptr<HttpTransport>> connect(const std::string& url,
                                                        double timeout_s = 30);
  ~HttpTransport();

  HttpReply post_infer(const std::string& model, const EncodedRequest& request);
  HttpReply get(const std::string& path);

 private:
  struct Impl;
  explicit HttpTransport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace recinfer::serve::client
