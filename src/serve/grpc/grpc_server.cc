#include "serve/grpc/grpc_server.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/resource_quota.h>

#include <chrono>

#include "serve/grpc/grpc_codec.h"
#include "serve/grpc/grpc_service.grpc.pb.h"
#include "serve/http/v2_metadata.h"

namespace recinfer::serve::rpc {
namespace {

grpc::Status to_grpc(const ServeError& error) {
  switch (error.kind) {
    case ErrorKind::kBadRequest: return {grpc::StatusCode::INVALID_ARGUMENT, error.message};
    case ErrorKind::kNotFound: return {grpc::StatusCode::NOT_FOUND, error.message};
    case ErrorKind::kUnavailable: return {grpc::StatusCode::UNAVAILABLE, error.message};
    case ErrorKind::kTimeout: return {grpc::StatusCode::DEADLINE_EXCEEDED, error.message};
    case ErrorKind::kInternal: return {grpc::StatusCode::INTERNAL, error.message};
  }
  return {grpc::StatusCode::INTERNAL, error.message};
}

void fill_tensors(const std::vector<TensorMetadata>& tensors,
                  google::protobuf::RepeatedPtrField<
                      inference::ModelMetadataResponse::TensorMetadata>* out) {
  for (const TensorMetadata& tensor : tensors) {
    auto* entry = out->Add();
    entry->set_name(tensor.name);
    entry->set_datatype(tensor.datatype);
    for (const int64_t dim : tensor.shape) entry->add_shape(dim);
  }
}

class InferenceService final : public inference::GRPCInferenceService::Service {
 public:
  explicit InferenceService(InferenceBackend& backend) : backend_(backend) {}

  grpc::Status ServerLive(grpc::ServerContext*, const inference::ServerLiveRequest*,
                          inference::ServerLiveResponse* response) override {
    response->set_live(backend_.live());
    return grpc::Status::OK;
  }

  grpc::Status ServerReady(grpc::ServerContext*, const inference::ServerReadyRequest*,
                           inference::ServerReadyResponse* response) override {
    response->set_ready(backend_.ready());
    return grpc::Status::OK;
  }

  grpc::Status ModelReady(grpc::ServerContext*, const inference::ModelReadyRequest* request,
                          inference::ModelReadyResponse* response) override {
    auto ready = backend_.model_ready(request->name(), request->version());
    if (const auto* error = std::get_if<ServeError>(&ready)) return to_grpc(*error);
    response->set_ready(std::get<bool>(ready));
    return grpc::Status::OK;
  }

  grpc::Status ServerMetadata(grpc::ServerContext*, const inference::ServerMetadataRequest*,
                              inference::ServerMetadataResponse* response) override {
    const serve::ServerMetadata metadata = backend_.server_metadata();
    response->set_name(metadata.name);
    response->set_version(metadata.version);
    for (const std::string& extension : metadata.extensions) response->add_extensions(extension);
    return grpc::Status::OK;
  }

  grpc::Status ModelMetadata(grpc::ServerContext*, const inference::ModelMetadataRequest* request,
                             inference::ModelMetadataResponse* response) override {
    auto found = backend_.model_metadata(request->name(), request->version());
    if (const auto* error = std::get_if<ServeError>(&found)) return to_grpc(*error);
    const serve::ModelMetadata& metadata = std::get<serve::ModelMetadata>(found);
    response->set_name(metadata.name);
    for (const std::string& version : metadata.versions) response->add_versions(version);
    response->set_platform(metadata.platform);
    fill_tensors(metadata.inputs, response->mutable_inputs());
    fill_tensors(metadata.outputs, response->mutable_outputs());
    return grpc::Status::OK;
  }

  grpc::Status ModelInfer(grpc::ServerContext*, const inference::ModelInferRequest* request,
                          inference::ModelInferResponse* response) override {
    // The sync API hands the request as const, but the message is the call's own, non-const
    // object that nothing reads after this handler: taking its raw_input_contents strings
    // (swapped, not copied) lets the input tensors share them instead of copying every byte.
    auto& owned = const_cast<inference::ModelInferRequest&>(*request);
    auto decoded = decode_infer_request(owned);
    if (const auto* error = std::get_if<ServeError>(&decoded)) return to_grpc(*error);
    auto result = backend_.infer(std::move(std::get<InferRequest>(decoded)));
    if (const auto* error = std::get_if<ServeError>(&result)) return to_grpc(*error);
    if (auto error = encode_infer_response(std::get<InferResponse>(result), response)) {
      return to_grpc(*error);
    }
    return grpc::Status::OK;
  }

  grpc::Status RepositoryIndex(grpc::ServerContext*, const inference::RepositoryIndexRequest* request,
                               inference::RepositoryIndexResponse* response) override {
    for (const RepositoryEntry& entry : repository_index(backend_, request->ready())) {
      auto* model = response->add_models();
      model->set_name(entry.name);
      model->set_version(entry.version);
      model->set_state(entry.state);
      model->set_reason(entry.reason);
    }
    return grpc::Status::OK;
  }

 private:
  InferenceBackend& backend_;
};

}  // namespace

struct GrpcServer::Impl {
  Impl(InferenceBackend& backend, GrpcOptions options)
      : service(backend), options(std::move(options)) {}
  InferenceService service;
  GrpcOptions options;
  std::unique_ptr<grpc::Server> server;
  int port = -1;
};

GrpcServer::GrpcServer(InferenceBackend& backend, GrpcOptions options)
    : impl_(std::make_unique<Impl>(backend, std::move(options))) {}

GrpcServer::~GrpcServer() { stop(); }

int GrpcServer::port() const { return impl_->port; }

Status GrpcServer::start() {
  Impl& impl = *impl_;
  if (impl.server) return internal_error("gRPC server already started");
  const GrpcOptions& options = impl.options;
  const std::string address = fmt::format("{}:{}", options.host, options.port);
  grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &bound_port);
  builder.RegisterService(&impl.service);
  const int max_message = static_cast<int>(std::min<size_t>(options.max_message_bytes, INT32_MAX));
  builder.SetMaxReceiveMessageSize(max_message);
  builder.SetMaxSendMessageSize(-1);  // responses are the server's own: never refuse one
  grpc::ResourceQuota quota("recinfer-grpc");
  quota.SetMaxThreads(std::max(options.threads, 2));
  builder.SetResourceQuota(quota);
  impl.server = builder.BuildAndStart();
  if (!impl.server || bound_port <= 0) {
    impl.server.reset();
    return io_error("gRPC server: cannot listen on {}", address);
  }
  impl.port = bound_port;
  return Status::ok();
}

void GrpcServer::stop() {
  if (!impl_->server) return;
  const auto deadline =
      std::chrono::system_clock::now() + std::chrono::milliseconds(impl_->options.shutdown_grace_ms);
  impl_->server->Shutdown(deadline);
  impl_->server->Wait();
  impl_->server.reset();
}

}  // namespace recinfer::serve::rpc
