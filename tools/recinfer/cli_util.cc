#include "cli_util.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "commands.h"
#include "runtime/cpu_affinity.h"

namespace recinfer::cli {

int& exit_code() {
  static int code = 0;
  return code;
}

void add_input_options(CLI::App& cmd, InputSource& source) {
  cmd.add_option("--inputs", source.dir, "folder with input_0.pb, input_1.pb, ... (ONNX test data)");
  cmd.add_flag("--random", source.random, "random inputs from the declared shapes");
  cmd.add_option("--seed", source.seed, "seed for --random");
  cmd.add_option("--dim", source.dims, "symbolic dim value for --random, e.g. --dim batch=128");
}

void add_optimize_options(CLI::App& cmd, OptimizeFlags& flags) {
  cmd.add_flag("--no-optimize", flags.no_optimize, "run the graph as loaded (no graph passes)");
  cmd.add_option("--disable-pass", flags.disabled,
                 "skip a graph pass by name (repeatable; `recinfer optimize --list` names them)");
}

void ThreadFlags::apply(SessionOptions& options) const {
  options.num_threads = threads;
  if (no_pin) return;
  const int cpus = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int t = 0; t < threads; ++t) options.cpus.push_back(t % cpus);
  runtime::pin_current_thread(0);
}

void add_thread_options(CLI::App& cmd, ThreadFlags& flags) {
  cmd.add_option("--threads", flags.threads, "intra-op threads");
  cmd.add_flag("--no-pin", flags.no_pin, "do not pin threads to CPUs");
}

int warmup_runs(int warmup, int iterations) {
  return warmup >= 0 ? warmup : std::max(3, iterations / 10);
}

std::string optimization_summary(const Session& session) {
  const std::string& report = session.optimization_report();
  if (report.empty()) return "passes off";
  size_t end = report.find_last_not_of('\n');
  size_t start = report.rfind('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  size_t first = report.find_first_not_of(' ', start);
  return report.substr(first, end + 1 - first);
}

Result<std::vector<Tensor>> load_inputs(const std::string& model, const Session& session,
                                        const InputSource& source) {
  return load_inputs(model, session.inputs(), source);
}

Result<std::vector<Tensor>> load_inputs(const std::string& model,
                                        const std::vector<TensorSpec>& specs,
                                        const InputSource& source) {
  if (!source.dir.empty()) return tooling::read_tensor_dir(source.dir, "input");
  if (!source.random) {
    auto sibling = std::filesystem::path(model).parent_path() / "test_data_set_0";
    if (std::filesystem::is_directory(sibling)) return tooling::read_tensor_dir(sibling.string(), "input");
  }
  tooling::RandomInputOptions options;
  options.seed = source.seed;
  for (const std::string& kv : source.dims) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) return invalid_argument("--dim expects name=value, got '{}'", kv);
    try {
      options.dims[kv.substr(0, eq)] = std::stoll(kv.substr(eq + 1));
    } catch (...) {
      return invalid_argument("--dim value in '{}' is not an integer", kv);
    }
  }
  return tooling::random_inputs(specs, options);
}

int fail(const Status& status) {
  fmt::print(stderr, "error: {}\n", status.to_string());
  return 1;
}

}  // namespace recinfer::cli
