// OpType enum and names, generated from ops.def.
#pragma once

#include <optional>
#include <string_view>

namespace recinfer::ir {

enum class OpType : int {
#define RI_OP(name, onnx_name, domain) k##name,
#include "ir/ops.def"
#undef RI_OP
  kCount,
};

std::string_view op_name(OpType op);
std::string_view op_domain(OpType op);
// Looks up an op by ONNX domain ("" and "ai.onnx" are the same) and name.
std::optional<OpType> find_op(std::string_view domain, std::string_view name);

}  // namespace recinfer::ir
