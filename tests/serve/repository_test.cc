// The model repository on zoo models: layout and config, validation, batched results against
// a Session running each request alone, version switches under load, shutdown and drain.
#include "serve/model_repository.h"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "recinfer/session.h"
#include "serve/metrics.h"
#include "tooling/batching.h"
#include "tooling/tensor_compare.h"
#include "tooling/test_data.h"

namespace recinfer::serve {
namespace {

namespace fs = std::filesystem;

const std::string kZoo = std::string(RECINFER_SOURCE_DIR) + "/models/zoo/";

// A fresh repository folder, removed at the end of the test.
class TempRepo {
 public:
  TempRepo() {
    std::string pattern = (fs::temp_directory_path() / "recinfer_repo_XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
  }
  ~TempRepo() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  // Copies a zoo model to <name>/<version>/model.onnx ("" = unversioned).
  void add(const std::string& zoo, const std::string& name, const std::string& version = "") {
    const fs::path target = fs::path(dir_) / name / version;
    fs::create_directories(target);
    fs::copy_file(kZoo + zoo + "/model.onnx", target / "model.onnx",
                  fs::copy_options::overwrite_existing);
  }
  void config(const std::string& name, const std::string& json) {
    fs::create_directories(fs::path(dir_) / name);
    std::ofstream(fs::path(dir_) / name / "config.json") << json;
  }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

std::unique_ptr<ModelRepository> open_repo(const std::string& dir, RepositoryOptions options = {}) {
  auto repo = ModelRepository::open(dir, std::move(options));
  EXPECT_TRUE(repo.is_ok()) << repo.status().to_string();
  return repo.is_ok() ? std::move(repo).value() : nullptr;
}

InferRequest request_for(const std::string& model, const std::vector<TensorSpec>& specs,
                         const std::vector<Tensor>& inputs) {
  InferRequest r;
  r.model = model;
  for (size_t i = 0; i < specs.size(); ++i) r.inputs.push_back({specs[i].name, inputs[i]});
  return r;
}

std::unique_ptr<Session> load_session(const std::string& path) {
  auto session = Session::load(path);
  EXPECT_TRUE(session.is_ok()) << session.status().to_string();
  return session.is_ok() ? std::move(session).value() : nullptr;
}

const ServeError& error_of(const ServeResult<InferResponse>& r) { return std::get<ServeError>(r); }

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

constexpr const char* kSmallConfig = R"({"max_batch_size": 16, "cores_per_instance": 1,
    "dynamic_batching": {"max_queue_delay_us": 2000000}})";

TEST(RepositoryTest, LoadsFoldersWithDefaultsAndVersions) {
  TempRepo repo;
  repo.add("deepfm_opset14", "deepfm", "1");
  repo.add("deepfm_opset14", "deepfm", "3");
  repo.config("deepfm", R"({"cores_per_instance": 1})");
  repo.add("coarse_rank_opset14", "coarse");
  repo.config("coarse", R"({"cores_per_instance": 1})");
  auto models = open_repo(repo.dir());
  ASSERT_NE(models, nullptr);
  EXPECT_TRUE(models->ready());
  EXPECT_EQ(models->model_names(), (std::vector<std::string>{"coarse", "deepfm"}));
  EXPECT_EQ(models->current_version("deepfm"), "3");  // the highest version
  EXPECT_EQ(models->current_version("coarse"), "1");
  auto meta = models->model_metadata("deepfm", "");
  ASSERT_TRUE(std::holds_alternative<ModelMetadata>(meta));
  const ModelMetadata& m = std::get<ModelMetadata>(meta);
  ASSERT_EQ(m.inputs.size(), 1u);
  EXPECT_EQ(m.inputs[0].name, "sparse_ids");
  EXPECT_EQ(m.inputs[0].datatype, "INT64");
  EXPECT_EQ(m.inputs[0].shape, (std::vector<int64_t>{-1, 10}));
  EXPECT_EQ(std::get<ServeError>(models->model_metadata("deepfm", "1")).kind, ErrorKind::kNotFound);
  EXPECT_EQ(std::get<ServeError>(models->model_ready("nope", "")).kind, ErrorKind::kNotFound);
  EXPECT_TRUE(std::get<bool>(models->model_ready("deepfm", "3")));

  // coarse_rank's TopK output spans all candidates: its rows are not independent, so it is
  // not batched across requests (max_batch_size 0) and runs each request at its own shape.
  auto coarse_inputs = *tooling::read_tensor_dir(kZoo + "coarse_rank_opset14/test_data_set_0", "input");
  auto coarse_refs = *tooling::read_tensor_dir(kZoo + "coarse_rank_opset14/test_data_set_0", "output");
  auto session = load_session(kZoo + "coarse_rank_opset14/model.onnx");
  auto r = models->infer(request_for("coarse", session->inputs(), coarse_inputs));
  ASSERT_TRUE(std::holds_alternative<InferResponse>(r)) << error_of(r).message;
  const InferResponse& response = std::get<InferResponse>(r);
  EXPECT_EQ(response.version, "1");
  std::vector<Tensor> got;
  for (const NamedTensor& t : response.outputs) got.push_back(t.tensor);
  const auto compared = tooling::compare_outputs(got, coarse_refs, {});
  EXPECT_TRUE(compared.ok) << compared.message;
}

TEST(RepositoryTest, StrictOpenNamesEveryFailingFolder) {
  TempRepo repo;
  repo.add("deepfm_opset14", "good");
  repo.config("good", R"({"cores_per_instance": 1})");
  fs::create_directories(fs::path(repo.dir()) / "empty");
  repo.add("deepfm_opset14", "typo");
  repo.config("typo", R"({"max_batch": 4})");
  auto strict = ModelRepository::open(repo.dir());
  ASSERT_FALSE(strict.is_ok());
  const std::string& message = strict.status().message();
  EXPECT_TRUE(contains(message, "folder 'empty'")) << message;
  EXPECT_TRUE(contains(message, "no model.onnx")) << message;
  EXPECT_TRUE(contains(message, "folder 'typo'")) << message;
  EXPECT_TRUE(contains(message, "unknown key 'max_batch'")) << message;
  EXPECT_TRUE(contains(message, "typo/config.json")) << message;

  RepositoryOptions lenient;
  lenient.strict = false;
  auto models = open_repo(repo.dir(), lenient);
  ASSERT_NE(models, nullptr);
  EXPECT_EQ(models->model_names(), (std::vector<std::string>{"good"}));
  EXPECT_EQ(models->load_errors().size(), 2u);
}

TEST(RepositoryTest, BadRequestsNameModelInputAndValue) {
  TempRepo repo;
  repo.add("dlrm_small_opset14", "dlrm");
  repo.config("dlrm", R"({"max_batch_size": 16, "cores_per_instance": 1})");
  auto models = open_repo(repo.dir());
  ASSERT_NE(models, nullptr);
  auto session = load_session(kZoo + "dlrm_small_opset14/model.onnx");
  const auto specs = session->inputs();
  const auto inputs = *tooling::read_tensor_dir(kZoo + "dlrm_small_opset14/test_data_set_0", "input");
  auto expect_bad = [&](InferRequest r, const std::string& part) {
    auto result = models->infer(std::move(r));
    ASSERT_TRUE(std::holds_alternative<ServeError>(result)) << part;
    EXPECT_EQ(error_of(result).kind, ErrorKind::kBadRequest) << error_of(result).message;
    EXPECT_TRUE(contains(error_of(result).message, part)) << error_of(result).message;
    EXPECT_TRUE(contains(error_of(result).message, "dlrm")) << error_of(result).message;
  };
  InferRequest missing = request_for("dlrm", specs, inputs);
  missing.inputs.pop_back();
  expect_bad(missing, "input 'offsets_25' is missing");
  InferRequest unknown = request_for("dlrm", specs, inputs);
  unknown.inputs.push_back({"extra", inputs[0]});
  expect_bad(unknown, "no input 'extra'");
  InferRequest dtype = request_for("dlrm", specs, inputs);
  dtype.inputs[1].tensor = *Tensor::from_vector<int32_t>(Shape{1}, {0});
  expect_bad(dtype, "input 'indices_0' must be int64, got int32");
  InferRequest dims = request_for("dlrm", specs, inputs);
  dims.inputs[0].tensor = *Tensor::allocate(DType::kFloat32, Shape{16, 12});
  expect_bad(dims, "input 'dense' must have shape [batch, 13]");
  InferRequest offsets = request_for("dlrm", specs, inputs);
  offsets.inputs[2].tensor = *Tensor::from_vector<int64_t>(Shape{16}, std::vector<int64_t>(16, 5));
  expect_bad(offsets, "offsets input 'offsets_0' must start at 0");
  InferRequest big = request_for("dlrm", specs, *tooling::rebatch(
      *tooling::detect_batch_layout(specs), inputs, 17));
  expect_bad(big, "17 rows exceeds max_batch_size 16");
  InferRequest output = request_for("dlrm", specs, inputs);
  output.outputs = {"nope"};
  expect_bad(output, "no output 'nope'");
  InferRequest none;
  none.model = "absent";
  EXPECT_EQ(error_of(models->infer(none)).kind, ErrorKind::kNotFound);

  // An id outside a table fails in the Engine: a bad request, with the engine's message.
  const auto deepfm_layout = *tooling::detect_batch_layout(specs);
  std::vector<Tensor> out_of_range = *tooling::rebatch(deepfm_layout, inputs, 2);
  out_of_range[1] = *Tensor::from_vector<int64_t>(Shape{1}, {1000000});
  out_of_range[2] = *Tensor::from_vector<int64_t>(Shape{2}, {0, 1});
  auto result = models->infer(request_for("dlrm", specs, out_of_range));
  ASSERT_TRUE(std::holds_alternative<ServeError>(result));
  EXPECT_EQ(error_of(result).kind, ErrorKind::kBadRequest) << error_of(result).message;
  EXPECT_TRUE(contains(error_of(result).message, "1000000")) << error_of(result).message;
  const auto stats = models->stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].failure, 8u);  // the 7 invalid requests and the id out of range
}

