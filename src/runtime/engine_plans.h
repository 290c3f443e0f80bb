// Engine-wide plan cache: one static Plan per PlanKey (input dtypes and shapes, ragged id
// lists' lengths left free: in practice, per batch size), built on first use and shared by every instance (each instance then sets up its
// own executor — arena and staging buffer — for it). Thread-safe; a miss builds under the lock,
// which only other misses wait on. Bounded: the least recently used plan is dropped beyond
// `capacity` (instances holding it keep it alive until they drop it too).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "runtime/plan.h"
#include "runtime/plan_key.h"

namespace recinfer::runtime {

class PlanCache {
 public:
  PlanCache(std::shared_ptr<const CompiledGraph> graph, size_t capacity, PlanOptions options = {})
      : graph_(std::move(graph)), capacity_(capacity < 1 ? 1 : capacity), options_(options) {}

  Result<std::shared_ptr<const Plan>> get(const std::vector<Tensor>& inputs);
  uint64_t builds() const;
  size_t size() const;

 private:
  struct Entry {
    PlanKey key;
    std::shared_ptr<const Plan> plan;
    uint64_t last_used = 0;
  };
  std::shared_ptr<const CompiledGraph> graph_;
  size_t capacity_;
  PlanOptions options_;
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
  uint64_t tick_ = 0;
  uint64_t builds_ = 0;
};

}  // namespace recinfer::runtime
