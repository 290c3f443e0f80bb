// Replaces the Loop torch.onnx.export writes for every nn.EmbeddingBag (one iteration per bag:
// Gather the bag bounds, Slice the ids, Gather the rows, optionally Mul by per-sample weights,
// ReduceSum/Mean/Max over axis 0) with one ai.recinfer EmbeddingBag node.
#pragma once

#include <memory>

#include "passes/pass.h"

namespace recinfer::passes {

std::unique_ptr<Pass> make_embedding_bag_fusion();

}  // namespace recinfer::passes
