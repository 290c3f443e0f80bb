// Re-batching request inputs: builds a batch of any size from given inputs (the benchmark's
// `--batch`), by selecting whole source rows.
//
// How each input relates to the batch comes from the model's declared input shapes:
//  - the batch symbol is the symbolic leading dimension named "batch" (or "batch_size"), else
//    the symbolic leading dimension shared by the most inputs;
//  - kBatchRows: leading dimension = the batch symbol -> row r of the new batch is a copy of a
//    source row (dense features, DeepFM ids, coarse-ranking candidates, ...);
//  - EmbeddingBag inputs (PyTorch's `indices, offsets[, per_sample_weights]`): a rank-1 input
//    whose leading dimension is its own symbol (num_indices_t) holds ragged bag values; its
//    offsets input is the int64 (batch) input with the same name suffix ("indices_3" ->
//    "offsets_3"; weights_3 shares num_indices_3), or failing a name match the next unpaired
//    int64 (batch) input. Offsets are per row, so row r's bag is values[offsets[s] :
//    offsets[s+1]] of its source row s (the last bag runs to the end): the new batch repeats
//    whole bags and rebuilds the offsets as their running sum. Indices are never sliced
//    mid-bag, so every row of the new batch pools exactly the ids its source row pooled;
//  - kFixed: anything else (no batch dimension, e.g. a shared behaviour sequence (1,4000))
//    is passed through unchanged.
// rebatch(target) takes source row r % b for new row r: the first `target` rows when slicing
// down, whole copies of the batch (then a partial one) when growing. For a model whose rows
// are independent, output row r of the new batch equals output row (r % b) of the original.
#pragma once

#include <string>
#include <vector>

#include "recinfer/session.h"

namespace recinfer::tooling {

enum class BatchRole { kFixed, kBatchRows, kBagValues, kBagOffsets };

struct BatchLayout {
  struct Bag {
    int offsets = -1;         // input index of the offsets
    std::vector<int> values;  // input indices of indices / per-sample weights
  };
  std::string batch_symbol;     // "" when no input has a symbolic leading dimension
  std::vector<BatchRole> roles;  // per input
  std::vector<std::string> names;  // per input, for messages
  std::vector<Bag> bags;

  std::string describe() const;
};

Result<BatchLayout> detect_batch_layout(const std::vector<TensorSpec>& specs);

// The batch size of these inputs (the leading dimension of the batch-row and offsets inputs,
// which must agree); 1 when the model has no batch dimension.
Result<int64_t> batch_size(const BatchLayout& layout, const std::vector<Tensor>& inputs);

// Checks every EmbeddingBag group of these inputs: offsets int64 of rank 1, starting at 0,
// non-decreasing and within the values, and all values inputs of a group of one length.
Status check_bags(const BatchLayout& layout, const std::vector<Tensor>& inputs);

// A new batch whose row r is source row rows[r] (each in [0, batch_size)). Validates offsets
// (int64, starting at 0, non-decreasing, within the values) and that all bag values agree.
Result<std::vector<Tensor>> select_rows(const BatchLayout& layout, const std::vector<Tensor>& inputs,
                                        const std::vector<int64_t>& rows);

// A batch of `target` rows: source row r % batch_size for row r.
Result<std::vector<Tensor>> rebatch(const BatchLayout& layout, const std::vector<Tensor>& inputs,
                                    int64_t target);

}  // namespace recinfer::tooling
