#include "kernels/registry.h"
#include "kernels/shape/shape_ops.h"

namespace recinfer::kernels {

namespace {
// Shape reads only its input's dims, so any length is fine (they are not part of the plan key).
bool any_input_length(const ir::Node& /*node*/, size_t /*index*/) { return true; }
}  // namespace

void register_shape_kernels(KernelRegistry& registry) {
  using ir::OpType;
  registry.add(OpType::kReshape, {&infer_reshape, &make_reshape, nullptr, OpClass::kShape, nullptr, nullptr, /*view=*/true});
  registry.add(OpType::kFlatten, {&infer_flatten, &make_flatten, nullptr, OpClass::kShape, nullptr, nullptr, /*view=*/true});
  registry.add(OpType::kIdentity, {&infer_identity, &make_identity, nullptr, OpClass::kShape, nullptr, nullptr, /*view=*/true});
  registry.add(OpType::kSqueeze, {&infer_squeeze, &make_squeeze, nullptr, OpClass::kShape, nullptr, nullptr, /*view=*/true});
  registry.add(OpType::kUnsqueeze, {&infer_unsqueeze, &make_unsqueeze, nullptr, OpClass::kShape, nullptr, nullptr, /*view=*/true});
  registry.add(OpType::kTranspose,
               {&infer_transpose, &make_transpose, &make_transpose_reference});
  registry.add(OpType::kExpand, {&infer_expand, &make_expand, nullptr});
  registry.add(OpType::kConcat, {&infer_concat, &make_concat, nullptr});
  registry.add(OpType::kSlice, {&infer_slice, &make_slice, nullptr});
  registry.add(OpType::kSplit, {&infer_split, &make_split, nullptr});
  registry.add(OpType::kShape, {&infer_shape, &make_shape, nullptr, OpClass::kShape, nullptr, &any_input_length});
  registry.add(OpType::kConstant, {&infer_constant, &make_constant, nullptr});
  registry.add(OpType::kConstantOfShape,
               {&infer_constant_of_shape, &make_constant_of_shape, nullptr});
  registry.add(OpType::kRange, {&infer_range, &make_range, nullptr});
  registry.add(OpType::kTile, {&infer_tile, &make_tile, &make_tile_reference});
  registry.add(OpType::kPad, {&infer_pad, &make_pad, &make_pad_reference});
  registry.add(OpType::kTrilu, {&infer_trilu, &make_trilu, &make_trilu_reference});
  registry.add(OpType::kOneHot, {&infer_one_hot, &make_one_hot, &make_one_hot_reference});
  registry.add(OpType::kEyeLike, {&infer_eye_like, &make_eye_like, nullptr});
  registry.add(OpType::kCompress, {&infer_compress, &make_compress, nullptr});
  registry.add(OpType::kDepthToSpace,
               {&infer_depth_to_space, &make_depth_to_space, &make_depth_to_space_reference});
  registry.add(OpType::kSpaceToDepth,
               {&infer_space_to_depth, &make_space_to_depth, &make_space_to_depth_reference});
  registry.add(OpType::kReverseSequence,
               {&infer_reverse_sequence, &make_reverse_sequence, nullptr});
  registry.add(OpType::kResize, {&infer_resize, &make_resize, &make_resize_reference});
  registry.add(OpType::kUpsample, {&infer_resize, &make_resize, &make_resize_reference});
}

}  // namespace recinfer::kernels
