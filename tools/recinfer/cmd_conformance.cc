// recinfer conformance CASE_DIR...: runs ONNX backend test cases (model.onnx +
// test_data_set_*/{input,output}_<k>.pb) and prints PASS/FAIL/SKIP per case and a summary line.
// SKIP means recinfer reported the model or data unsupported (op, dtype, attribute), with why,
// or that the model's outputs are random draws that no stored reference can match.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "cli_util.h"
#include "commands.h"
#include "onnx/model_loader.h"
#include "tooling/tensor_compare.h"

namespace recinfer::cli {

namespace fs = std::filesystem;

namespace {

struct ConformanceArgs {
  std::vector<std::string> cases;
  bool quiet = false;
  int expect_passed = 0;  // fail when fewer cases pass (catches passes silently turning into skips)
  tooling::Tolerance tol{1e-7, 1e-3};  // the ONNX backend test defaults
};

enum class Outcome { kPass, kFail, kSkip };

struct CaseResult {
  Outcome outcome = Outcome::kPass;
  std::string detail;
};

CaseResult classify(const Status& status, const std::string& what) {
  if (status.code() == StatusCode::kUnsupported) return {Outcome::kSkip, status.message()};
  return {Outcome::kFail, what + ": " + status.to_string()};
}

// Ops whose outputs are random draws: a reference output can only match by chance.
bool is_random_op(ir::OpType op) {
  switch (op) {
    case ir::OpType::kRandomNormal:
    case ir::OpType::kRandomNormalLike:
    case ir::OpType::kRandomUniform:
    case ir::OpType::kRandomUniformLike:
    case ir::OpType::kBernoulli:
      return true;
    default:
      return false;
  }
}

// The random op of the model's main graph that makes its outputs unverifiable, or "" when
// there is none (or the model cannot be read, which the session load reports itself).
std::string random_op_in(const fs::path& model) {
  auto loaded = onnx_io::load_model(model.string());
  if (!loaded.is_ok()) return "";
  for (const ir::Node& node : loaded->graph->nodes) {
    if (is_random_op(node.op)) return node.describe();
  }
  return "";
}

CaseResult run_case(const fs::path& dir) {
  auto session = Session::load((dir / "model.onnx").string());
  if (!session.is_ok()) return classify(session.status(), "load");
  std::vector<fs::path> sets;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory() && entry.path().filename().string().rfind("test_data_set_", 0) == 0) {
      sets.push_back(entry.path());
    }
  }
  std::sort(sets.begin(), sets.end());
  if (sets.empty()) return {Outcome::kFail, "no test_data_set_* folder"};
  for (const fs::path& set : sets) {
    auto inputs = tooling::read_tensor_dir(set.string(), "input");
    if (!inputs.is_ok()) return classify(inputs.status(), set.filename().string() + " inputs");
    auto expected = tooling::read_tensor_dir(set.string(), "output");
    if (!expected.is_ok()) return classify(expected.status(), set.filename().string() + " outputs");
    std::vector<Tensor> outputs;
    Status st = (*session)->run(*inputs, outputs);
    if (!st.is_ok()) return classify(st, set.filename().string());
    // Run first, so that a random op that fails still fails the case; only the comparison
    // is skipped.
    if (const std::string random = random_op_in(dir / "model.onnx"); !random.empty()) {
      return {Outcome::kSkip, "random output (" + random + ")"};
    }
    auto cmp = tooling::compare_outputs(outputs, *expected, ConformanceArgs{}.tol);
    if (!cmp.ok) return {Outcome::kFail, set.filename().string() + ": " + cmp.message};
  }
  return {Outcome::kPass, fmt::format("{} data set{}", sets.size(), sets.size() == 1 ? "" : "s")};
}

int conformance_command(const ConformanceArgs& args) {
  int passed = 0, failed = 0, skipped = 0;
  for (const std::string& c : args.cases) {
    fs::path dir(c);
    if (!fs::exists(dir / "model.onnx")) continue;  // globs may match stray files
    CaseResult r = run_case(dir);
    const std::string name = dir.filename().string();
    switch (r.outcome) {
      case Outcome::kPass:
        ++passed;
        if (!args.quiet) fmt::print("PASS {} ({})\n", name, r.detail);
        break;
      case Outcome::kFail:
        ++failed;
        fmt::print("FAIL {}: {}\n", name, r.detail);
        break;
      case Outcome::kSkip:
        ++skipped;
        if (!args.quiet) fmt::print("SKIP {}: {}\n", name, r.detail);
        break;
    }
    std::fflush(stdout);
  }
  fmt::print("{} passed, {} failed, {} skipped\n", passed, failed, skipped);
  if (passed < args.expect_passed) {
    fmt::print("error: expected at least {} passing cases, got {}\n", args.expect_passed, passed);
    return 1;
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace

void add_conformance_command(CLI::App& app) {
  auto args = std::make_shared<ConformanceArgs>();
  CLI::App* cmd = app.add_subcommand("conformance", "run ONNX backend test cases");
  cmd->add_option("cases", args->cases, "test case folders (model.onnx + test_data_set_*)")->required();
  cmd->add_flag("--quiet", args->quiet, "print only failures and the summary");
  cmd->add_option("--expect-passed", args->expect_passed, "fail if fewer cases pass")
      ->check(at_least(0));
  cmd->callback([args] { exit_code() = conformance_command(*args); });
}

}  // namespace recinfer::cli
