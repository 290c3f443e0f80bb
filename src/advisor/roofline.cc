#include "advisor/roofline.h"

#include <fmt/format.h>

#include <algorithm>

#include "ir/op_type.h"
#include "kernels/registry.h"

namespace recinfer::advisor {
namespace {

double numel(const profiler::TensorDesc& t) { return t.present ? static_cast<double>(t.shape.numel()) : 0; }

// The op schema of a profiled op type (default domain first, then recinfer's fused ops).
const kernels::OpSchema* schema_of(const std::string& type) {
  auto op = ir::find_op("", type);
  if (!op) op = ir::find_op("ai.recinfer", type);
  return op ? kernels::find_schema(*op) : nullptr;
}

std::vector<kernels::ShapeInfo> shape_infos(const std::vector<profiler::TensorDesc>& tensors) {
  std::vector<kernels::ShapeInfo> infos;
  infos.reserve(tensors.size());
  for (const profiler::TensorDesc& t : tensors) infos.push_back({t.dtype, t.shape, t.present});
  return infos;
}

}  // namespace

Work count_work(const std::vector<profiler::OpRow>& rows, int64_t inferences) {
  Work work;
  const double scale = 1.0 / static_cast<double>(std::max<int64_t>(1, inferences));
  for (const profiler::OpRow& row : rows) {
    const double us = row.duration_us * scale;
    const kernels::OpSchema* schema = schema_of(row.info->type);
    const kernels::OpClass op_class = schema ? schema->op_class : kernels::OpClass::kVector;
    if (schema != nullptr && schema->work != nullptr) {
      const auto in = shape_infos(*row.inputs);
      const kernels::OpWork op = schema->work(in, shape_infos(*row.outputs));
      work.flops += op.flops * scale;
      for (const kernels::OpWork::Gather& g : op.gathers) {
        const profiler::TensorDesc& table = (*row.inputs)[static_cast<size_t>(g.table_input)];
        if (!table.present || table.shape.rank() < 1) continue;
        const double row_bytes = numel(table) /
                                 std::max<double>(1, static_cast<double>(table.shape[0])) *
                                 static_cast<double>(dtype_size(table.dtype));
        const double table_bytes = numel(table) * static_cast<double>(dtype_size(table.dtype));
        (table_bytes > kCachedTableBytes ? work.dram_bytes : work.cached_bytes) +=
            g.rows * row_bytes * scale;
      }
    }
    if (op_class == kernels::OpClass::kMatmul) {
      work.gemm_us += us;
    } else if (op_class == kernels::OpClass::kGather) {
      work.gather_us += us;
    } else {
      work.other_us += us;
    }
  }
  return work;
}

RooflineVerdict judge(const Work& work, const Peaks& peaks, double measured_us) {
  RooflineVerdict v;
  const double gemm_us = peaks.gemm_gflops > 0 ? work.flops / (peaks.gemm_gflops * 1e3) : 0;
  double gather_us = 0;
  if (peaks.dram_gather_gbps > 0) gather_us += work.dram_bytes / (peaks.dram_gather_gbps * 1e3);
  if (peaks.cached_gather_gbps > 0) gather_us += work.cached_bytes / (peaks.cached_gather_gbps * 1e3);
  v.roofline_us = std::max(gemm_us, gather_us);
  v.bound = gemm_us >= gather_us ? "GEMM" : "gather";
  v.measured_us = measured_us;
  v.fraction = measured_us > 0 ? v.roofline_us / measured_us : 0;
  v.near = v.fraction >= kNearFraction;
  return v;
}

std::string format_verdict(const Work& work, const Peaks& peaks, const RooflineVerdict& v) {
  std::string out = fmt::format(
      "roofline: {:.2f} MFLOP (GEMM peak {:.1f} GFLOP/s), {:.1f} KiB gathered from big tables "
      "({:.2f} GB/s) + {:.1f} KiB from cache-resident ones ({:.2f} GB/s) per inference -> limit "
      "{:.1f} µs ({}-bound); measured p50 {:.1f} µs = {:.0f}% of the limit\n",
      work.flops / 1e6, peaks.gemm_gflops, work.dram_bytes / 1024, peaks.dram_gather_gbps,
      work.cached_bytes / 1024, peaks.cached_gather_gbps, v.roofline_us, v.bound, v.measured_us,
      100.0 * v.fraction);
  const double total = work.gemm_us + work.gather_us + work.other_us;
  auto share = [&](double us) { return total > 0 ? 100.0 * us / total : 0.0; };
  if (v.near) {
    out += fmt::format("  no action: near the roofline (at least {:.0f}% of the limit)\n",
                       100.0 * kNearFraction);
  } else {
    out += fmt::format("  remaining gap: {:.1f}x the limit; time by op class: GEMM-class {:.0f}%, "
                       "gathers {:.0f}%, everything else {:.0f}%\n",
                       v.fraction > 0 ? 1.0 / v.fraction : 0.0, share(work.gemm_us),
                       share(work.gather_us), share(work.other_us));
  }
  return out;
}

}  // namespace recinfer::advisor
