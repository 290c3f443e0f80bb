// Profiling helpers for tests: run a session under a Recorder and collect the Profile.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "profiler/event.h"
#include "recinfer/session.h"

namespace recinfer::testing {

// The whole file ("" when it cannot be read).
std::string read_file(const std::string& path);

// models/zoo/<name>/model.onnx loaded with `threads`, and its test_data_set_0 inputs; fails the
// current test (session null) when either cannot be loaded.
struct ZooModel {
  std::unique_ptr<Session> session;
  std::vector<Tensor> inputs;
};
ZooModel load_zoo_model(const std::string& name, int threads);

// Runs `iterations` profiled inferences (after one unprofiled warm-up) and returns the profile;
// fails the current test (and returns what was recorded) when a run fails.
profiler::Profile profile_runs(Session& session, const std::vector<Tensor>& inputs, int iterations);

}  // namespace recinfer::testing
