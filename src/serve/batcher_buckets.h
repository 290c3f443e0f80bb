// The batch sizes a batched model's Engine ever sees (its plan buckets): a batch of n rows is
// padded up to the smallest bucket >= n, so plans are compiled at warm-up, never on the hot path.
#pragma once

#include <cstdint>
#include <vector>

namespace recinfer::serve {

// The preferred batch sizes plus max_batch_size when preferred sizes are given, else the powers
// of two below max_batch_size plus max_batch_size itself. Sorted, unique; empty when
// max_batch_size is 0 (no batching: every request runs at its own shape).
std::vector<int64_t> batch_buckets(int64_t max_batch_size, const std::vector<int64_t>& preferred);

// The smallest bucket >= rows (rows itself when no bucket holds it).
int64_t bucket_for(const std::vector<int64_t>& buckets, int64_t rows);

}  // namespace recinfer::serve
