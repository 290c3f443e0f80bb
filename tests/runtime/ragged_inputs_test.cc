// Ragged inputs (runtime/plan_key.h): EmbeddingBag's flat id lists change length between
// requests of one batch size; one plan serves them all, in a Session and in an Engine (both
// staging modes), with outputs equal to the exported graph run as is (Loops, no passes: exact
// plans per shape, standard ONNX ops).
#include <gtest/gtest.h>

#include "recinfer/engine.h"
#include "recinfer/session.h"
#include "tooling/tensor_compare.h"
#include "tooling/test_data.h"

namespace recinfer {
namespace {

const std::string kZoo = std::string(RECINFER_SOURCE_DIR) + "/models/zoo/";

std::vector<Tensor> zoo_inputs(const std::string& model) {
  auto inputs = tooling::read_tensor_dir(kZoo + model + "/test_data_set_0", "input");
  EXPECT_TRUE(inputs.is_ok()) << inputs.status().to_string();
  return inputs.is_ok() ? *inputs : std::vector<Tensor>{};
}

// Appends `extra` ids (and weights) to the last bag of every table: indices_t (and weights_t)
// grow, offsets stay. `first_indices` is the position of indices_0, `stride` the inputs per table.
std::vector<Tensor> grow_last_bags(const std::vector<Tensor>& base, size_t first_indices,
                                   size_t stride, int64_t extra, bool weighted) {
  std::vector<Tensor> out = base;
  for (size_t i = first_indices; i < base.size(); i += stride) {
    const Tensor& ids = base[i];
    std::vector<int64_t> grown(ids.data<int64_t>(), ids.data<int64_t>() + ids.numel());
    for (int64_t k = 0; k < extra; ++k) grown.push_back((static_cast<int64_t>(i) * 7 + k) % 300);
    out[i] = *Tensor::from_vector<int64_t>(Shape{static_cast<int64_t>(grown.size())}, grown);
    if (weighted) {
      const Tensor& w = base[i + 2];
      std::vector<float> wg(w.data<float>(), w.data<float>() + w.numel());
      for (int64_t k = 0; k < extra; ++k) wg.push_back(0.25f * static_cast<float>(k + 1));
      out[i + 2] = *Tensor::from_vector<float>(Shape{static_cast<int64_t>(wg.size())}, wg);
    }
  }
  return out;
}

std::vector<Tensor> run_unoptimized(const std::string& path, const std::vector<Tensor>& inputs) {
  SessionOptions options;
  options.optimize = false;
  auto session = Session::load(path, options);
  EXPECT_TRUE(session.is_ok()) << session.status().to_string();
  std::vector<Tensor> out;
  Status st = (*session)->run(inputs, out);
  EXPECT_TRUE(st.is_ok()) << st.to_string();
  for (Tensor& t : out) t = *t.clone();
  return out;
}

struct RaggedModel {
  const char* name;
  size_t first_indices, stride;
  bool weighted;
};

const RaggedModel kModels[] = {{"dlrm_small_opset14", 1, 2, false},
                               {"dlrm_small_opset11", 1, 2, false},
                               {"weighted_bag_opset14", 1, 3, true}};

TEST(RaggedInputsTest, EmbeddingBagIdListsAreRagged) {
  auto session = Session::load(kZoo + "dlrm_small_opset14/model.onnx");
  ASSERT_TRUE(session.is_ok());
  std::vector<Tensor> out;
  const auto base = zoo_inputs("dlrm_small_opset14");
  for (int64_t extra : {0, 3, 1, 9}) {
    ASSERT_TRUE((*session)->run(grow_last_bags(base, 1, 2, extra, false), out).is_ok());
  }
  EXPECT_EQ((*session)->stats().plans, 1u);
  EXPECT_EQ((*session)->stats().dynamic_steps, 0);
  // The batch size is not ragged: a different batch is a different plan.
  auto other = tooling::read_tensor_dir(kZoo + "dlrm_small_opset14/test_data_set_1", "input");
  ASSERT_TRUE(other.is_ok());
  ASSERT_TRUE((*session)->run(*other, out).is_ok());
  EXPECT_EQ((*session)->stats().plans, 2u);
}

TEST(RaggedInputsTest, SessionServesEveryIdCountWithOnePlan) {
  for (const RaggedModel& m : kModels) {
    SCOPED_TRACE(m.name);
    const std::string path = kZoo + std::string(m.name) + "/model.onnx";
    auto session = Session::load(path);
    ASSERT_TRUE(session.is_ok()) << session.status().to_string();
    const auto base = zoo_inputs(m.name);
    for (int64_t extra : {0, 5, 2, 11, 0}) {
      const auto inputs = grow_last_bags(base, m.first_indices, m.stride, extra, m.weighted);
      std::vector<Tensor> got;
      Status st = (*session)->run(inputs, got);
      ASSERT_TRUE(st.is_ok()) << st.to_string();
      auto cmp = tooling::compare_outputs(got, run_unoptimized(path, inputs), {});
      EXPECT_TRUE(cmp.ok) << "extra " << extra << ": " << cmp.message;
    }
    EXPECT_EQ((*session)->stats().plans, 1u);
  }
}

TEST(RaggedInputsTest, EngineServesEveryIdCountWithOnePlanInBothStagingModes) {
  const RaggedModel& m = kModels[2];  // weighted_bag: ids and weights are both ragged
  const std::string path = kZoo + std::string(m.name) + "/model.onnx";
  for (InputStaging staging : {InputStaging::kPerTensor, InputStaging::kBatched}) {
    EngineOptions options;
    options.staging = staging;
    options.pin = false;
    auto engine = Engine::load(path, options);
    ASSERT_TRUE(engine.is_ok()) << engine.status().to_string();
    const auto base = zoo_inputs(m.name);
    // Growing, shrinking and growing past the first staging size.
    for (int64_t extra : {0, 40, 3, 200, 1}) {
      const auto inputs = grow_last_bags(base, m.first_indices, m.stride, extra, m.weighted);
      std::vector<Tensor> got;
      Status st = (*engine)->run(inputs, got);
      ASSERT_TRUE(st.is_ok()) << st.to_string();
      auto cmp = tooling::compare_outputs(got, run_unoptimized(path, inputs), {});
      EXPECT_TRUE(cmp.ok) << "extra " << extra << ": " << cmp.message;
    }
    EXPECT_EQ((*engine)->stats().plans_built, 1u);
  }
}

TEST(RaggedInputsTest, WeightsOfAnotherLengthAreAnErrorNamingTheGroup) {
  const RaggedModel& m = kModels[2];
  auto session = Session::load(kZoo + std::string(m.name) + "/model.onnx");
  ASSERT_TRUE(session.is_ok());
  auto inputs = zoo_inputs(m.name);
  std::vector<Tensor> out;
  ASSERT_TRUE((*session)->run(inputs, out).is_ok());
  // One weight fewer than ids in table 1 (inputs: dense, then indices/offsets/weights per table).
  const Tensor& w = inputs[6];
  std::vector<float> shorter(w.data<float>(), w.data<float>() + w.numel() - 1);
  inputs[6] = *Tensor::from_vector<float>(Shape{static_cast<int64_t>(shorter.size())}, shorter);
  Status st = (*session)->run(inputs, out);
  ASSERT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find("weights of group 1 must have one value per id"), std::string::npos)
      << st.message();
}

}  // namespace
}  // namespace recinfer
