#include "ir/op_type.h"

namespace recinfer::ir {

namespace {
struct OpInfo {
  std::string_view name;
  std::string_view domain;
};
constexpr OpInfo kOps[] = {
#define RI_OP(name, onnx_name, domain) {onnx_name, domain},
#include "ir/ops.def"
#undef RI_OP
};
}  // namespace

std::string_view op_name(OpType op) { return kOps[static_cast<int>(op)].name; }
std::string_view op_domain(OpType op) { return kOps[static_cast<int>(op)].domain; }

std::optional<OpType> find_op(std::string_view domain, std::string_view name) {
  if (domain == "ai.onnx") domain = "";
  for (int i = 0; i < static_cast<int>(OpType::kCount); ++i) {
    if (kOps[i].name == name && kOps[i].domain == domain) return static_cast<OpType>(i);
  }
  return std::nullopt;
}

}  // namespace recinfer::ir
