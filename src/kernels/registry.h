// The op schema: one entry per op holding everything the engine needs to know about it beyond
// its name (ir/ops.def): shape inference, the optimised and reference kernels, its op class for
// the per-op-class thread caps (`--core-limit M|V`), its work for the roofline, which inputs may
// be ragged (any length, one plan for all) and whether its output is a view of its input.
// Filled by one register_*_kernels function per kernel family (kernels/<family>/register.cc);
// adding an op = an ops.def line + one schema entry + its kernel file + its test.
#pragma once

#include <array>
#include <memory>
#include <span>
#include <vector>

#include "ir/op_type.h"
#include "kernels/kernel.h"

namespace recinfer::kernels {

using InferFn = Status (*)(InferContext&);
using KernelFactory = std::unique_ptr<Kernel> (*)(const ir::Node&);

// Which thread cap of `--core-limit M|V` applies to the op: GEMM-class ops take M, everything
// else V. Shape ops and control flow run on the calling thread but are counted as vector.
enum class OpClass : uint8_t { kVector, kMatmul, kGather, kShape, kControl };

// An input or output as the roofline sees it (from the profiler's recorded shapes).
struct ShapeInfo {
  DType dtype = DType::kUndefined;
  Shape shape;
  bool present = false;
};

// The work of one op execution, counted from its shapes: FLOPs as written, and the rows it
// gathers from which table input.
struct OpWork {
  struct Gather {
    int table_input = 0;  // the input holding the table (rows along dim 0)
    double rows = 0;      // rows read from it
  };
  double flops = 0;
  std::vector<Gather> gathers;
};
using WorkFn = OpWork (*)(std::span<const ShapeInfo> inputs, std::span<const ShapeInfo> outputs);
// Whether input `index` of `node` takes any length (a graph input read only by such inputs
// keeps its length free in the plan key, so one plan serves every id count).
using RaggedInputFn = bool (*)(const ir::Node& node, size_t index);

struct OpSchema {
  InferFn infer = nullptr;
  // null for control flow (Loop): its kernel runs subgraphs, so the runtime makes it
  // (runtime/control_flow.h); everything else about the op is here.
  KernelFactory make = nullptr;
  KernelFactory make_reference = nullptr;  // null: `make` is already the naive implementation
  OpClass op_class = OpClass::kVector;
  WorkFn work = nullptr;                   // null: no GEMM FLOPs and no gathered rows
  RaggedInputFn ragged_input = nullptr;    // null: every input's shape is part of the plan key
  bool view = false;  // output 0 holds input 0's bytes: the planner may alias them
  // Outputs differ between runs on the same inputs (random ops): never folded to a constant,
  // at pass time or at plan time, even when every input is constant (or there is none).
  bool nondeterministic = false;
};

class KernelRegistry {
 public:
  static const KernelRegistry& instance();

  void add(ir::OpType op, OpSchema schema) { table_[static_cast<size_t>(op)] = schema; }
  // nullptr when recinfer does not know the op's shapes (no schema entry).
  const OpSchema* find(ir::OpType op) const;

 private:
  std::array<OpSchema, static_cast<size_t>(ir::OpType::kCount)> table_{};
};

// The schema of `op`, or nullptr when recinfer has no entry for it.
inline const OpSchema* find_schema(ir::OpType op) { return KernelRegistry::instance().find(op); }
// Whether recinfer can run `op` (it has a schema entry).
inline bool is_supported_op(ir::OpType op) { return find_schema(op) != nullptr; }
// Ops whose outputs differ between runs on the same inputs (see OpSchema::nondeterministic).
inline bool is_nondeterministic_op(ir::OpType op) {
  const OpSchema* schema = find_schema(op);
  return schema != nullptr && schema->nondeterministic;
}
// GEMM-class ops (their steps take the M of `--core-limit M|V`).
bool is_matmul_class(ir::OpType op);
// Ops whose output 0 holds input 0's bytes unchanged (Reshape, Flatten, Squeeze, ...).
bool is_view_op(ir::OpType op);

// Family registration (one per kernels/<family>/register.cc).
void register_elementwise_kernels(KernelRegistry& registry);
void register_compare_kernels(KernelRegistry& registry);
void register_shape_kernels(KernelRegistry& registry);
void register_reduce_kernels(KernelRegistry& registry);
void register_embedding_kernels(KernelRegistry& registry);
void register_dense_kernels(KernelRegistry& registry);
void register_sequence_kernels(KernelRegistry& registry);
void register_rec_kernels(KernelRegistry& registry);
void register_norm_kernels(KernelRegistry& registry);    // normalisations, losses, global pools
void register_conv_kernels(KernelRegistry& registry);    // Conv, ConvTranspose, pools, Einsum
void register_rnn_kernels(KernelRegistry& registry);     // GRU, LSTM, RNN
void register_random_kernels(KernelRegistry& registry);  // RandomNormal/Uniform(Like), Bernoulli
void register_quant_kernels(KernelRegistry& registry);   // Quantize/DequantizeLinear, integer GEMM/conv
void register_signal_kernels(KernelRegistry& registry);  // windows, DFT, STFT, MelWeightMatrix
void register_vision_kernels(KernelRegistry& registry);  // NonMaxSuppression, RoiAlign, GridSample

void register_control_flow_kernels(KernelRegistry& registry);  // shape inference only

}  // namespace recinfer::kernels
