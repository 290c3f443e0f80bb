#include "runtime/engine_plans.h"

#include <algorithm>

namespace recinfer::runtime {

Result<std::shared_ptr<const Plan>> PlanCache::get(const std::vector<Tensor>& inputs) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++tick_;
  for (Entry& e : entries_) {
    if (e.key.matches(inputs)) {
      e.last_used = tick_;
      return e.plan;
    }
  }
  PlanKey key = PlanKey::of(inputs, graph_->ragged_inputs());
  RI_ASSIGN_OR_RETURN(std::shared_ptr<const Plan> plan,
                      build_plan(*graph_, key.bindings(inputs), options_));
  ++builds_;
  if (entries_.size() >= capacity_) {
    auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                   [](const Entry& a, const Entry& b) {
                                     return a.last_used < b.last_used;
                                   });
    entries_.erase(oldest);
  }
  entries_.push_back({std::move(key), plan, tick_});
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
