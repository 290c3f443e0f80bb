#include "cli_util.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

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

std::string& current_activity() {
  static std::string activity;
  return activity;
}

std::string resolve_model_path(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path candidate = std::filesystem::path(path) / "model.onnx";
  if (std::filesystem::is_directory(path, ec) && std::filesystem::is_regular_file(candidate, ec)) {
    return candidate.string();
  }
  return path;
}

CLI::Option* add_model_option(CLI::App& cmd, std::string& model) {
  return cmd.add_option("model", model, "ONNX model (or a folder holding model.onnx)")
      ->transform(CLI::Validator(
          [](std::string& input) -> std::string {
            input = resolve_model_path(input);
            return {};
          },
          "", "model folder"));
}

CLI::Validator at_least(int64_t min) {
  return CLI::Validator(
      [min](std::string& input) -> std::string {
        int64_t value = 0;
        if (!CLI::detail::lexical_cast(input, value)) {
          return fmt::format("expects an integer, got '{}'", input);
        }
        if (value < min) return fmt::format("must be at least {}, got {}", min, input);
        return {};
      },
      fmt::format("INT >= {}", min));
}

namespace {

CLI::Validator number_above(double min, bool inclusive) {
  return CLI::Validator(
      [min, inclusive](std::string& input) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(input, value)) {
          return fmt::format("expects a number, got '{}'", input);
        }
        if (inclusive ? !(value >= min) : !(value > min)) {
          return fmt::format("must be {}, got {}", inclusive ? "non-negative" : "positive", input);
        }
        return {};
      },
      inclusive ? "NUMBER >= 0" : "NUMBER > 0");
}

}  // namespace

CLI::Validator positive_number() { return number_above(0.0, false); }
CLI::Validator non_negative_number() { return number_above(0.0, true); }

void add_limit_options(CLI::App& cmd, LimitFlags& flags) {
  const Limits defaults;
  cmd.add_option("--max-tensor-bytes", flags.limits.max_tensor_bytes,
                 fmt::format("largest tensor (initializer, intermediate, built input), e.g. 64GiB "
                             "(default {})",
                             format_bytes(defaults.max_tensor_bytes)))
      ->transform(CLI::AsSizeValue(false))
      ->group("Limits");
  cmd.add_option("--max-arena-bytes", flags.limits.max_arena_bytes,
                 "largest arena of one plan (default: physical memory)")
      ->transform(CLI::AsSizeValue(false))
      ->group("Limits");
  cmd.add_option("--max-loop-iterations", flags.limits.max_loop_iterations,
                 fmt::format("most iterations of one ONNX Loop (default {})",
                             defaults.max_loop_iterations))
      ->check(at_least(1))
      ->group("Limits");
  cmd.add_option("--max-threads", flags.limits.max_threads,
                 "most threads of a session, or of all engine instances (default 4 x usable CPUs)")
      ->check(at_least(1))
      ->group("Limits");
  cmd.add_option("--max-batch", flags.limits.max_batch,
                 fmt::format("largest --batch / --dim value (default {})", defaults.max_batch))
      ->check(at_least(1))
      ->group("Limits");
  cmd.add_flag("--allow-hardlinks", flags.allow_hardlinks,
               "read external-data files that have several hard links (refused by default: a hard "
               "link can reach a file outside the model folder)")
      ->group("Limits");
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
  cmd.add_option("--threads", flags.threads, "intra-op threads")->check(at_least(1));
  cmd.add_flag("--no-pin", flags.no_pin, "do not pin threads to CPUs");
}

Status check_threads(int threads, const Limits& limits) {
  if (threads <= limits.thread_limit()) return Status::ok();
  return invalid_argument("--threads {}: more than the thread limit {}", threads,
                          limits.describe_thread_limit());
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
                                        const InputSource& source, const Limits& limits) {
  return load_inputs(model, session.inputs(), source, limits);
}

Result<std::map<std::string, int64_t>> parse_dim_values(const std::vector<TensorSpec>& specs,
                                                        const std::vector<std::string>& given,
                                                        const Limits& limits) {
  std::set<std::string> names;
  for (const TensorSpec& spec : specs) {
    for (size_t d = 0; d < spec.dim_names.size(); ++d) {
      if (spec.dims[d] < 0 && !spec.dim_names[d].empty()) names.insert(spec.dim_names[d]);
    }
  }
  std::map<std::string, int64_t> dims;
  for (const std::string& kv : given) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos) return invalid_argument("--dim expects name=value, got '{}'", kv);
    const std::string name = kv.substr(0, eq);
    if (names.count(name) == 0) {
      return invalid_argument(
          "--dim {}: the model has no symbolic dim '{}' (its symbolic dims: {})", kv, name,
          names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", ")));
    }
    int64_t value = 0;
    size_t used = 0;
    try {
      value = std::stoll(kv.substr(eq + 1), &used);
    } catch (...) {
      used = 0;
    }
    if (used == 0 || used != kv.size() - eq - 1) {
      return invalid_argument("--dim value in '{}' is not an integer", kv);
    }
    if (value < 1 || value > limits.max_batch) {
      return invalid_argument(
          "--dim {}: value must be 1 to {} (the batch limit; raise with --max-batch)", kv,
          limits.max_batch);
    }
    dims[name] = value;
  }
  return dims;
}

Result<std::vector<Tensor>> load_inputs(const std::string& model,
                                        const std::vector<TensorSpec>& specs,
                                        const InputSource& source, const Limits& limits) {
  RI_ASSIGN_OR_RETURN(auto dims, parse_dim_values(specs, source.dims, limits));
  if (!source.dir.empty()) return tooling::read_tensor_dir(source.dir, "input");
  if (!source.random) {
    auto sibling = std::filesystem::path(model).parent_path() / "test_data_set_0";
    if (std::filesystem::is_directory(sibling)) return tooling::read_tensor_dir(sibling.string(), "input");
  }
  tooling::RandomInputOptions options;
  options.seed = source.seed;
  options.dims = std::move(dims);
  options.max_tensor_bytes = limits.max_tensor_bytes;
  return tooling::random_inputs(specs, options);
}

int fail(const Status& status) {
  fmt::print(stderr, "error: {}\n", status.to_string());
  return 1;
}

}  // namespace recinfer::cli
