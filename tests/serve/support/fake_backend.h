// A scriptable InferenceBackend for the protocol front-end tests. Models:
//   "echo"    (version "1"): returns every input unchanged, as outputs of the same names;
//   "add_one" (version "1"): input "x" FP32 -> output "y" = x + 1 (a real computation, so a
//             test can tell a decoded value from a mangled one).
// Knobs: live/ready flags, one model made not ready, a ServeError every infer returns, and a gate
// that holds infer calls until released (to test concurrency while one request blocks).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "serve/backend.h"

namespace recinfer::serve::testing {

class FakeBackend : public InferenceBackend {
 public:
  std::atomic<bool> is_live{true};
  std::atomic<bool> is_ready{true};

  bool live() const override { return is_live; }
  bool ready() const override { return is_ready; }

  ServerMetadata server_metadata() const override {
    ServerMetadata metadata;
    metadata.version = "0.test";
    metadata.extensions = {"binary_tensor_data"};
    return metadata;
  }

  ServeResult<ModelMetadata> model_metadata(const std::string& model,
                                            const std::string& version) const override {
    if (auto error = check_model(model, version)) return *error;
    ModelMetadata metadata;
    metadata.name = model;
    metadata.versions = {"1"};
    if (model == "add_one") {
      metadata.inputs = {{"x", "FP32", {-1, 4}}};
      metadata.outputs = {{"y", "FP32", {-1, 4}}};
    } else {
      metadata.inputs = {{"any", "INT64", {-1}}};
      metadata.outputs = {{"any", "INT64", {-1}}};
    }
    return metadata;
  }

  ServeResult<bool> model_ready(const std::string& model,
                                const std::string& version) const override {
    if (auto error = check_model(model, version)) return *error;
    std::lock_guard lock(mutex_);
    return model != not_ready_model_;
  }

  std::vector<std::string> model_names() const override { return {"add_one", "echo"}; }

  ServeResult<InferResponse> infer(InferRequest request) override {
    {
      std::unique_lock lock(mutex_);
      ++entered_;
      entered_changed_.notify_all();
      gate_changed_.wait(lock, [&] { return !gate_closed_; });
      last_request_ = request;
      if (fail_with_) return *fail_with_;
    }
    if (auto error = check_model(request.model, request.version)) return *error;
    InferResponse response;
    response.model = request.model;
    response.version = "1";
    response.id = request.id;
    response.timings = {11, 22, 3};
    if (request.model == "add_one") {
      if (request.inputs.size() != 1 || request.inputs[0].name != "x" ||
          request.inputs[0].tensor.dtype() != DType::kFloat32) {
        return ServeError{ErrorKind::kBadRequest, "add_one takes one FP32 input 'x'"};
      }
      const Tensor& x = request.inputs[0].tensor;
      auto y = Tensor::allocate(DType::kFloat32, x.shape());
      if (!y.is_ok()) return ServeError{ErrorKind::kInternal, y.status().message()};
      for (int64_t i = 0; i < x.numel(); ++i) y->data<float>()[i] = x.data<float>()[i] + 1.0f;
      response.outputs.push_back({"y", std::move(y).value()});
    } else {
      response.outputs = request.inputs;  // shares the inputs' buffers (and their owners)
    }
    if (!request.outputs.empty()) {
      std::vector<NamedTensor> selected;
      for (const std::string& name : request.outputs) {
        bool found = false;
        for (const NamedTensor& output : response.outputs) {
          if (output.name == name) {
            selected.push_back(output);
            found = true;
          }
        }
        if (!found) return ServeError{ErrorKind::kBadRequest, "no output '" + name + "'"};
      }
      response.outputs = std::move(selected);
    }
    return response;
  }

  // --- knobs -------------------------------------------------------------------------------
  void fail_with(std::optional<ServeError> error) {
    std::lock_guard lock(mutex_);
    fail_with_ = std::move(error);
  }
  void set_not_ready_model(const std::string& model) {
    std::lock_guard lock(mutex_);
    not_ready_model_ = model;
  }
  void close_gate() {
    std::lock_guard lock(mutex_);
    gate_closed_ = true;
  }
  void open_gate() {
    std::lock_guard lock(mutex_);
    gate_closed_ = false;
    gate_changed_.notify_all();
  }
  // Waits until `count` infer calls have entered in total (blocked at the gate or past it).
  bool wait_entered(int count, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return entered_changed_.wait_for(lock, timeout, [&] { return entered_ >= count; });
  }
  int entered() const {
    std::lock_guard lock(mutex_);
    return entered_;
  }
  InferRequest last_request() const {
    std::lock_guard lock(mutex_);
    return last_request_;
  }

 private:
  std::optional<ServeError> check_model(const std::string& model,
                                        const std::string& version) const {
    if (model != "echo" && model != "add_one") {
      return ServeError{ErrorKind::kNotFound, "unknown model '" + model + "'"};
    }
    if (!version.empty() && version != "1") {
      return ServeError{ErrorKind::kNotFound,
                        "model '" + model + "' has no version '" + version + "'"};
    }
    return std::nullopt;
  }

  mutable std::mutex mutex_;
  std::condition_variable gate_changed_;
  std::condition_variable entered_changed_;
  bool gate_closed_ = false;
  int entered_ = 0;
  std::optional<ServeError> fail_with_;
  std::string not_ready_model_;
  InferRequest last_request_;
};

}  // namespace recinfer::serve::testing
