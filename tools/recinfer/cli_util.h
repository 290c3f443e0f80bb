// Shared CLI plumbing: loading a session and its inputs the same way in every subcommand.
#pragma once

#include <map>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "recinfer/session.h"
#include "tooling/test_data.h"

namespace recinfer::cli {

struct InputSource {
  std::string dir;  // ONNX test-data folder with input_<k>.pb
  bool random = false;
  uint64_t seed = 0;
  std::vector<std::string> dims;  // "name=value" for symbolic dims of random inputs
};

void add_input_options(CLI::App& cmd, InputSource& source);

// --no-optimize / --disable-pass NAME (repeatable): which graph passes run at load.
struct OptimizeFlags {
  bool no_optimize = false;
  std::vector<std::string> disabled;
  void apply(SessionOptions& options) const {
    options.optimize = !no_optimize;
    options.disabled_passes = disabled;
  }
};
void add_optimize_options(CLI::App& cmd, OptimizeFlags& flags);

// --threads T / --no-pin: intra-op threads, pinned to CPUs 0..T-1 (the calling thread to CPU 0).
struct ThreadFlags {
  int threads = 1;
  bool no_pin = false;
  // Sets the session's threads and CPUs, and pins the calling thread unless --no-pin.
  void apply(SessionOptions& options) const;
};
void add_thread_options(CLI::App& cmd, ThreadFlags& flags);
// Warm-up inferences before N timed ones: `warmup` when >= 0, else max(3, N/10).
int warmup_runs(int warmup, int iterations);
// The pass report's last line ("nodes A -> B, dynamic-shape ops C -> D"), or "passes off".
std::string optimization_summary(const Session& session);
// Loads inputs per the source; with neither --inputs nor --random, uses the model's sibling
// test_data_set_0 if present, else random inputs.
Result<std::vector<Tensor>> load_inputs(const std::string& model, const Session& session,
                                        const InputSource& source);
Result<std::vector<Tensor>> load_inputs(const std::string& model,
                                        const std::vector<TensorSpec>& specs,
                                        const InputSource& source);
int fail(const Status& status);  // prints "error: ..." and returns 1

}  // namespace recinfer::cli
