// GrpcServer on an ephemeral port against the fake backend, through the generated C++ stub: every
// RPC, raw and typed contents, the status codes, the message cap, and RPCs answered while
// ModelInfer blocks.
#include "serve/grpc/grpc_server.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <future>
#include <nlohmann/json.hpp>

#include "serve/grpc/grpc_service.grpc.pb.h"
#include "serve/support/fake_backend.h"

namespace recinfer::serve::rpc {
namespace {

using testing::FakeBackend;

class GrpcServerTest : public ::testing::Test {
 protected:
  void start(GrpcOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<GrpcServer>(backend_, options);
    ASSERT_TRUE(server_->start().is_ok());
    ASSERT_GT(server_->port(), 0);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                   grpc::InsecureChannelCredentials());
    stub_ = inference::GRPCInferenceService::NewStub(channel_);
  }
  void TearDown() override {
    backend_.open_gate();
    if (server_) server_->stop();
  }
  static std::unique_ptr<grpc::ClientContext> context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return context;
  }
  static inference::ModelInferRequest add_one_request(const std::vector<float>& x) {
    inference::ModelInferRequest request;
    request.set_model_name("add_one");
    request.set_id("g1");
    auto* input = request.add_inputs();
    input->set_name("x");
    input->set_datatype("FP32");
    input->add_shape(1);
    input->add_shape(static_cast<int64_t>(x.size()));
    request.add_raw_input_contents(
        std::string(reinterpret_cast<const char*>(x.data()), x.size() * sizeof(float)));
    return request;
  }
  grpc::Status infer(const inference::ModelInferRequest& request,
                     inference::ModelInferResponse* response) {
    return stub_->ModelInfer(context().get(), request, response);
  }

  FakeBackend backend_;
  std::unique_ptr<GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<inference::GRPCInferenceService::Stub> stub_;
};

