// recinfer conformance CASE_DIR...: runs ONNX backend test cases (model.onnx +
// test_data_set_*/{input,output}_<k>.pb) and prints PASS/FAIL/SKIP per case and a summary line.
// SKIP means recinfer reported the model or data unsupported, and says which kind: a
// training-only op, a random output (no stored reference can match a random draw), a string op,
// a sequence/optional type -- the kinds recinfer leaves out by design -- or, for anything else,
// "unsupported", a gap to close. The summary counts each kind.
#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "cli_util.h"
#include "commands.h"
#include "onnx/model_loader.h"
#include "onnx/model_survey.h"
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

// Why a case is skipped. All but kUnsupported are outside recinfer's scope by design.
enum class SkipKind { kTrainingOnly, kRandomOutput, kStringOp, kSequenceOptional, kUnsupported };
constexpr int kSkipKinds = 5;

const char* skip_kind_name(SkipKind kind) {
  switch (kind) {
    case SkipKind::kTrainingOnly: return "training-only op";
    case SkipKind::kRandomOutput: return "random output";
    case SkipKind::kStringOp: return "string op";
    case SkipKind::kSequenceOptional: return "sequence/optional type";
    case SkipKind::kUnsupported: return "unsupported";
  }
  return "unsupported";
}

struct CaseResult {
  Outcome outcome = Outcome::kPass;
  std::string detail;
  SkipKind skip = SkipKind::kUnsupported;
};

// An unsupported case's kind, from what the model holds (read without loading it).
CaseResult skip_case(const fs::path& model, const std::string& message) {
  SkipKind kind = SkipKind::kUnsupported;
  std::string cause;
  if (auto survey = onnx_io::survey_model(model.string()); survey.is_ok()) {
    if (!survey->training_op.empty()) {
      kind = SkipKind::kTrainingOnly;
      cause = survey->training_op;
    } else if (!survey->string_use.empty()) {
      kind = SkipKind::kStringOp;
      cause = survey->string_use;
    } else if (!survey->sequence_use.empty()) {
      kind = SkipKind::kSequenceOptional;
      cause = survey->sequence_use;
    }
  }
  const std::string because = cause.empty() ? "" : " because of " + cause;
  return {Outcome::kSkip, fmt::format("({}{}) {}", skip_kind_name(kind), because, message), kind};
}

CaseResult classify(const fs::path& model, const Status& status, const std::string& what) {
  if (status.code() == StatusCode::kUnsupported) return skip_case(model, status.message());
  return {Outcome::kFail, what + ": " + status.to_string()};
}

// ONNX 1.12's test data store bfloat16 tensors as uint16 (its numpy has no bfloat16): take them
// as the bfloat16 the model declares.
void adopt_bfloat16(std::vector<Tensor>& tensors, const std::vector<TensorSpec>& specs) {
  for (size_t i = 0; i < tensors.size() && i < specs.size(); ++i) {
    Tensor& t = tensors[i];
    if (specs[i].dtype != DType::kBFloat16 || t.dtype() != DType::kUint16) continue;
    auto copy = Tensor::allocate(DType::kBFloat16, t.shape());
    if (!copy.is_ok()) continue;
    if (t.numel() > 0) std::memcpy(copy->raw(), t.raw(), t.bytes());
    t = std::move(copy).value();
  }
}

// ONNX 1.12's bfloat16 CastLike cases declare 'like' as (3, 4) but store a 1-element tensor
// (the float16 cases declare (1)). CastLike reads only its dtype; a 1-element input whose model
// declares another fixed shape is broadcast to that shape, and the case says so. Returns how
// many inputs were.
int fit_scalar_inputs(std::vector<Tensor>& tensors, const std::vector<TensorSpec>& specs) {
  int fitted = 0;
  for (size_t i = 0; i < tensors.size() && i < specs.size(); ++i) {
    Tensor& t = tensors[i];
    const TensorSpec& spec = specs[i];
    if (!spec.has_shape || t.numel() != 1 || spec.dims.empty() ||
        spec.dims.size() > static_cast<size_t>(Shape::kMaxRank)) {
      continue;
    }
    if (std::any_of(spec.dims.begin(), spec.dims.end(), [](int64_t d) { return d < 1; })) continue;
    Shape declared;
    for (int64_t d : spec.dims) declared.push_back(d);
    if (declared == t.shape()) continue;
    auto full = Tensor::allocate(t.dtype(), declared);
    if (!full.is_ok()) continue;
    const size_t size = dtype_size(t.dtype());
    for (int64_t k = 0; k < full->numel(); ++k) {
      std::memcpy(static_cast<char*>(full->raw()) + k * static_cast<int64_t>(size), t.raw(), size);
    }
    t = std::move(full).value();
    ++fitted;
  }
  return fitted;
}

