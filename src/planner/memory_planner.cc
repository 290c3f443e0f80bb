#include "planner/memory_planner.h"

#include <algorithm>
#include <numeric>
#include <cstdint>

namespace recinfer::planner {

namespace {
size_t round_up(size_t v, size_t a) { return (v + a - 1) / a * a; }
bool overlaps_in_time(const BufferRequest& a, const BufferRequest& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}
}  // namespace

MemoryPlan plan_memory(const std::vector<BufferRequest>& requests, size_t alignment) {
  MemoryPlan plan;
  plan.offsets.assign(requests.size(), 0);
  std::vector<size_t> order(requests.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return requests[a].bytes > requests[b].bytes;
  });

  std::vector<size_t> placed;
  placed.reserve(requests.size());
  struct Interval {
    size_t begin, end;
  };
  std::vector<Interval> busy;
  for (size_t index : order) {
    const BufferRequest& req = requests[index];
    const size_t size = round_up(std::max<size_t>(req.bytes, 1), alignment);
    busy.clear();
    for (size_t other : placed) {
      if (overlaps_in_time(req, requests[other])) {
        size_t begin = plan.offsets[other];
        busy.push_back({begin, begin + round_up(std::max<size_t>(requests[other].bytes, 1), alignment)});
      }
    }
    std::sort(busy.begin(), busy.end(), [](const Interval& a, const Interval& b) {
      return a.begin < b.begin;
    });
    // Best fit among the gaps; the open space above everything is the fallback.
    size_t best_offset = 0;
    size_t best_gap = SIZE_MAX;
    size_t cursor = 0;
    for (const Interval& iv : busy) {
      if (iv.begin > cursor) {
        size_t gap = iv.begin - cursor;
        if (gap >= size && gap < best_gap) {
          best_gap = gap;
          best_offset = cursor;
        }
      }
      cursor = std::max(cursor, iv.end);
    }
    if (best_gap == SIZE_MAX) best_offset = cursor;
    plan.offsets[index] = best_offset;
    plan.arena_bytes = std::max(plan.arena_bytes, best_offset + size);
    placed.push_back(index);
  }
  return plan;
}

bool plan_is_valid(const std::vector<BufferRequest>& requests, const MemoryPlan& plan) {
  for (size_t a = 0; a < requests.size(); ++a) {
    if (plan.offsets[a] + requests[a].bytes > plan.arena_bytes) return false;
    for (size_t b = a + 1; b < requests.size(); ++b) {
      if (!overlaps_in_time(requests[a], requests[b])) continue;
      if (requests[a].bytes == 0 || requests[b].bytes == 0) continue;
      size_t a0 = plan.offsets[a], a1 = a0 + requests[a].bytes;
      size_t b0 = plan.offsets[b], b1 = b0 + requests[b].bytes;
      if (a0 < b1 && b0 < a1) return false;
    }
  }
  return true;
}

}  // namespace recinfer::planner
