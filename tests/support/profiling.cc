#include "support/profiling.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "profiler/recorder.h"
#include "tooling/test_data.h"

namespace recinfer::testing {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ZooModel load_zoo_model(const std::string& name, int threads) {
  const std::string dir = std::string(RECINFER_SOURCE_DIR) + "/models/zoo/" + name;
  SessionOptions options;
  options.num_threads = threads;
  auto session = Session::load(dir + "/model.onnx", options);
  auto inputs = tooling::read_tensor_dir(dir + "/test_data_set_0", "input");
  EXPECT_TRUE(session.is_ok()) << session.status().to_string();
  EXPECT_TRUE(inputs.is_ok()) << inputs.status().to_string();
  ZooModel model;
  if (session.is_ok() && inputs.is_ok()) {
    model.session = std::move(session).value();
    model.inputs = std::move(inputs).value();
  }
  return model;
}

profiler::Profile profile_runs(Session& session, const std::vector<Tensor>& inputs,
                               int iterations) {
  std::vector<Tensor> outputs;
  Status warm = session.run(inputs, outputs);
  EXPECT_TRUE(warm.is_ok()) << warm.to_string();
  profiler::Recorder recorder;
  for (int i = 0; i < iterations && warm.is_ok(); ++i) {
    Status st = session.run_profiled(inputs, outputs, recorder);
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    if (!st.is_ok()) break;
  }
  return recorder.take();
}

}  // namespace recinfer::testing
