// HttpServer on an ephemeral port against the fake backend, through cpp-httplib's client: every
// route, the status codes, body limits, and requests answered while another one blocks.
#include "serve/http/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "serve/support/fake_backend.h"

namespace recinfer::serve::http {
namespace {

using nlohmann::json;
using testing::FakeBackend;

class HttpServerTest : public ::testing::Test {
 protected:
  void start(HttpOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<HttpServer>(backend_, options);
    if (metrics_) server_->set_metrics(metrics_);
    ASSERT_TRUE(server_->start().is_ok());
    ASSERT_GT(server_->port(), 0);
  }
  void TearDown() override {
    backend_.open_gate();
    if (server_) server_->stop();
  }
  httplib::Client client() {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_read_timeout(20, 0);
    return client;
  }
  static json body_json(const httplib::Result& result) { return json::parse(result->body); }

  FakeBackend backend_;
  MetricsText metrics_;
  std::unique_ptr<HttpServer> server_;
};

const char* kAddOneRequest =
    R"({"id":"r1","inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"data":[1,2,3,4.5]}]})";

TEST_F(HttpServerTest, HealthFollowsTheBackend) {
  start();
  auto cli = client();
  EXPECT_EQ(cli.Get("/v2/health/live")->status, 200);
  EXPECT_EQ(cli.Get("/v2/health/ready")->status, 200);
  backend_.is_ready = false;
  auto ready = cli.Get("/v2/health/ready");
  EXPECT_EQ(ready->status, 503);
  EXPECT_TRUE(body_json(ready).contains("error"));
  backend_.is_live = false;
  EXPECT_EQ(cli.Get("/v2/health/live")->status, 503);
}

TEST_F(HttpServerTest, ServerAndModelMetadata) {
  start();
  auto cli = client();
  auto server = cli.Get("/v2");
  ASSERT_EQ(server->status, 200);
  EXPECT_EQ(body_json(server)["name"], "recinfer");
  EXPECT_EQ(body_json(server)["version"], "0.test");
  EXPECT_EQ(body_json(server)["extensions"], json({"binary_tensor_data"}));

  auto model = cli.Get("/v2/models/add_one");
  ASSERT_EQ(model->status, 200);
  const json doc = body_json(model);
  EXPECT_EQ(doc["name"], "add_one");
  EXPECT_EQ(doc["versions"], json({"1"}));
  EXPECT_EQ(doc["inputs"][0]["name"], "x");
  EXPECT_EQ(doc["inputs"][0]["datatype"], "FP32");
  EXPECT_EQ(doc["inputs"][0]["shape"], json({-1, 4}));
  EXPECT_EQ(cli.Get("/v2/models/add_one/versions/1")->status, 200);

  auto missing = cli.Get("/v2/models/nope");
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(body_json(missing)["error"].get<std::string>().find("nope"), std::string::npos);
  EXPECT_EQ(cli.Get("/v2/models/add_one/versions/2")->status, 404);
}

TEST_F(HttpServerTest, ModelReadiness) {
  start();
  auto cli = client();
  EXPECT_EQ(cli.Get("/v2/models/echo/ready")->status, 200);
  EXPECT_EQ(cli.Get("/v2/models/echo/versions/1/ready")->status, 200);
  backend_.set_not_ready_model("echo");
  EXPECT_EQ(cli.Get("/v2/models/echo/ready")->status, 503);
  EXPECT_EQ(cli.Get("/v2/models/add_one/ready")->status, 200);
  EXPECT_EQ(cli.Get("/v2/models/nope/ready")->status, 404);
}

