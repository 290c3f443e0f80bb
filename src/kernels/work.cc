#include "kernels/work.h"

namespace recinfer::kernels {

namespace {
double numel(const ShapeInfo& t) { return t.present ? static_cast<double>(t.shape.numel()) : 0; }
}  // namespace

OpWork gemm_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out) {
  OpWork work;
  // Y (M, N) = A (M, K) · B: 2·M·N·K = 2·N·|A| whatever the transposes.
  if (!in.empty() && !out.empty() && out[0].shape.rank() == 2) {
    work.flops = 2.0 * static_cast<double>(out[0].shape[1]) * numel(in[0]);
  }
  return work;
}

OpWork matmul_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out) {
  OpWork work;
  if (!in.empty() && !out.empty() && in[0].shape.rank() >= 1) {
    work.flops = 2.0 * numel(out[0]) * static_cast<double>(in[0].shape[in[0].shape.rank() - 1]);
  }
  return work;
}

OpWork dot_interaction_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out) {
  OpWork work;
  if (!in.empty() && !out.empty() && in[0].shape.rank() == 3) {
    work.flops = 2.0 * numel(out[0]) * static_cast<double>(in[0].shape[2]);
  }
  return work;
}

OpWork gather_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> /*out*/) {
  OpWork work;
  if (in.size() >= 2) work.gathers.push_back({0, numel(in[1])});
  return work;
}

OpWork embedding_bag_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> /*out*/) {
  OpWork work;
  for (size_t g = 0; g + 1 < in.size(); g += 5) {
    work.gathers.push_back({static_cast<int>(g), numel(in[g + 1])});
  }
  return work;
}

}  // namespace recinfer::kernels
