// Every zoo model gives the same outputs with the graph passes on and off (and both match the
// stored PyTorch references, checked against ONNX Runtime when the zoo was built); with passes
// on, the plans of the rewritten models are fully static.
#include <gtest/gtest.h>

#include <filesystem>

#include "recinfer/session.h"
#include "tooling/tensor_compare.h"
#include "tooling/test_data.h"

namespace recinfer {
namespace {

namespace fs = std::filesystem;

std::vector<Tensor> copy_all(const std::vector<Tensor>& outputs) {
  std::vector<Tensor> copies;
  for (const Tensor& t : outputs) {
    auto c = t.clone();
    EXPECT_TRUE(c.is_ok());
    copies.push_back(c.is_ok() ? *c : Tensor());
  }
  return copies;
}

TEST(ZooEquivalence, PassesOnAndOffAgree) {
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(std::string(RECINFER_SOURCE_DIR) + "/models/zoo")) {
    if (!fs::exists(entry.path() / "model.onnx")) continue;
    const std::string model = (entry.path() / "model.onnx").string();
    SessionOptions on, off;
    off.optimize = false;
    auto fast = Session::load(model, on);
    auto plain = Session::load(model, off);
    ASSERT_TRUE(fast.is_ok()) << model << ": " << fast.status().to_string();
    ASSERT_TRUE(plain.is_ok()) << model << ": " << plain.status().to_string();
    for (const auto& set : fs::directory_iterator(entry.path())) {
      if (set.path().filename().string().rfind("test_data_set_", 0) != 0) continue;
      SCOPED_TRACE(set.path().string());
      auto inputs = tooling::read_tensor_dir(set.path().string(), "input");
      auto refs = tooling::read_tensor_dir(set.path().string(), "output");
      ASSERT_TRUE(inputs.is_ok() && refs.is_ok());
      std::vector<Tensor> out_fast, out_plain;
      Status s1 = (*fast)->run(*inputs, out_fast);
      ASSERT_TRUE(s1.is_ok()) << s1.to_string();
      std::vector<Tensor> kept_fast = copy_all(out_fast);
      Status s2 = (*plain)->run(*inputs, out_plain);
      ASSERT_TRUE(s2.is_ok()) << s2.to_string();
      auto same = tooling::compare_outputs(kept_fast, out_plain, {1e-5, 1e-4});
      EXPECT_TRUE(same.ok) << "passes on vs off: " << same.message;
      auto vs_ref = tooling::compare_outputs(kept_fast, *refs, {});
      EXPECT_TRUE(vs_ref.ok) << "passes on vs reference: " << vs_ref.message;
      EXPECT_EQ((*fast)->stats().dynamic_steps, 0) << (*fast)->optimization_report();
      ++checked;
    }
  }
  EXPECT_GE(checked, 20);  // 10 model dirs x 2 data sets
}

}  // namespace
}  // namespace recinfer
