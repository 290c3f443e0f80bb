// The doctor's measured checks beyond the graph passes: input staging through the multi-instance
// Engine (the configuration as given vs --batched-input on, alternating rounds) and the roofline
// of the optimised model against this machine's measured peaks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "advisor/advisor.h"
#include "advisor/roofline.h"
#include "bench_sweep.h"
#include "recinfer/session.h"

namespace recinfer::cli {

struct StagingCheck {
  std::optional<advisor::Finding> finding;  // none when staging already takes one copy
  std::string verification;                 // before/after lines, printed with the other checks
};

// Runs `config` (passes on) and, when it stages per tensor, the same with batched staging, in
// alternating closed-loop rounds of `iterations` requests; the finding comes from the first.
Result<StagingCheck> check_staging(const std::string& model, const std::vector<Tensor>& inputs,
                                   const EngineConfig& config, bool pin, int iterations,
                                   const LimitFlags& limits = {});

// Short single-thread measurements of the GEMM peak and the gather bandwidths (about a second).
Result<advisor::Peaks> measure_peaks();

// Profiles `session` for `iterations` inferences and counts the work of one inference.
Result<advisor::Work> profile_work(Session& session, const std::vector<Tensor>& inputs, int iterations);

}  // namespace recinfer::cli
