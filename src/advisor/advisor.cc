#include "advisor/advisor.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "onnx/model_loader.h"
#include "passes/pipeline.h"

namespace recinfer::advisor {
namespace {

struct RewritePass {
  const char* pass;
  const char* pattern;
  // The op type whose work the replacement still does (a Gemm fused with its activation is
  // still a Gemm): listed as evidence, but its time is not counted as gain.
  const char* carried = nullptr;
};

// The passes that remove exporter structure, with the name the doctor gives what they remove.
constexpr RewritePass kRewrites[] = {
    {"embedding-bag-fusion", "Loop-based EmbeddingBag (one Loop per table, one iteration per bag)"},
    {"masked-reduce-fusion", "NonZero/GatherND dynamic shapes pooled by a Reduce"},
    {"count-distinct-fusion", "Unique dynamic shapes counted by ReduceSum"},
    {"compare-count-fusion", "Equal/Greater/Less broadcast counted by Cast + ReduceSum"},
    {"masked-gather-fusion", "Where-masked Gather (negative ids) with temporaries"},
    {"dot-interaction-fusion", "BatchMatMul + lower-triangle Gather interaction"},
    {"gemm-activation-fusion", "Gemm and its activation as separate passes over memory", "Gemm"},
    {"fixed-bag-fusion", "fixed-length bag gathered in full (Gather -> [Mul] -> Reduce)"},
    {"broadcast-row-hoisting", "broadcast (Expand) rows recomputed in every row of a Gemm", "Gemm"},
    {"head-split-gemm", "per-head MatMul between two Transposes", "MatMul"},
};

std::string describe_tensors(const std::vector<profiler::TensorDesc>& tensors) {
  std::string out;
  for (const profiler::TensorDesc& t : tensors) {
    if (!t.present) continue;
    out += fmt::format("{}{} {}", out.empty() ? "" : " x ", dtype_name(t.dtype), t.shape.to_string());
  }
  return out;
}

// Top-level node name -> op name, after running `enabled` (every other pass disabled).
Result<std::map<std::string, std::string>> nodes_after(const std::string& path,
                                                       const std::vector<std::string>& enabled,
                                                       passes::PipelineReport* report) {
  RI_ASSIGN_OR_RETURN(onnx_io::LoadedModel model, onnx_io::load_model(path));
  passes::PipelineOptions options;
  for (const passes::PassInfo& p : passes::list_passes()) {
    if (std::find(enabled.begin(), enabled.end(), p.name) == enabled.end()) {
      options.disabled.push_back(p.name);
    }
  }
  RI_ASSIGN_OR_RETURN(passes::PipelineReport r, passes::optimize_graph(*model.graph, options));
  if (report != nullptr) *report = r;
  std::map<std::string, std::string> nodes;
  for (const ir::Node& node : model.graph->nodes) nodes[node.name] = std::string(ir::op_name(node.op));
  return nodes;
}

}  // namespace

OpTimes op_times(const profiler::Profile& profile, const std::vector<profiler::OpRow>& rows,
                 const profiler::Summary& summary) {
  OpTimes times;
  times.inference_us = summary.latency_mean_us;
  times.inferences = std::max<int64_t>(1, summary.inferences);
  for (const profiler::OpTotal& op : profiler::totals_by_op(rows)) times.by_name[op.name] = op;
  for (const profiler::OpRow& row : rows) {
    if (times.detail_by_name.count(row.info->name) == 0) {
      times.detail_by_name[row.info->name] = describe_tensors(*row.inputs);
    }
  }
  (void)profile;
  return times;
}

Result<std::vector<Finding>> find_pass_findings(const std::string& model_path, const OpTimes& times) {
  const std::vector<std::string> cleanup = {"constant-folding", "dead-code-elimination"};
  RI_ASSIGN_OR_RETURN(auto baseline, nodes_after(model_path, cleanup, nullptr));
  std::vector<Finding> findings;
  for (const RewritePass& rewrite : kRewrites) {
    std::vector<std::string> enabled = cleanup;
    enabled.push_back(rewrite.pass);
    passes::PipelineReport report;
    RI_ASSIGN_OR_RETURN(auto after, nodes_after(model_path, enabled, &report));
    const passes::PassReport* pass = nullptr;
    for (const auto& p : report.passes) {
      if (p.pass == rewrite.pass) pass = &p;
    }
    if (pass == nullptr || pass->matches == 0) continue;
    Finding f;
    f.pattern = rewrite.pattern;
    f.pass = rewrite.pass;
    f.matches = pass->matches;
    f.sites = pass->sites;
    // Removed: gone after the pass, or still there under the same name as a fused op.
    for (const auto& [name, op] : baseline) {
      auto it = after.find(name);
      if (it != after.end() && it->second == op) continue;
      ++f.removed_ops[op];
      auto t = times.by_name.find(name);
      if (t == times.by_name.end()) continue;  // folded at plan time: costs nothing now
      const double per_inference = t->second.total_us / static_cast<double>(times.inferences);
      const bool carried = rewrite.carried != nullptr && op == rewrite.carried;
      if (!carried) f.gain_us += per_inference;
      auto detail = times.detail_by_name.find(name);
      std::string what = detail != times.detail_by_name.end() ? detail->second : "";
      if (carried) what += "; its work remains in the replacement: not counted as gain";
      f.evidence.push_back({fmt::format("node '{}' ({})", name, op), what, per_inference});
    }
    std::sort(f.evidence.begin(), f.evidence.end(),
              [](const Evidence& a, const Evidence& b) { return a.mean_us > b.mean_us; });
    f.share = times.inference_us > 0 ? f.gain_us / times.inference_us : 0;
    findings.push_back(std::move(f));
  }
  rank_findings(findings);
  return findings;
}

void rank_findings(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) { return a.gain_us > b.gain_us; });
}

