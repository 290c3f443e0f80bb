// Joining the inputs of several requests into one batch along the batch dimension, and splitting
// the batch's outputs back per request (the model server's dynamic batcher).
//
// Inputs are related to the batch by a BatchLayout (tooling/batching.h):
//  - kBatchRows inputs are stacked: request 0's rows, then request 1's, ...;
//  - EmbeddingBag groups are joined by whole bags: the values (indices, per-sample weights) are
//    concatenated and each request's offsets are shifted by the values before it, so row r of
//    the batch pools exactly the ids its request's row pooled;
//  - kFixed inputs (no batch dimension) are not joined: every request of a batch must carry the
//    same bytes (same_fixed_inputs), and the batch passes the first request's tensor through.
// Padding: a batch may be padded to `padded_rows` rows (a plan bucket) by repeating the last
// real row of every kBatchRows input and giving every padding row an empty bag (its offset is the
// total number of values). Padding rows are never returned (split_outputs covers real rows only).
#pragma once

#include <cstdint>
#include <vector>

#include "recinfer/tensor.h"
#include "tooling/batching.h"

namespace recinfer::tooling {

// True when a and b hold the same dtype, shape and bytes in every kFixed input.
bool same_fixed_inputs(const BatchLayout& layout, const std::vector<Tensor>& a,
                       const std::vector<Tensor>& b);

// One batch of `padded_rows` rows from `parts` (each one request's inputs in model input order,
// already valid: check with batch_size and check_bags). padded_rows must be at least the total
// rows. Fails when the parts disagree on a fixed input or on the non-leading dims of an input.
Result<std::vector<Tensor>> concat_batches(const BatchLayout& layout,
                                           const std::vector<const std::vector<Tensor>*>& parts,
                                           int64_t padded_rows);

// Splits a batch's outputs back: output k is row-split when row_outputs[k] is true (its leading
// dimension must then be batch_rows), part p getting rows [sum of rows before p, + rows[p]) as a
// view that shares the output's storage; other outputs are returned whole to every part.
Result<std::vector<std::vector<Tensor>>> split_outputs(const std::vector<Tensor>& outputs,
                                                       const std::vector<bool>& row_outputs,
                                                       int64_t batch_rows,
                                                       const std::vector<int64_t>& rows);

}  // namespace recinfer::tooling
