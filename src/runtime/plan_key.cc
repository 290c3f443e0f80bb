#include "runtime/plan_key.h"

namespace recinfer::runtime {

PlanKey PlanKey::of(const std::vector<Tensor>& inputs, const std::vector<char>& ragged) {
  PlanKey key;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const bool free = i < ragged.size() && ragged[i] && inputs[i].rank() == 1;
    key.dtypes.push_back(inputs[i].dtype());
    key.shapes.push_back(free ? Shape{-1} : inputs[i].shape());
    key.ragged.push_back(free ? 1 : 0);
  }
  return key;
}

bool PlanKey::is_free(size_t i) const { return i < ragged.size() && ragged[i] != 0; }

bool PlanKey::matches(const std::vector<Tensor>& inputs) const {
  if (inputs.size() != shapes.size()) return false;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].dtype() != dtypes[i]) return false;
    if (ragged[i] ? inputs[i].rank() != 1 : inputs[i].shape() != shapes[i]) return false;
  }
  return true;
}

std::vector<std::optional<InputBinding>> PlanKey::bindings(const std::vector<Tensor>& inputs) const {
  std::vector<std::optional<InputBinding>> out;
  for (size_t i = 0; i < inputs.size(); ++i) {
    out.push_back(InputBinding{inputs[i].dtype(), inputs[i].shape(), is_free(i)});
  }
  return out;
}

}  // namespace recinfer::runtime
