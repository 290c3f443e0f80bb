// The advisor behind `recinfer doctor`: given a model as exported and a profile of it run as is,
// finds the structures a graph pass removes, and ranks them by the measured time of the ops each
// pass would remove (evidence: node names, op types with shapes and dtypes, time, share).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "profiler/analysis.h"
#include "recinfer/status.h"

namespace recinfer::advisor {

struct Evidence {
  std::string node;      // "node '/tables.0/Loop' (Loop)"
  std::string detail;    // input shapes and dtypes as the profile saw them
  double mean_us = 0;    // per inference
};

struct Finding {
  std::string pattern;   // e.g. "Loop-based EmbeddingBag"
  std::string pass;      // the pass that removes it (on by default); empty for engine findings
  std::string fix;       // engine findings: the flag that fixes it (e.g. "--batched-input on")
  int matches = 0;
  std::map<std::string, int> removed_ops;  // op type -> count of nodes the pass removes
  double gain_us = 0;    // measured time of the removed nodes, per inference
  double share = 0;      // of the profiled inference time
  std::vector<Evidence> evidence;  // the costliest removed nodes first
  std::vector<std::string> sites;  // the pass report's match lines
};

// Op times of the unoptimised run, by node name (a Loop's time includes its body).
struct OpTimes {
  std::map<std::string, profiler::OpTotal> by_name;
  std::map<std::string, std::string> detail_by_name;  // "Equal int64 (400,1) x int64 (1,4000)"
  double inference_us = 0;  // mean latency
  int64_t inferences = 1;   // profiled inferences the totals cover
};

OpTimes op_times(const profiler::Profile& profile, const std::vector<profiler::OpRow>& rows,
                 const profiler::Summary& summary);

// One finding per rewrite pass that matches `model_path`, sorted by gain (largest first).
Result<std::vector<Finding>> find_pass_findings(const std::string& model_path, const OpTimes& times);

std::string format_finding(int rank, const Finding& finding, size_t max_evidence = 4);

// What the engine measured about input staging with the configuration as given.
struct StagingObservation {
  int inputs = 0;                    // input tensors per request
  double copies_per_inference = 0;
  double staged_kib_per_inference = 0;
  double staging_p50_us = 0;         // median staging time of one inference
  double latency_avg_us = 0;         // per request, staging included
};

// The per-tensor staging finding (one copy per input tensor, fixed by --batched-input on), or
// nullopt when staging already moves at most one copy per inference.
std::optional<Finding> staging_finding(const StagingObservation& obs);

// Sorts findings of every kind by estimated gain, largest first.
void rank_findings(std::vector<Finding>& findings);

}  // namespace recinfer::advisor
