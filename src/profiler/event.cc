#include "profiler/event.h"

namespace recinfer::profiler {

namespace {

struct KindText {
  std::string_view name;
  char code;
};
// In EventKind order.
constexpr KindText kKinds[] = {
    {"staging", 's'}, {"staging copy", 'c'}, {"queue wait", 'q'}, {"op", 'o'},
    {"replan", 'r'},  {"work", 'w'},         {"join wait", 'j'},
};
static_assert(sizeof(kKinds) / sizeof(kKinds[0]) == static_cast<size_t>(EventKind::kJoinWait) + 1);

}  // namespace

std::string_view event_kind_name(EventKind kind) { return kKinds[static_cast<size_t>(kind)].name; }
char event_kind_code(EventKind kind) { return kKinds[static_cast<size_t>(kind)].code; }

const std::vector<TensorDesc>& Profile::inputs_of(const OpInstance& op) const {
  for (const DynamicShapes& d : inferences[static_cast<size_t>(op.inference)].dynamic_shapes) {
    if (d.step == op.step) return d.inputs;
  }
  return op_info(op).inputs;
}

const std::vector<TensorDesc>& Profile::outputs_of(const OpInstance& op) const {
  for (const DynamicShapes& d : inferences[static_cast<size_t>(op.inference)].dynamic_shapes) {
    if (d.step == op.step) return d.outputs;
  }
  return op_info(op).outputs;
}

}  // namespace recinfer::profiler
