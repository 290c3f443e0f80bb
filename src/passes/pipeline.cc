#include "passes/pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <set>

#include "ir/verifier.h"
#include "passes/batch_norm_folding.h"
#include "passes/broadcast_row_hoisting.h"
#include "passes/chain_collapse.h"
#include "passes/compare_count_fusion.h"
#include "passes/constant_folding.h"
#include "passes/count_distinct_fusion.h"
#include "passes/dead_code_elimination.h"
#include "passes/dot_interaction_fusion.h"
#include "passes/embedding_bag_fusion.h"
#include "passes/embedding_bag_grouping.h"
#include "passes/embedding_bag_offsets.h"
#include "passes/expand_matmul_folding.h"
#include "passes/fixed_bag_fusion.h"
#include "passes/gelu_fusion.h"
#include "passes/gemm_activation_fusion.h"
#include "passes/gemm_weight_layout.h"
#include "passes/head_split_gemm.h"
#include "passes/identity_elimination.h"
#include "passes/if_folding.h"
#include "passes/masked_gather_fusion.h"
#include "passes/masked_lookup_reduce.h"
#include "passes/masked_reduce_fusion.h"
#include "passes/matmul_to_gemm.h"
#include "passes/packed_lookup_fusion.h"
#include "passes/unrolled_bag_fusion.h"

namespace recinfer::passes {
namespace {

// The order matters: folding first turns Constant nodes into constants the matchers read;
// chain collapse leaves Identity nodes for identity elimination;
// CountDistinct before CompareCount (both end in Cast -> ReduceSum); MaskedGather before
// MaskedReduce is not required (MaskedReduce reads the masked values whatever made them);
// transposes fold into a Gemm before it absorbs its activation; weight layout after every pass
// that makes or rewires Gemms; grouping after every
// EmbeddingBag exists; dead code last.
std::vector<std::unique_ptr<Pass>> make_pipeline(const PipelineOptions& options) {
  std::vector<std::unique_ptr<Pass>> passes;
  passes.push_back(make_constant_folding(options.fold_max_elements));
  passes.push_back(make_if_folding());
  passes.push_back(make_chain_collapse());
  passes.push_back(make_identity_elimination());
  passes.push_back(make_gelu_fusion());
  passes.push_back(make_embedding_bag_fusion());
  passes.push_back(make_embedding_bag_offsets());
  passes.push_back(make_fixed_bag_fusion());
  passes.push_back(make_unrolled_bag_fusion());
  passes.push_back(make_masked_gather_fusion());
  passes.push_back(make_masked_reduce_fusion());
  passes.push_back(make_masked_lookup_reduce());
  passes.push_back(make_count_distinct_fusion());
  passes.push_back(make_compare_count_fusion());
  passes.push_back(make_dot_interaction_fusion());
  passes.push_back(make_packed_lookup_fusion());  // after dot-interaction reads its Concat
  passes.push_back(make_expand_matmul_folding());
  passes.push_back(make_batch_norm_folding());  // before matmul-to-gemm takes its bias Add
  passes.push_back(make_matmul_to_gemm());
  passes.push_back(make_gemm_transpose_folding());
  passes.push_back(make_gemm_activation_fusion());
  passes.push_back(make_broadcast_row_hoisting());
  passes.push_back(make_head_split_gemm());
  passes.push_back(make_gemm_weight_layout());
  passes.push_back(make_embedding_bag_grouping());
  passes.push_back(make_dead_code_elimination());
  return passes;
}

void count_into(const ir::Graph& graph, GraphCounts& counts) {
  for (const ir::Node& node : graph.nodes) {
    ++counts.nodes;
    if (node.op == ir::OpType::kLoop || node.op == ir::OpType::kNonZero ||
        node.op == ir::OpType::kUnique || node.op == ir::OpType::kIf ||
        node.op == ir::OpType::kCompress) {
      ++counts.dynamic_ops;
    }
    for (const auto& [key, attribute] : node.attributes) {
      if (attribute.kind == ir::Attribute::Kind::kGraph && attribute.graph) {
        count_into(*attribute.graph, counts);
      }
    }
  }
}

void collect_names(const ir::Graph& graph, std::set<std::string>& names) {
  for (const ir::Node& node : graph.nodes) {
    names.insert(node.name);
    for (const auto& [key, attribute] : node.attributes) {
      if (attribute.kind == ir::Attribute::Kind::kGraph && attribute.graph) {
        collect_names(*attribute.graph, names);
      }
    }
  }
}

// A miss of one pass may be another's match (or a later one's): keep only the candidates that
// are still in the graph.
void drop_resolved_misses(const ir::Graph& graph, PipelineReport& report) {
  std::set<std::string> names;
  collect_names(graph, names);
  for (PassReport& pass : report.passes) {
    std::erase_if(pass.misses, [&](const PassReport::Miss& m) { return !names.contains(m.node); });
  }
}

}  // namespace

std::vector<PassInfo> list_passes() {
  std::vector<PassInfo> out;
  for (const auto& pass : make_pipeline({})) {
    out.push_back({std::string(pass->name()), std::string(pass->summary())});
  }
  return out;
}

GraphCounts count_graph(const ir::Graph& graph) {
  GraphCounts counts;
  count_into(graph, counts);
  return counts;
}

Result<PipelineReport> optimize_graph(ir::Graph& graph, const PipelineOptions& options) {
  auto passes = make_pipeline(options);
  for (const std::string& name : options.disabled) {
    bool known = std::any_of(passes.begin(), passes.end(),
                             [&](const auto& p) { return p->name() == name; });
    if (!known) {
      std::string names;
      for (const auto& p : passes) names += fmt::format("{}{}", names.empty() ? "" : ", ", p->name());
      return invalid_argument("unknown pass '{}' (passes: {})", name, names);
    }
  }
  PipelineReport report;
  report.disabled = options.disabled;
  report.before = count_graph(graph);
  for (const auto& pass : passes) {
    if (std::find(options.disabled.begin(), options.disabled.end(), pass->name()) !=
        options.disabled.end()) {
      continue;
    }
    PassReport pass_report;
    pass_report.pass = std::string(pass->name());
    Status status = pass->run(graph, pass_report);
    if (status.is_ok()) status = ir::verify_graph(graph);
    if (!status.is_ok()) return status.with_context(fmt::format("pass {}", pass->name()));
    report.passes.push_back(std::move(pass_report));
  }
  report.after = count_graph(graph);
  drop_resolved_misses(graph, report);
  return report;
}

std::string PipelineReport::to_string(bool with_sites) const {
  std::string out;
  for (const PassReport& p : passes) {
    out += fmt::format("  {:<24} {} match{}\n", p.pass, p.matches, p.matches == 1 ? "" : "es");
    if (!with_sites) continue;
    for (const std::string& site : p.sites) out += fmt::format("      {}\n", site);
    for (const PassReport::Miss& m : p.misses) out += fmt::format("      left {}\n", m.why);
  }
  for (const std::string& d : disabled) out += fmt::format("  {:<24} disabled\n", d);
  out += fmt::format("  nodes {} -> {}, dynamic-shape ops (Loop/NonZero/Unique/If/Compress) {} -> {}\n",
                     before.nodes, after.nodes, before.dynamic_ops, after.dynamic_ops);
  return out;
}

}  // namespace recinfer::passes