// Requests of 1..5 rows cut from the stored DLRM batch (bags of 0-4 ids), sent at once: their
// batched, padded outputs must equal a Session running each request alone.
TEST(RepositoryTest, BatchedOutputsEqualEachRequestRunAlone) {
  TempRepo repo;
  repo.add("dlrm_small_opset14", "dlrm");
  repo.config("dlrm", kSmallConfig);
  auto models = open_repo(repo.dir());
  ASSERT_NE(models, nullptr);
  auto session = load_session(kZoo + "dlrm_small_opset14/model.onnx");
  const auto specs = session->inputs();
  const auto layout = *tooling::detect_batch_layout(specs);
  const auto stored = *tooling::read_tensor_dir(kZoo + "dlrm_small_opset14/test_data_set_0", "input");
  // 16 stored rows cut into requests of 3, 1, 5, 2, 4, 1 rows (16 rows: one full batch).
  const std::vector<int64_t> sizes = {3, 1, 5, 2, 4, 1};
  std::vector<std::vector<Tensor>> requests;
  int64_t row = 0;
  for (int64_t n : sizes) {
    std::vector<int64_t> rows;
    for (int64_t r = 0; r < n; ++r) rows.push_back(row++);
    requests.push_back(*tooling::select_rows(layout, stored, rows));
  }
  std::vector<ServeResult<InferResponse>> results(requests.size(), ServeError{});
  std::vector<std::thread> callers;
  for (size_t i = 0; i < requests.size(); ++i) {
    callers.emplace_back([&, i] { results[i] = models->infer(request_for("dlrm", specs, requests[i])); });
  }
  for (auto& t : callers) t.join();
  for (size_t i = 0; i < requests.size(); ++i) {
    ASSERT_TRUE(std::holds_alternative<InferResponse>(results[i])) << error_of(results[i]).message;
    const InferResponse& response = std::get<InferResponse>(results[i]);
    std::vector<Tensor> reference;
    ASSERT_TRUE(session->run(requests[i], reference).is_ok());
    ASSERT_EQ(response.outputs.size(), 1u);
    EXPECT_EQ(response.outputs[0].name, "prob");
    EXPECT_EQ(response.outputs[0].tensor.shape(), reference[0].shape()) << "request " << i;
    const auto compared = tooling::compare_tensor(response.outputs[0].tensor, reference[0], {});
    EXPECT_TRUE(compared.ok) << "request " << i << ": " << compared.message;
    EXPECT_GE(response.timings.batch_size, sizes[i]);
  }
  const auto stats = models->stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].success, requests.size());
  EXPECT_EQ(stats[0].inferences, 16u);
  EXPECT_GT(stats[0].max_batch_requests, 1u);  // requests were joined
  EXPECT_LT(stats[0].executions, requests.size());
}