TEST_F(HttpServerTest, JsonInferComputesAndReportsTimings) {
  start();
  auto cli = client();
  auto res = cli.Post("/v2/models/add_one/infer", kAddOneRequest, "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  const json doc = body_json(res);
  EXPECT_EQ(doc["model_name"], "add_one");
  EXPECT_EQ(doc["id"], "r1");
  EXPECT_EQ(doc["outputs"][0]["name"], "y");
  EXPECT_EQ(doc["outputs"][0]["shape"], json({1, 4}));
  EXPECT_EQ(doc["outputs"][0]["data"], json({2.0, 3.0, 4.0, 5.5}));
  EXPECT_EQ(doc["parameters"]["recinfer_queue_ns"], 11);
  EXPECT_EQ(doc["parameters"]["recinfer_compute_ns"], 22);
  EXPECT_EQ(doc["parameters"]["recinfer_batch_size"], 3);
  EXPECT_EQ(backend_.last_request().model, "add_one");
  EXPECT_EQ(backend_.last_request().version, "");

  auto versioned = cli.Post("/v2/models/add_one/versions/1/infer", kAddOneRequest, "application/json");
  ASSERT_EQ(versioned->status, 200);
  EXPECT_EQ(backend_.last_request().version, "1");
}

TEST_F(HttpServerTest, BinaryInferInAndOut) {
  start();
  const std::vector<float> x = {0.5f, 1.5f, -1.0f, 8.0f};
  const json header = {
      {"inputs",
       {{{"name", "x"}, {"datatype", "FP32"}, {"shape", {1, 4}},
         {"parameters", {{"binary_data_size", 16}}}}}},
      {"parameters", {{"binary_data_output", true}}}};
  std::string body = header.dump();
  const size_t header_length = body.size();
  body.append(reinterpret_cast<const char*>(x.data()), 16);
  httplib::Headers headers = {{"Inference-Header-Content-Length", std::to_string(header_length)}};
  auto cli = client();
  auto res = cli.Post("/v2/models/add_one/infer", headers, body, "application/octet-stream");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  ASSERT_TRUE(res->has_header("Inference-Header-Content-Length"));
  const size_t out_header = std::stoul(res->get_header_value("Inference-Header-Content-Length"));
  ASSERT_EQ(res->body.size(), out_header + 16);
  const json doc = json::parse(res->body.substr(0, out_header));
  EXPECT_EQ(doc["outputs"][0]["parameters"]["binary_data_size"], 16);
  std::vector<float> y(4);
  std::memcpy(y.data(), res->body.data() + out_header, 16);
  EXPECT_EQ(y, (std::vector<float>{1.5f, 2.5f, 0.0f, 9.0f}));

  // A header length past the body is the client's error.
  httplib::Headers bad = {{"Inference-Header-Content-Length", std::to_string(body.size() + 1)}};
  EXPECT_EQ(cli.Post("/v2/models/add_one/infer", bad, body, "application/octet-stream")->status, 400);
  httplib::Headers garbage = {{"Inference-Header-Content-Length", "ten"}};
  EXPECT_EQ(cli.Post("/v2/models/add_one/infer", garbage, body, "application/octet-stream")->status,
            400);
}

TEST_F(HttpServerTest, BadRequestsAndBackendErrorsMapToStatusCodes) {
  start();
  auto cli = client();
  auto malformed = cli.Post("/v2/models/add_one/infer", "{\"inputs\": [", "application/json");
  EXPECT_EQ(malformed->status, 400);
  EXPECT_NE(body_json(malformed)["error"].get<std::string>().find("malformed JSON"),
            std::string::npos);
  auto wrong_count = cli.Post(
      "/v2/models/add_one/infer",
      R"({"inputs":[{"name":"x","datatype":"FP32","shape":[1,4],"data":[1,2,3]}]})",
      "application/json");
  EXPECT_EQ(wrong_count->status, 400);
  EXPECT_NE(body_json(wrong_count)["error"].get<std::string>().find("input 'x'"), std::string::npos);
  EXPECT_EQ(cli.Post("/v2/models/nope/infer", kAddOneRequest, "application/json")->status, 404);

  const std::pair<ErrorKind, int> cases[] = {{ErrorKind::kBadRequest, 400},
                                             {ErrorKind::kNotFound, 404},
                                             {ErrorKind::kUnavailable, 503},
                                             {ErrorKind::kTimeout, 503},
                                             {ErrorKind::kInternal, 500}};
  for (const auto& [kind, status] : cases) {
    backend_.fail_with(ServeError{kind, "scripted failure"});
    auto res = cli.Post("/v2/models/add_one/infer", kAddOneRequest, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, status);
    EXPECT_EQ(body_json(res)["error"], "scripted failure");
  }
}

TEST_F(HttpServerTest, UnknownRoutesAre404WithAJsonError) {
  start();
  auto cli = client();
  auto res = cli.Get("/v1/models");
  EXPECT_EQ(res->status, 404);
  EXPECT_TRUE(body_json(res).contains("error"));
  EXPECT_EQ(cli.Get("/v2/models/add_one/infer")->status, 404);  // infer is POST only
  EXPECT_EQ(cli.Get("/metrics")->status, 404);                  // no metrics callback set
}

TEST_F(HttpServerTest, BodiesOverTheCapAre413) {
  HttpOptions options;
  options.max_body_bytes = 1024;
  start(options);
  const std::string big(4096, ' ');
  auto res = client().Post("/v2/models/add_one/infer", big, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_NE(body_json(res)["error"].get<std::string>().find("1024"), std::string::npos);
  // Chunked bodies have no Content-Length to check up front: the cap applies while reading
  // (and the rest of a moderately oversized body is drained, so the 413 reaches the client).
  const std::string chunk(512, ' ');
  auto chunked = client().Post(
      "/v2/models/add_one/infer",
      [&](size_t offset, httplib::DataSink& sink) {
        if (offset < 3 * chunk.size()) {
          sink.write(chunk.data(), chunk.size());
        } else {
          sink.done();
        }
        return true;
      },
      "application/json");
  ASSERT_TRUE(chunked) << httplib::to_string(chunked.error());
  EXPECT_EQ(chunked->status, 413);
  // The server still answers after refusing.
  EXPECT_EQ(client().Post("/v2/models/add_one/infer", kAddOneRequest, "application/json")->status,
            200);
}

TEST_F(HttpServerTest, RepositoryIndexListsModelsAndFiltersReady) {
  start();
  backend_.set_not_ready_model("echo");
  auto cli = client();
  auto all = cli.Post("/v2/repository/index", "", "application/json");
  ASSERT_EQ(all->status, 200);
  EXPECT_EQ(body_json(all), json::parse(R"([{"name":"add_one","version":"1","state":"READY"},)"
                                        R"({"name":"echo","version":"1","state":"UNAVAILABLE"}])"));
  auto ready = cli.Post("/v2/repository/index", R"({"ready":true})", "application/json");
  EXPECT_EQ(body_json(ready), json::parse(R"([{"name":"add_one","version":"1","state":"READY"}])"));
  EXPECT_EQ(cli.Post("/v2/repository/index", "{", "application/json")->status, 400);
}

TEST_F(HttpServerTest, MetricsComeFromTheCallback) {
  metrics_ = [] { return std::string("# TYPE nv_inference_count counter\nnv_inference_count 7\n"); };
  start();
  auto res = client().Get("/metrics");
  ASSERT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("nv_inference_count 7"), std::string::npos);
  EXPECT_NE(res->get_header_value("Content-Type").find("text/plain"), std::string::npos);
}

TEST_F(HttpServerTest, OtherRequestsAreServedWhileInferBlocks) {
  start();
  backend_.close_gate();
  auto blocked = std::async(std::launch::async, [&] {
    return client().Post("/v2/models/add_one/infer", kAddOneRequest, "application/json");
  });
  ASSERT_TRUE(backend_.wait_entered(1));
  auto second = std::async(std::launch::async, [&] {
    return client().Post("/v2/models/echo/infer", kAddOneRequest, "application/json");
  });
  ASSERT_TRUE(backend_.wait_entered(2));  // two infer calls blocked at once
  auto cli = client();
  EXPECT_EQ(cli.Get("/v2/health/ready")->status, 200);
  EXPECT_EQ(cli.Get("/v2/models/add_one")->status, 200);
  EXPECT_EQ(blocked.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  backend_.open_gate();
  auto first = blocked.get();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  auto echoed = second.get();
  ASSERT_TRUE(echoed);
  EXPECT_EQ(echoed->status, 200);
  EXPECT_EQ(json::parse(echoed->body)["outputs"][0]["data"], json({1.0, 2.0, 3.0, 4.5}));
}

// A raw TCP connection to the server that sends `text` and then goes silent.
int silent_client(int port, const std::string& text) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  if (!text.empty()) (void)!::send(fd, text.data(), text.size(), 0);
  return fd;
}

TEST_F(HttpServerTest, SilentClientsDoNotStallOthersBeyondTheReadTimeout) {
  HttpOptions options;
  options.threads = 2;
  options.read_timeout_ms = 300;
  options.keep_alive_timeout_s = 1;
  start(options);
  // Two connections hold both pool threads: one stops mid-headers, one mid-body.
  const int stuck_headers = silent_client(server_->port(), "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n");
  const int stuck_body = silent_client(
      server_->port(),
      "POST /v2/models/add_one/infer HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"in");
  ASSERT_GE(stuck_headers, 0);
  ASSERT_GE(stuck_body, 0);
  // Served once the read timeouts free the threads (well within the client's own 20 s).
  auto res = client().Get("/v2/health/ready");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  ::close(stuck_headers);
  ::close(stuck_body);
}

// The listen backlog is ours, not the 5 compiled into Debian's libcpp-httplib (ss reports a
// listening socket's backlog as its Send-Q).
TEST_F(HttpServerTest, ListenBacklogIsRaised) {
  HttpOptions options;
  options.listen_backlog = 100;
  start(options);
  const std::string command =
      "ss -ltnH 'sport = :" + std::to_string(server_->port()) + "' 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char line[512] = {0};
  const bool got = std::fgets(line, sizeof line, pipe) != nullptr;
  ::pclose(pipe);
  if (!got) GTEST_SKIP() << "ss not available";
  char state[64];
  int receive_queue = 0, backlog = 0;
  ASSERT_EQ(std::sscanf(line, "%63s %d %d", state, &receive_queue, &backlog), 3) << line;
  EXPECT_EQ(backlog, 100) << line;
}

TEST_F(HttpServerTest, StartFailsOnAPortInUse) {
  start();
  HttpOptions options;
  options.host = "127.0.0.1";
  options.port = server_->port();
  HttpServer second(backend_, options);
  EXPECT_FALSE(second.start().is_ok());
}

}  // namespace
}  // namespace recinfer::serve::http
