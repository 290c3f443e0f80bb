#include "request_pool.h"

#include <algorithm>

#include <fmt/format.h>

#include "tooling/batching.h"
#include "tooling/id_ranges.h"
#include "tooling/request_generator.h"

namespace recinfer::cli {
namespace {

constexpr size_t kPoolBytes = size_t{256} << 20;

size_t bytes_of(const std::vector<Tensor>& request) {
  size_t bytes = 0;
  for (const Tensor& t : request) bytes += t.bytes();
  return bytes;
}

}  // namespace

void add_traffic_options(CLI::App& cmd, TrafficFlags& flags) {
  cmd.add_option("--ids", flags.ids,
                 "fresh ids per request over each table's rows: zipf:S[,SEED] (skew S, e.g. "
                 "1.05) or uniform[:SEED]; default: one input set reused");
  cmd.add_option("--bag-length", flags.bag_length,
                 "with --ids: EmbeddingBag lengths per bag: fixed:N, uniform:A,B or poisson:MEAN");
}

Result<RequestSet> fresh_requests(const std::string& model, const std::vector<TensorSpec>& specs,
                                  const TrafficFlags& flags, const InputSource& source,
                                  int64_t batch, int count, const Limits& limits, bool pack,
                                  std::vector<PackedRequest>* packed, std::string* description) {
  if (!flags.bag_length.empty() && flags.ids.empty()) {
    return invalid_argument("--bag-length needs --ids (it shapes fresh requests)");
  }
  if (!source.dir.empty()) {
    return invalid_argument("--ids draws its own inputs: it cannot be combined with --inputs");
  }
  RI_ASSIGN_OR_RETURN(tooling::IdTraffic ids, tooling::IdTraffic::parse(flags.ids));
  std::optional<tooling::BagLengths> bags;
  if (!flags.bag_length.empty()) {
    RI_ASSIGN_OR_RETURN(bags, tooling::BagLengths::parse(flags.bag_length));
  }
  tooling::RandomInputOptions base;
  RI_ASSIGN_OR_RETURN(base.dims, parse_dim_values(specs, source.dims, limits));
  base.seed = source.seed;
  base.max_tensor_bytes = limits.max_tensor_bytes;
  RI_ASSIGN_OR_RETURN(tooling::BatchLayout layout, tooling::detect_batch_layout(specs));
  if (batch > 0 && !layout.batch_symbol.empty()) base.dims[layout.batch_symbol] = batch;
  RI_ASSIGN_OR_RETURN(tooling::ModelIdInputs id_inputs, tooling::find_id_inputs(model, limits));
  RI_ASSIGN_OR_RETURN(tooling::RequestGenerator generator,
                      tooling::RequestGenerator::create(specs, std::move(id_inputs.rows), ids,
                                                        bags ? &*bags : nullptr, base));
  RequestSet requests;
  size_t bytes = 0;
  if (packed) packed->clear();
  while (static_cast<int>(requests.size()) < std::max(count, 1)) {
    RI_ASSIGN_OR_RETURN(std::vector<Tensor> request, generator.next());
    bytes += bytes_of(request);
    if (!requests.empty() && bytes > kPoolBytes) break;
    if (pack && packed) {
      RI_ASSIGN_OR_RETURN(PackedRequest p, PackedRequest::pack(request));
      packed->push_back(std::move(p));
      request = packed->back().tensors();
    }
    requests.push_back(std::move(request));
  }
  if (description) {
    *description = fmt::format("{} fresh requests ({}{})", requests.size(), generator.describe(),
                               static_cast<int>(requests.size()) < count
                                   ? fmt::format("; pool capped at {} MiB, reused in turn",
                                                 kPoolBytes >> 20)
                                   : "");
  }
  return requests;
}

}  // namespace recinfer::cli
