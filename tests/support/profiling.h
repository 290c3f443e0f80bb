// Profiling helpers for tests: run a session under a Recorder and collect the Profile.
#pragma once

#include <vector>

#include "profiler/event.h"
#include "recinfer/session.h"

namespace recinfer::testing {

// Runs `iterations` profiled inferences (after one unprofiled warm-up) and returns the profile;
// fails the current test (and returns what was recorded) when a run fails.
profiler::Profile profile_runs(Session& session, const std::vector<Tensor>& inputs, int iterations);

}  // namespace recinfer::testing