TEST(RepositoryTest, PaddedBatchReturnsOnlyTheRequestRows) {
  TempRepo repo;
  repo.add("weighted_bag_opset14", "bags");
  repo.config("bags", R"({"max_batch_size": 8, "cores_per_instance": 1,
      "dynamic_batching": {"max_queue_delay_us": 100}})");
  auto models = open_repo(repo.dir());
  ASSERT_NE(models, nullptr);
  auto session = load_session(kZoo + "weighted_bag_opset14/model.onnx");
  const auto specs = session->inputs();
  const auto layout = *tooling::detect_batch_layout(specs);
  const auto stored = *tooling::read_tensor_dir(kZoo + "weighted_bag_opset14/test_data_set_0", "input");
  const auto three = *tooling::select_rows(layout, stored, {4, 9, 17});
  auto r = models->infer(request_for("bags", specs, three));
  ASSERT_TRUE(std::holds_alternative<InferResponse>(r)) << error_of(r).message;
  const InferResponse& response = std::get<InferResponse>(r);
  EXPECT_EQ(response.timings.batch_size, 4);  // 3 rows padded to the bucket of 4
  std::vector<Tensor> reference;
  ASSERT_TRUE(session->run(three, reference).is_ok());
  EXPECT_EQ(response.outputs[0].tensor.shape(), (Shape{3, 1}));
  const auto compared = tooling::compare_tensor(response.outputs[0].tensor, reference[0], {});
  EXPECT_TRUE(compared.ok) << compared.message;
}

