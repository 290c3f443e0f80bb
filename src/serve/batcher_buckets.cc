#include "serve/batcher_buckets.h"

#include <algorithm>

namespace recinfer::serve {

std::vector<int64_t> batch_buckets(int64_t max_batch_size, const std::vector<int64_t>& preferred) {
  std::vector<int64_t> buckets;
  if (max_batch_size <= 0) return buckets;
  if (!preferred.empty()) {
    for (int64_t size : preferred) {
      if (size >= 1 && size <= max_batch_size) buckets.push_back(size);
    }
  } else {
    for (int64_t size = 1; size < max_batch_size; size *= 2) buckets.push_back(size);
  }
  buckets.push_back(max_batch_size);
  std::sort(buckets.begin(), buckets.end());
  buckets.erase(std::unique(buckets.begin(), buckets.end()), buckets.end());
  return buckets;
}

int64_t bucket_for(const std::vector<int64_t>& buckets, int64_t rows) {
  auto it = std::lower_bound(buckets.begin(), buckets.end(), rows);
  return it == buckets.end() ? rows : *it;
}

}  // namespace recinfer::serve
