#include "runtime/engine_core_limit.h"

#include <charconv>

#include <fmt/format.h>

#include "kernels/registry.h"

namespace recinfer {

namespace {

bool parse_positive(const std::string& text, int* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end && *out > 0;
}

}  // namespace

Result<CoreLimit> CoreLimit::parse(const std::string& text) {
  if (text.empty() || text == "none") return CoreLimit{};
  const size_t bar = text.find('|');
  CoreLimit limit;
  if (bar == std::string::npos || text.find('|', bar + 1) != std::string::npos ||
      !parse_positive(text.substr(0, bar), &limit.matmul) ||
      !parse_positive(text.substr(bar + 1), &limit.vector)) {
    return invalid_argument(
        "core limit '{}' must be M|V with positive integers (threads for GEMM-class ops | for "
        "vector-class ops), e.g. 2|1, or 'none'",
        text);
  }
  return limit;
}

std::string CoreLimit::to_string() const {
  if (!active()) return "none";
  return fmt::format("{}|{}", matmul, vector);
}

namespace runtime {

std::vector<int> step_thread_caps(const Plan& plan, const CompiledGraph& graph,
                                  const CoreLimit& limit) {
  std::vector<int> caps;
  caps.reserve(plan.steps.size());
  for (const Step& step : plan.steps) {
    const ir::OpType op = graph.graph().nodes[static_cast<size_t>(step.node)].op;
    caps.push_back(kernels::is_matmul_class(op) ? limit.matmul : limit.vector);
  }
  return caps;
}

void CappedParallelFor::run(int64_t n, int64_t grain, kernels::RangeFn fn) {
  if (probe_ == nullptr) [[likely]] {
    pool_.run(n, grain, fn);
    return;
  }
  const int cap = num_threads();
  auto probed = [&](int64_t begin, int64_t end) {
    probe_->on_chunk(cap);
    fn(begin, end);
  };
  pool_.run(n, grain, probed);
}

}  // namespace runtime
}  // namespace recinfer
