// Shared CLI plumbing: loading a session and its inputs the same way in every subcommand.
#pragma once

#include <map>

#include <CLI/CLI.hpp>
#include <exception>
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

// The positional MODEL of every subcommand that loads one: an .onnx file, or a folder holding
// model.onnx (an ONNX test case, a saved bench folder), which stands for that file.
CLI::Option* add_model_option(CLI::App& cmd, std::string& model);
// DIR -> DIR/model.onnx when DIR is a folder holding model.onnx; anything else unchanged.
std::string resolve_model_path(const std::string& path);

// Validators whose message names the value; CLI11 prefixes the option ("--iterations: must be at
// least 1, got 0"), and the parse fails with a nonzero exit.
CLI::Validator at_least(int64_t min);
CLI::Validator positive_number();      // a real number > 0
CLI::Validator non_negative_number();  // a real number >= 0

// --max-tensor-bytes / --max-arena-bytes / --max-loop-iterations / --max-threads / --max-batch
// (recinfer/limits.h) and --allow-hardlinks, for every subcommand that loads a model.
struct LimitFlags {
  Limits limits;
  bool allow_hardlinks = false;
  void apply(SessionOptions& options) const {
    options.limits = limits;
    options.allow_external_hardlinks = allow_hardlinks;
  }
};
void add_limit_options(CLI::App& cmd, LimitFlags& flags);

// What the CLI is doing, for the last-resort error in main ("out of memory while loading ...").
std::string& current_activity();
// Sets it for a scope; an exception leaving the scope keeps it, for main's catch to report.
struct Activity {
  explicit Activity(std::string what)
      : previous_(std::move(current_activity())), exceptions_(std::uncaught_exceptions()) {
    current_activity() = std::move(what);
  }
  ~Activity() {
    if (std::uncaught_exceptions() == exceptions_) current_activity() = std::move(previous_);
  }
  Activity(const Activity&) = delete;
  Activity& operator=(const Activity&) = delete;

 private:
  std::string previous_;
  int exceptions_;
};

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
void add_thread_options(CLI::App& cmd, ThreadFlags& flags);  // --threads >= 1
// --threads T against the thread limit (an error naming --threads, T and the limit).
Status check_threads(int threads, const Limits& limits);
// Warm-up inferences before N timed ones: `warmup` when >= 0, else max(3, N/10).
int warmup_runs(int warmup, int iterations);
// The pass report's last line ("nodes A -> B, dynamic-shape ops C -> D"), or "passes off".
std::string optimization_summary(const Session& session);
// Loads inputs per the source; with neither --inputs nor --random, uses the model's sibling
// test_data_set_0 if present, else random inputs.
// --dim NAME=VALUE pairs: NAME must be a symbolic dim of the inputs, VALUE in [1, max_batch].
Result<std::map<std::string, int64_t>> parse_dim_values(const std::vector<TensorSpec>& specs,
                                                        const std::vector<std::string>& given,
                                                        const Limits& limits);
// Every --dim must name a symbolic dim of the inputs, with a value in [1, limits.max_batch].
Result<std::vector<Tensor>> load_inputs(const std::string& model, const Session& session,
                                        const InputSource& source, const Limits& limits = {});
Result<std::vector<Tensor>> load_inputs(const std::string& model,
                                        const std::vector<TensorSpec>& specs,
                                        const InputSource& source, const Limits& limits = {});
int fail(const Status& status);  // prints "error: ..." and returns 1

}  // namespace recinfer::cli
