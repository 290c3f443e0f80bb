#include "support/profiling.h"

#include <gtest/gtest.h>

#include "profiler/recorder.h"

namespace recinfer::testing {

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