// The references of bfloat16 outputs in ONNX 1.12's data were made by truncating float32;
// recinfer rounds to nearest even (ONNX Runtime, numpy-style casts, and the Cast spec since
// opset 19), so they may differ by one bfloat16 step (2^-7 relative at most).
tooling::Tolerance tolerance_for(const std::vector<Tensor>& expected) {
  tooling::Tolerance tol = ConformanceArgs{}.tol;
  for (const Tensor& t : expected) {
    if (t.dtype() == DType::kBFloat16) tol.rtol = 1.0 / 128;
  }
  return tol;
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
  const fs::path model = dir / "model.onnx";
  auto session = Session::load(model.string());
  if (!session.is_ok()) return classify(model, session.status(), "load");
  std::vector<fs::path> sets;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_directory() && entry.path().filename().string().rfind("test_data_set_", 0) == 0) {
      sets.push_back(entry.path());
    }
  }
  std::sort(sets.begin(), sets.end());
  if (sets.empty()) return {Outcome::kFail, "no test_data_set_* folder"};
  int broadcast_inputs = 0;
  for (const fs::path& set : sets) {
    auto inputs = tooling::read_tensor_dir(set.string(), "input");
    if (!inputs.is_ok()) return classify(model, inputs.status(), set.filename().string() + " inputs");
    auto expected = tooling::read_tensor_dir(set.string(), "output");
    if (!expected.is_ok()) {
      return classify(model, expected.status(), set.filename().string() + " outputs");
    }
    adopt_bfloat16(*inputs, (*session)->inputs());
    adopt_bfloat16(*expected, (*session)->outputs());
    broadcast_inputs += fit_scalar_inputs(*inputs, (*session)->inputs());
    std::vector<Tensor> outputs;
    Status st = (*session)->run(*inputs, outputs);
    if (!st.is_ok()) return classify(model, st, set.filename().string());
    // Run first, so that a random op that fails still fails the case; only the comparison
    // is skipped.
    if (const std::string random = random_op_in(dir / "model.onnx"); !random.empty()) {
      return {Outcome::kSkip, "(random output) " + random, SkipKind::kRandomOutput};
    }
    auto cmp = tooling::compare_outputs(outputs, *expected, tolerance_for(*expected));
    if (!cmp.ok) return {Outcome::kFail, set.filename().string() + ": " + cmp.message};
  }
  return {Outcome::kPass,
          fmt::format("{} data set{}{}", sets.size(), sets.size() == 1 ? "" : "s",
                      broadcast_inputs == 0
                          ? ""
                          : fmt::format("; {} one-element input(s) broadcast to the declared shape",
                                        broadcast_inputs))};
}

int conformance_command(const ConformanceArgs& args) {
  int passed = 0, failed = 0, skipped = 0;
  std::array<int, kSkipKinds> skipped_by_kind{};
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
        ++skipped_by_kind[static_cast<size_t>(r.skip)];
        if (!args.quiet) fmt::print("SKIP {}: {}\n", name, r.detail);
        break;
    }
    std::fflush(stdout);
  }
  std::string kinds;
  for (int k = 0; k < kSkipKinds; ++k) {
    if (skipped_by_kind[static_cast<size_t>(k)] == 0) continue;
    kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", skipped_by_kind[static_cast<size_t>(k)],
                         skip_kind_name(static_cast<SkipKind>(k)));
  }
  fmt::print("{} passed, {} failed, {} skipped{}\n", passed, failed, skipped,
             kinds.empty() ? "" : " (" + kinds + ")");
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