TEST_F(GrpcServerTest, HealthAndMetadata) {
  start();
  inference::ServerLiveResponse live;
  ASSERT_TRUE(stub_->ServerLive(context().get(), {}, &live).ok());
  EXPECT_TRUE(live.live());
  inference::ServerReadyResponse ready;
  backend_.is_ready = false;
  ASSERT_TRUE(stub_->ServerReady(context().get(), {}, &ready).ok());
  EXPECT_FALSE(ready.ready());

  inference::ServerMetadataResponse server;
  ASSERT_TRUE(stub_->ServerMetadata(context().get(), {}, &server).ok());
  EXPECT_EQ(server.name(), "recinfer");
  EXPECT_EQ(server.version(), "0.test");
  ASSERT_EQ(server.extensions_size(), 1);

  inference::ModelMetadataRequest metadata_request;
  metadata_request.set_name("add_one");
  inference::ModelMetadataResponse metadata;
  ASSERT_TRUE(stub_->ModelMetadata(context().get(), metadata_request, &metadata).ok());
  EXPECT_EQ(metadata.name(), "add_one");
  ASSERT_EQ(metadata.versions_size(), 1);
  EXPECT_EQ(metadata.versions(0), "1");
  ASSERT_EQ(metadata.inputs_size(), 1);
  EXPECT_EQ(metadata.inputs(0).datatype(), "FP32");
  ASSERT_EQ(metadata.inputs(0).shape_size(), 2);
  EXPECT_EQ(metadata.inputs(0).shape(0), -1);
  metadata_request.set_name("nope");
  EXPECT_EQ(stub_->ModelMetadata(context().get(), metadata_request, &metadata).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(GrpcServerTest, ModelReadyAndRepositoryIndex) {
  start();
  backend_.set_not_ready_model("echo");
  inference::ModelReadyRequest request;
  inference::ModelReadyResponse response;
  request.set_name("add_one");
  ASSERT_TRUE(stub_->ModelReady(context().get(), request, &response).ok());
  EXPECT_TRUE(response.ready());
  request.set_name("echo");
  ASSERT_TRUE(stub_->ModelReady(context().get(), request, &response).ok());
  EXPECT_FALSE(response.ready());
  request.set_name("nope");
  EXPECT_EQ(stub_->ModelReady(context().get(), request, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);

  inference::RepositoryIndexRequest index_request;
  inference::RepositoryIndexResponse index;
  ASSERT_TRUE(stub_->RepositoryIndex(context().get(), index_request, &index).ok());
  ASSERT_EQ(index.models_size(), 2);
  EXPECT_EQ(index.models(0).name(), "add_one");
  EXPECT_EQ(index.models(0).state(), "READY");
  EXPECT_EQ(index.models(1).state(), "UNAVAILABLE");
  index_request.set_ready(true);
  inference::RepositoryIndexResponse ready_only;
  ASSERT_TRUE(stub_->RepositoryIndex(context().get(), index_request, &ready_only).ok());
  EXPECT_EQ(ready_only.models_size(), 1);
}

TEST_F(GrpcServerTest, InferWithRawContents) {
  start();
  inference::ModelInferResponse response;
  const grpc::Status status = infer(add_one_request({1.0f, 2.5f, -3.0f}), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.model_name(), "add_one");
  EXPECT_EQ(response.id(), "g1");
  ASSERT_EQ(response.outputs_size(), 1);
  EXPECT_EQ(response.outputs(0).name(), "y");
  EXPECT_EQ(response.outputs(0).datatype(), "FP32");
  ASSERT_EQ(response.raw_output_contents_size(), 1);
  ASSERT_EQ(response.raw_output_contents(0).size(), 12u);
  float y[3];
  std::memcpy(y, response.raw_output_contents(0).data(), 12);
  EXPECT_EQ(y[0], 2.0f);
  EXPECT_EQ(y[1], 3.5f);
  EXPECT_EQ(y[2], -2.0f);
  EXPECT_EQ(response.parameters().at("recinfer_queue_ns").int64_param(), 11);
  EXPECT_EQ(response.parameters().at("recinfer_batch_size").int64_param(), 3);
}

TEST_F(GrpcServerTest, InferWithTypedContents) {
  start();
  inference::ModelInferRequest request;
  request.set_model_name("echo");
  request.set_model_version("1");
  auto* ids = request.add_inputs();
  ids->set_name("ids");
  ids->set_datatype("INT64");
  ids->add_shape(3);
  for (const int64_t id : {int64_t{5}, int64_t{-1}, INT64_MAX}) ids->mutable_contents()->add_int64_contents(id);
  inference::ModelInferResponse response;
  ASSERT_TRUE(infer(request, &response).ok());
  ASSERT_EQ(response.raw_output_contents_size(), 1);
  int64_t echoed[3];
  ASSERT_EQ(response.raw_output_contents(0).size(), sizeof echoed);
  std::memcpy(echoed, response.raw_output_contents(0).data(), sizeof echoed);
  EXPECT_EQ(echoed[0], 5);
  EXPECT_EQ(echoed[1], -1);
  EXPECT_EQ(echoed[2], INT64_MAX);
  EXPECT_EQ(backend_.last_request().version, "1");
}

TEST_F(GrpcServerTest, ErrorsMapToStatusCodes) {
  start();
  inference::ModelInferResponse response;
  auto bad_size = add_one_request({1.0f, 2.0f});
  bad_size.set_raw_input_contents(0, std::string(7, '\0'));
  const grpc::Status status = infer(bad_size, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("input 'x'"), std::string::npos);

  auto unknown = add_one_request({1.0f});
  unknown.set_model_name("nope");
  EXPECT_EQ(infer(unknown, &response).error_code(), grpc::StatusCode::NOT_FOUND);

  const std::pair<ErrorKind, grpc::StatusCode> cases[] = {
      {ErrorKind::kBadRequest, grpc::StatusCode::INVALID_ARGUMENT},
      {ErrorKind::kNotFound, grpc::StatusCode::NOT_FOUND},
      {ErrorKind::kUnavailable, grpc::StatusCode::UNAVAILABLE},
      {ErrorKind::kTimeout, grpc::StatusCode::DEADLINE_EXCEEDED},
      {ErrorKind::kInternal, grpc::StatusCode::INTERNAL}};
  for (const auto& [kind, code] : cases) {
    backend_.fail_with(ServeError{kind, "scripted failure"});
    const grpc::Status failed = infer(add_one_request({1.0f}), &response);
    EXPECT_EQ(failed.error_code(), code);
    EXPECT_EQ(failed.error_message(), "scripted failure");
  }
}

TEST_F(GrpcServerTest, MessagesOverTheCapAreRefused) {
  GrpcOptions options;
  options.max_message_bytes = 4096;
  start(options);
  inference::ModelInferResponse response;
  const grpc::Status status = infer(add_one_request(std::vector<float>(4096, 1.0f)), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(infer(add_one_request({1.0f}), &response).ok());
}

TEST_F(GrpcServerTest, OtherRpcsAreServedWhileInferBlocks) {
  start();
  backend_.close_gate();
  auto blocked = std::async(std::launch::async, [&] {
    inference::ModelInferResponse response;
    const grpc::Status status = infer(add_one_request({4.0f}), &response);
    return std::make_pair(status.ok(), response);
  });
  ASSERT_TRUE(backend_.wait_entered(1));
  inference::ServerReadyResponse ready;
  ASSERT_TRUE(stub_->ServerReady(context().get(), {}, &ready).ok());
  EXPECT_TRUE(ready.ready());
  EXPECT_EQ(blocked.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  backend_.open_gate();
  const auto [ok, response] = blocked.get();
  ASSERT_TRUE(ok);
  float y;
  std::memcpy(&y, response.raw_output_contents(0).data(), 4);
  EXPECT_EQ(y, 5.0f);
}

// Interoperability with an independent implementation: Python's protobuf and grpcio, with the
// messages generated from the same .proto (tests/serve/grpc_client.py), raw and typed contents.
TEST_F(GrpcServerTest, PythonGrpcClientInteroperates) {
  if (std::system("/usr/bin/python3 -c 'import grpc, google.protobuf, numpy' 2>/dev/null") != 0 ||
      std::system("command -v protoc >/dev/null") != 0) {
    GTEST_SKIP() << "python3-grpcio, python3-protobuf or protoc missing";
  }
  start();
  auto run = [&](const std::string& arguments) {
    const std::string command = "/usr/bin/python3 " RECINFER_SOURCE_DIR
                                "/tests/serve/grpc_client.py --address 127.0.0.1:" +
                                std::to_string(server_->port()) + " " + arguments;
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return nlohmann::json();
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    ::pclose(pipe);
    return nlohmann::json::parse(output, nullptr, false);
  };
  EXPECT_EQ(run("live"), nlohmann::json::parse(R"({"live": true})"));
  EXPECT_EQ(run("metadata add_one")["inputs"][0]["shape"], nlohmann::json::parse("[-1, 4]"));
  const auto raw = run("infer add_one --input x:FP32:1,3:1,2.5,-4");
  EXPECT_EQ(raw["outputs"][0]["data"], nlohmann::json::parse("[2.0, 3.5, -3.0]")) << raw.dump();
  EXPECT_EQ(raw["parameters"]["recinfer_compute_ns"], 22);
  const auto typed = run("infer echo --typed --input ids:INT64:2:5,-7 --input m:BOOL:2:1,0");
  EXPECT_EQ(typed["outputs"][0]["data"], nlohmann::json::parse("[5, -7]")) << typed.dump();
  EXPECT_EQ(typed["outputs"][1]["data"], nlohmann::json::parse("[true, false]"));
  const auto error = run("infer nope --input x:FP32:1:1");
  EXPECT_EQ(error["code"], "NOT_FOUND") << error.dump();
}

}  // namespace
}  // namespace recinfer::serve::rpc
