// Entry points of the vision family (detection and sampling ops), used by register.cc.
#pragma once

#include <memory>

#include "kernels/kernel.h"

namespace recinfer::kernels {

// NonMaxSuppression (opset 10/11): greedy per batch and class; int64 (batch, class, box) rows.
Status infer_non_max_suppression(InferContext& ctx);
std::unique_ptr<Kernel> make_non_max_suppression(const ir::Node& node);

// RoiAlign (opset 10/16): average or max of bilinear samples per output bin.
Status infer_roi_align(InferContext& ctx);
std::unique_ptr<Kernel> make_roi_align(const ir::Node& node);

// GridSample (opset 16): 2-D sampling at normalised grid points (bilinear, nearest, bicubic).
Status infer_grid_sample(InferContext& ctx);
std::unique_ptr<Kernel> make_grid_sample(const ir::Node& node);

}  // namespace recinfer::kernels