std::optional<Finding> staging_finding(const StagingObservation& obs) {
  if (obs.copies_per_inference <= 1.0) return std::nullopt;
  Finding f;
  f.pattern = "per-tensor input staging (one copy per input tensor)";
  f.fix = "--batched-input on: pack a request's inputs into one buffer, staged with one copy "
          "(or bound in place)";
  f.matches = static_cast<int>(obs.copies_per_inference + 0.5);
  // Upper bound: all of today's staging time (one copy of the same bytes remains).
  f.gain_us = obs.staging_p50_us;
  f.share = obs.latency_avg_us > 0 ? obs.staging_p50_us / obs.latency_avg_us : 0;
  f.evidence.push_back({fmt::format("{:.0f} staging copies per inference for {} input tensors, "
                                    "{:.1f} KiB", obs.copies_per_inference, obs.inputs,
                                    obs.staged_kib_per_inference),
                        "median staging time per inference", obs.staging_p50_us});
  return f;
}

std::string format_finding(int rank, const Finding& f, size_t max_evidence) {
  std::string removed;
  for (const auto& [op, count] : f.removed_ops) {
    removed += fmt::format("{}{}×{}", removed.empty() ? "" : ", ", op, count);
  }
  std::string out =
      f.fix.empty()
          ? fmt::format("{:>2}. {} — {} match{}, est. gain {:.1f} µs/inference ({:.1f}%, the "
                        "measured time of the ops it removes)\n",
                        rank, f.pattern, f.matches, f.matches == 1 ? "" : "es", f.gain_us,
                        100.0 * f.share)
          : fmt::format("{:>2}. {} — est. gain up to {:.1f} µs/inference ({:.1f}% of the request "
                        "latency, the measured staging time)\n",
                        rank, f.pattern, f.gain_us, 100.0 * f.share);
  for (size_t i = 0; i < f.evidence.size() && i < max_evidence; ++i) {
    const Evidence& e = f.evidence[i];
    out += fmt::format("      evidence: {} {:.1f} µs{}\n", e.node, e.mean_us,
                       e.detail.empty() ? "" : "  [" + e.detail + "]");
  }
  if (f.evidence.size() > max_evidence) {
    out += fmt::format("      ... and {} more timed nodes\n", f.evidence.size() - max_evidence);
  }
  if (!f.fix.empty()) {
    out += fmt::format("      fix: {}\n", f.fix);
    return out;
  }
  out += fmt::format("      fix: pass {} (on by default; `--disable-pass {}` turns it off) removes {}\n",
                     f.pass, f.pass, removed);
  if (!f.sites.empty()) out += fmt::format("      e.g. {}\n", f.sites.front());
  return out;
}

}  // namespace recinfer::advisor
