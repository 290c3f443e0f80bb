// recinfer compare GOT_DIR REF_DIR: output_<k>.pb files against references.
#include <fmt/format.h>

#include "cli_util.h"
#include "commands.h"
#include "tooling/tensor_compare.h"

namespace recinfer::cli {

namespace {
struct CompareArgs {
  std::string got;
  std::string ref;
  tooling::Tolerance tol;
};

int compare_command(const CompareArgs& args) {
  auto got = tooling::read_tensor_dir(args.got, "output");
  if (!got.is_ok()) return fail(got.status());
  auto ref = tooling::read_tensor_dir(args.ref, "output");
  if (!ref.is_ok()) return fail(ref.status());
  if (ref->empty()) return fail(invalid_argument("no output_<k>.pb in '{}'", args.ref));
  auto result = tooling::compare_outputs(*got, *ref, args.tol);
  if (!result.ok) {
    fmt::print("MISMATCH {}: {}\n", args.got, result.message);
    return 1;
  }
  fmt::print("MATCH {} outputs (max |err| {:.3g}, {} TopK tie swaps)\n", ref->size(),
             result.max_abs_error, result.tie_swaps);
  return 0;
}
}  // namespace

void add_compare_command(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* cmd = app.add_subcommand("compare", "compare output_<k>.pb files with references");
  cmd->add_option("got", args->got, "folder with outputs to check")->required();
  cmd->add_option("reference", args->ref, "folder with reference outputs")->required();
  cmd->add_option("--atol", args->tol.atol, "absolute tolerance for floats")
      ->check(non_negative_number());
  cmd->add_option("--rtol", args->tol.rtol, "relative tolerance for floats")
      ->check(non_negative_number());
  cmd->callback([args] { exit_code() = compare_command(*args); });
}

}  // namespace recinfer::cli
