// Malformed-model robustness: seeded random corruptions of real zoo models must load with an
// error or run to an error or a result, never crash or hang.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "onnx/model_loader.h"
#include "runtime/compiled_graph.h"
#include "runtime/executor.h"
#include "tooling/test_data.h"

namespace recinfer {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void fuzz_model(const std::string& dir, int rounds) {
  const std::string bytes = read_file(dir + "/model.onnx");
  ASSERT_FALSE(bytes.empty());
  auto inputs = tooling::read_tensor_dir(dir + "/test_data_set_0", "input");
  ASSERT_TRUE(inputs.is_ok());
  std::mt19937_64 rng(1234);
  int loaded = 0;
  for (int round = 0; round < rounds; ++round) {
    std::string mutated = bytes;
    const int flips = 1 + static_cast<int>(rng() % 8);
    for (int f = 0; f < flips; ++f) {
      mutated[rng() % mutated.size()] = static_cast<char>(rng() & 0xff);
    }
    if (rng() % 4 == 0) mutated.resize(rng() % mutated.size());
    auto model = onnx_io::load_model_from_bytes(mutated.data(), mutated.size(), dir);
    if (!model.is_ok()) {
      EXPECT_FALSE(model.status().message().empty());
      continue;
    }
    auto compiled = runtime::CompiledGraph::compile(model->graph, kernels::KernelVariant::kOptimized);
    if (!compiled.is_ok()) continue;
    ++loaded;
    std::vector<std::optional<runtime::InputBinding>> bindings;
    for (const Tensor& t : *inputs) bindings.push_back(runtime::InputBinding{t.dtype(), t.shape()});
    if (bindings.size() != model->graph->inputs.size()) continue;
    auto plan = runtime::build_plan(**compiled, bindings);
    if (!plan.is_ok()) continue;
    auto executor = runtime::Executor::create(*compiled, *plan);
    if (!executor.is_ok()) continue;
    std::vector<const Tensor*> ptrs;
    for (const Tensor& t : *inputs) ptrs.push_back(&t);
    kernels::SerialFor serial;
    (void)(*executor)->run(ptrs.data(), ptrs.size(), serial);
  }
  // Most corruptions hit weight bytes, so many models still load: the run path is exercised too.
  EXPECT_GT(loaded, 0);
}

TEST(CorruptModelTest, DeepFmCorruptionsNeverCrash) {
  fuzz_model(std::string(RECINFER_SOURCE_DIR) + "/models/zoo/deepfm_opset14", 120);
}

TEST(CorruptModelTest, CoarseRankCorruptionsNeverCrash) {
  fuzz_model(std::string(RECINFER_SOURCE_DIR) + "/models/zoo/coarse_rank_opset11", 120);
}

}  // namespace
}  // namespace recinfer
