// `--ids` / `--bag-length` for `recinfer bench`: a pool of fresh requests drawn before timing
// (tooling/request_generator.h), so that every timed request looks up new rows, as production
// traffic does, instead of one input set whose rows stay in cache.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli_util.h"
#include "recinfer/engine.h"

namespace recinfer::cli {

struct TrafficFlags {
  std::string ids;         // "zipf:1.05[,seed]" or "uniform[:seed]"; "" = reuse one input set
  std::string bag_length;  // "fixed:N", "uniform:A,B", "poisson:MEAN"; "" = from --dim
  bool given() const { return !ids.empty(); }
};
void add_traffic_options(CLI::App& cmd, TrafficFlags& flags);

// The requests a benchmark cycles through: one reused set, or many fresh ones.
using RequestSet = std::vector<std::vector<Tensor>>;

// Up to `count` fresh requests of `batch` rows (0 = the batch --dim gives, else 1) for the
// model, capped at 256 MiB of inputs (at least one); packed into `packed` (one PackedRequest
// per request, kept alive by the caller) when `pack`. `description` receives what was drawn.
Result<RequestSet> fresh_requests(const std::string& model, const std::vector<TensorSpec>& specs,
                                  const TrafficFlags& flags, const InputSource& source,
                                  int64_t batch, int count, const Limits& limits, bool pack,
                                  std::vector<PackedRequest>* packed, std::string* description);

}  // namespace recinfer::cli