TEST(RepositoryTest, VersionSwitchUnderLoadFailsNoRequest) {
  TempRepo repo;
  repo.add("deepfm_opset14", "deepfm", "1");
  repo.add("deepfm_opset14", "deepfm", "2");
  repo.config("deepfm", R"({"max_batch_size": 8, "cores_per_instance": 1,
      "dynamic_batching": {"max_queue_delay_us": 200}})");
  auto models = open_repo(repo.dir());
  ASSERT_NE(models, nullptr);
  auto session = load_session(kZoo + "deepfm_opset14/model.onnx");
  const auto specs = session->inputs();
  const auto stored = *tooling::read_tensor_dir(kZoo + "deepfm_opset14/test_data_set_1", "input");
  std::vector<Tensor> reference;
  ASSERT_TRUE(session->run(stored, reference).is_ok());
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, failed{0}, wrong{0};
  std::set<std::string> versions_seen;
  std::mutex seen_mutex;
  std::vector<std::thread> callers;
  for (int c = 0; c < 3; ++c) {
    callers.emplace_back([&] {
      while (!stop.load()) {
        auto r = models->infer(request_for("deepfm", specs, stored));
        if (!std::holds_alternative<InferResponse>(r)) {
          failed++;
          continue;
        }
        const InferResponse& response = std::get<InferResponse>(r);
        if (!tooling::compare_tensor(response.outputs[0].tensor, reference[0], {}).ok) wrong++;
        ok++;
        std::lock_guard<std::mutex> lock(seen_mutex);
        versions_seen.insert(response.version);
      }
    });
  }
  while (ok.load() < 20) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_TRUE(models->load_version("deepfm", 1).is_ok());
  EXPECT_EQ(models->current_version("deepfm"), "1");
  const int after_first = ok.load();
  while (ok.load() < after_first + 20) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_TRUE(models->reload("deepfm").is_ok());
  EXPECT_EQ(models->current_version("deepfm"), "2");
  const int after_second = ok.load();
  while (ok.load() < after_second + 20) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  stop = true;
  for (auto& t : callers) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(versions_seen, (std::set<std::string>{"1", "2"}));
  Status missing = models->load_version("deepfm", 7);
  ASSERT_FALSE(missing.is_ok());
  EXPECT_TRUE(contains(missing.message(), "no version 7")) << missing.message();
  EXPECT_EQ(models->current_version("deepfm"), "2");  // a failed load leaves the current one
}

TEST(RepositoryTest, ShutdownRefusesNewRequestsAndDrainAnswersTheRest) {
  TempRepo repo;
  repo.add("deepfm_opset14", "deepfm");
  repo.config("deepfm", R"({"max_batch_size": 8, "cores_per_instance": 1,
      "dynamic_batching": {"max_queue_delay_us": 20000}})");
  Metrics metrics;
  RepositoryOptions options;
  options.metrics = &metrics;
  auto models = open_repo(repo.dir(), options);
  ASSERT_NE(models, nullptr);
  auto session = load_session(kZoo + "deepfm_opset14/model.onnx");
  const auto specs = session->inputs();
  const auto stored = *tooling::read_tensor_dir(kZoo + "deepfm_opset14/test_data_set_1", "input");
  std::atomic<int> ok{0}, unavailable{0}, other{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&] {
      while (!stop.load()) {
        auto r = models->infer(request_for("deepfm", specs, stored));
        if (std::holds_alternative<InferResponse>(r)) {
          ok++;
        } else if (error_of(r).kind == ErrorKind::kUnavailable &&
                   contains(error_of(r).message, "shutting down")) {
          unavailable++;
        } else {
          other++;
        }
      }
    });
  }
  while (ok.load() < 10) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  models->begin_shutdown();
  EXPECT_FALSE(models->ready());
  EXPECT_TRUE(models->drain(std::chrono::steady_clock::now() + std::chrono::seconds(30)));
  stop = true;
  for (auto& t : callers) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_GT(unavailable.load(), 0);
  const std::string text = metrics.serialize_text();
  EXPECT_TRUE(contains(text, "nv_inference_request_success{model=\"deepfm\",version=\"1\"} " +
                                 std::to_string(ok.load())))
      << text;
  EXPECT_TRUE(contains(text, "nv_inference_pending_request_count{model=\"deepfm\",version=\"1\"} 0"))
      << text;
  EXPECT_TRUE(contains(text, "reason=\"UNAVAILABLE\"")) << text;
  EXPECT_TRUE(contains(text, "recinfer_batch_size_count{model=\"deepfm\",version=\"1\"}")) << text;
}

}  // namespace
}  // namespace recinfer::serve
