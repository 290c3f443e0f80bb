#include "runtime/engine_plans.h"

#include <algorithm>

namespace recinfer::runtime {

PlanKey PlanKey::of(const std::vector<Tensor>& inputs) {
  PlanKey key;
  for (const Tensor& t : inputs) {
    key.dtypes.push_back(t.dtype());
    key.shapes.push_back(t.shape());
  }
  return key;
}

bool PlanKey::matches(const std::vector<Tensor>& inputs) const {
  if (inputs.size() != shapes.size()) return false;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].shape() != shapes[i] || inputs[i].dtype() != dtypes[i]) return false;
  }
  return true;
}

Result<std::shared_ptr<const Plan>> PlanCache::get(const std::vector<Tensor>& inputs) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++tick_;
  for (Entry& e : entries_) {
    if (e.key.matches(inputs)) {
      e.last_used = tick_;
      return e.plan;
    }
  }
  std::vector<std::optional<InputBinding>> bindings;
  for (const Tensor& t : inputs) bindings.push_back(InputBinding{t.dtype(), t.shape()});
  RI_ASSIGN_OR_RETURN(std::shared_ptr<const Plan> plan, build_plan(*graph_, bindings));
  ++builds_;
  if (entries_.size() >= capacity_) {
    auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                   [](const Entry& a, const Entry& b) {
                                     return a.last_used < b.last_used;
                                   });
    entries_.erase(oldest);
  }
  entries_.push_back({PlanKey::of(inputs), plan, tick_});
  return plan;
}

uint64_t PlanCache::builds() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return builds_;
}

size_t PlanCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace recinfer::runtime
