// recinfer inspect MODEL: inputs/outputs, op histogram (subgraphs included), op coverage, weight
// bytes and the ops that make shapes data-dependent. A model that does not load still gets its
// histogram and coverage line (read from the file as is), and a non-zero exit.
#include <map>
#include <set>

#include <fmt/format.h>

#include "cli_util.h"
#include "commands.h"
#include "kernels/registry.h"
#include "onnx/model_loader.h"
#include "onnx/model_survey.h"
#include "runtime/plan.h"

namespace recinfer::cli {

namespace {

struct InspectArgs {
  std::string model;
  std::vector<std::string> dims;
  LimitFlags limits;
};

bool is_dynamic_shape_op(ir::OpType op) {
  return op == ir::OpType::kNonZero || op == ir::OpType::kUnique || op == ir::OpType::kLoop;
}

void walk(const ir::Graph& g, int depth, std::map<std::string, int>& histogram, size_t& weight_bytes,
          size_t& weight_tensors, std::vector<std::string>& dynamic) {
  for (const ir::Value& v : g.values) {
    if (v.constant) {
      weight_bytes += v.constant->bytes();
      ++weight_tensors;
    }
  }
  for (const ir::Node& node : g.nodes) {
    std::string name(ir::op_name(node.op));
    ++histogram[depth == 0 ? name : name + " (in subgraph)"];
    if (is_dynamic_shape_op(node.op)) dynamic.push_back(node.describe());
    for (const auto& [key, attr] : node.attributes) {
      if (attr.kind == ir::Attribute::Kind::kGraph && attr.graph) {
        walk(*attr.graph, depth + 1, histogram, weight_bytes, weight_tensors, dynamic);
      }
      if (attr.kind == ir::Attribute::Kind::kTensor) weight_bytes += attr.tensor.bytes();
    }
  }
}

std::string describe_spec(const TensorSpec& spec) {
  std::string dims;
  if (!spec.has_shape) {
    dims = "(unknown shape)";
  } else {
    dims = "(";
    for (size_t d = 0; d < spec.dims.size(); ++d) {
      if (d) dims += ",";
      dims += spec.dims[d] >= 0 ? std::to_string(spec.dims[d])
                                : (spec.dim_names[d].empty() ? "?" : spec.dim_names[d]);
    }
    dims += ")";
  }
  return fmt::format("{:<24} {:<8} {}", spec.name, dtype_name(spec.dtype), dims);
}

// Plans the graph with symbolic dims bound (default 1) and reports what stays dynamic.
void print_plan_summary(const std::shared_ptr<const ir::Graph>& graph, const Session& session,
                        const InspectArgs& args, const std::map<std::string, int64_t>& dims) {
  std::vector<std::optional<runtime::InputBinding>> bindings;
  std::string bound;
  for (const TensorSpec& spec : session.inputs()) {
    if (!spec.has_shape) {
      bindings.emplace_back(std::nullopt);
      continue;
    }
    runtime::InputBinding b{spec.dtype, Shape{}};
    for (size_t d = 0; d < spec.dims.size(); ++d) {
      int64_t v = spec.dims[d];
      if (v < 0) {
        auto it = dims.find(spec.dim_names[d]);
        v = it != dims.end() ? it->second : 1;
        if (bound.find(spec.dim_names[d] + "=") == std::string::npos) {
          bound += fmt::format(" {}={}", spec.dim_names[d].empty() ? "?" : spec.dim_names[d], v);
        }
      }
      b.shape.push_back(v);
    }
    bindings.emplace_back(b);
  }
  auto compiled = runtime::CompiledGraph::compile(graph, kernels::KernelVariant::kOptimized);
  if (!compiled.is_ok()) return;
  runtime::PlanOptions plan_options;
  plan_options.limits = args.limits.limits;
  auto plan = runtime::build_plan(**compiled, bindings, plan_options);
  if (!plan.is_ok()) {
    fmt::print("plan (with{}): {}\n", bound, plan.status().to_string());
    return;
  }
  const runtime::Plan& p = **plan;
  fmt::print("plan (with{}): {} steps ({} dynamic), {} nodes folded, {} views aliased, arena {:.1f} KiB\n",
             bound.empty() ? " no symbolic dims" : bound, p.steps.size(), p.stats.dynamic_steps,
             p.stats.folded_nodes, p.stats.aliased_values, static_cast<double>(p.arena_bytes) / 1024.0);
  // Root causes: dynamic steps whose inputs were all static (the shape depends on data).
  for (const runtime::Step& step : p.steps) {
    if (!step.dynamic) continue;
    bool root = true;
    for (int s : step.input_slots) {
      if (s >= 0 && p.slots[static_cast<size_t>(s)].kind == runtime::SlotKind::kDynamic) root = false;
    }
    if (root) fmt::print("  data-dependent shape: {}\n", graph->nodes[static_cast<size_t>(step.node)].describe());
  }
}

void print_histogram(const std::map<std::string, int>& histogram) {
  int total = 0;
  for (const auto& [op, count] : histogram) total += count;
  fmt::print("ops: {} nodes\n", total);
  std::vector<std::pair<int, std::string>> sorted;
  for (const auto& [op, count] : histogram) sorted.emplace_back(-count, op);
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [neg, op] : sorted) fmt::print("  {:>6}  {}\n", -neg, op);
}

// "coverage: 35 of 37 op types supported; unsupported: Foo (2 nodes, first 'x'), ..."
// Returns whether every op type is supported.
bool print_coverage(const onnx_io::ModelSurvey& survey) {
  std::set<std::string> types;
  for (const auto& [op, count] : survey.histogram) types.insert(op.substr(0, op.find(' ')));
  const size_t total = types.size();
  const auto& missing = survey.coverage.unsupported;
  std::string line = fmt::format("coverage: {} of {} op types supported", total - missing.size(), total);
  for (size_t i = 0; i < missing.size(); ++i) {
    const onnx_io::UnsupportedOp& op = missing[i];
    line += fmt::format("{}{}{} ({} node{}, first '{}')", i == 0 ? "; unsupported: " : ", ",
                        op.domain.empty() ? "" : op.domain + ".", op.op_type, op.nodes,
                        op.nodes == 1 ? "" : "s", op.first_node);
  }
  fmt::print("{}\n", line);
  return missing.empty();
}

// A model that does not load: what can be read of it, then the load error.
int inspect_unloadable(const InspectArgs& args, const onnx_io::ModelSurvey& survey,
                       const Status& load_error) {
  fmt::print("model {}\n  producer: {}  ir_version {}  opset {}\n", args.model, survey.producer,
             survey.ir_version, survey.opset);
  print_histogram(survey.histogram);
  print_coverage(survey);
  return fail(load_error);
}

int inspect_command(const InspectArgs& args) {
  auto survey = onnx_io::survey_model(args.model, &kernels::is_supported_op);
  if (!survey.is_ok()) return fail(survey.status());
  onnx_io::LoadOptions load;
  load.limits = args.limits.limits;
  load.allow_external_hardlinks = args.limits.allow_hardlinks;
  auto model = onnx_io::load_model(args.model, load);
  if (!model.is_ok()) return inspect_unloadable(args, *survey, model.status());
  const ir::Graph& g = *model->graph;
  fmt::print("model {}\n  producer: {}  ir_version {}  opset {}\n", args.model, model->producer,
             model->ir_version, model->opset);
  SessionOptions options;
  args.limits.apply(options);
  auto session = Session::load(args.model, options);
  std::map<std::string, int64_t> dims;
  if (session.is_ok()) {
    auto parsed = parse_dim_values((*session)->inputs(), args.dims, args.limits.limits);
    if (!parsed.is_ok()) return fail(parsed.status());
    dims = std::move(parsed).value();
    fmt::print("inputs:\n");
    for (const auto& s : (*session)->inputs()) fmt::print("  {}\n", describe_spec(s));
    fmt::print("outputs:\n");
    for (const auto& s : (*session)->outputs()) fmt::print("  {}\n", describe_spec(s));
  } else {
    fmt::print("not runnable: {}\n", session.status().to_string());
  }
  std::map<std::string, int> histogram;
  size_t weight_bytes = 0, weight_tensors = 0;
  std::vector<std::string> dynamic;
  walk(g, 0, histogram, weight_bytes, weight_tensors, dynamic);
  print_histogram(histogram);
  const bool covered = print_coverage(*survey);
  fmt::print("weights: {} tensors, {:.2f} MiB\n", weight_tensors,
             static_cast<double>(weight_bytes) / (1024.0 * 1024.0));
  fmt::print("dynamic-shape ops: {}\n", dynamic.size());
  for (const auto& d : dynamic) fmt::print("  {}\n", d);
  if (session.is_ok()) print_plan_summary(model->graph, **session, args, dims);
  return covered && session.is_ok() ? 0 : 1;
}

}  // namespace

void add_inspect_command(CLI::App& app) {
  auto args = std::make_shared<InspectArgs>();
  CLI::App* cmd = app.add_subcommand("inspect", "describe a model");
  add_model_option(*cmd, args->model)->required();
  cmd->add_option("--dim", args->dims, "value for a symbolic dim when planning, e.g. --dim batch=128");
  add_limit_options(*cmd, args->limits);
  cmd->callback([args] { exit_code() = inspect_command(*args); });
}

}  // namespace recinfer::cli
