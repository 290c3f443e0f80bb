// NonMaxSuppression: for each batch and class, boxes scoring above score_threshold are visited
// by descending score (ties: lower box index first) and kept unless their IoU with a box kept
// before exceeds iou_threshold, until max_output_boxes_per_class are kept (0 or absent: none).
// Boxes are corners [y1, x1, y2, x2] in either order (center_point_box=0) or
// [x_center, y_center, width, height] (center_point_box=1). Output rows (batch, class, box) in
// that visiting order. The output's length depends on the data; so does the scratch (the
// candidate order), which the kernel allocates per run -- this op is not on a hot path.
#include <algorithm>
#include <numeric>
#include <vector>

#include "kernels/vision/vision_kernels.h"

namespace recinfer::kernels {

namespace {

struct Corners {
  float y1, x1, y2, x2;
  float area() const { return (y2 - y1) * (x2 - x1); }
};

Corners corners_of(const float* box, bool center_point) {
  if (center_point) {
    const float half_w = box[2] / 2, half_h = box[3] / 2;
    return {box[1] - half_h, box[0] - half_w, box[1] + half_h, box[0] + half_w};
  }
  return {std::min(box[0], box[2]), std::min(box[1], box[3]), std::max(box[0], box[2]),
          std::max(box[1], box[3])};
}

float iou(const Corners& a, const Corners& b) {
  const float area_a = a.area(), area_b = b.area();
  if (area_a <= 0 || area_b <= 0) return 0;
  const float h = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
  const float w = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
  if (h <= 0 || w <= 0) return 0;
  const float inter = h * w;
  return inter / (area_a + area_b - inter);
}

class NonMaxSuppressionKernel final : public Kernel {
 public:
  explicit NonMaxSuppressionKernel(bool center_point) : center_point_(center_point) {}

  Status compute(KernelContext& ctx) const override {
    const Tensor& boxes = *ctx.input(0);
    const Tensor& scores = *ctx.input(1);
    const Tensor* max_out = ctx.input(2);
    const Tensor* iou_in = ctx.input(3);
    const Tensor* score_in = ctx.input(4);
    const int64_t limit = max_out != nullptr && max_out->numel() > 0 ? max_out->data<int64_t>()[0] : 0;
    const float iou_threshold = iou_in != nullptr && iou_in->numel() > 0 ? iou_in->data<float>()[0] : 0;
    const bool has_score_threshold = score_in != nullptr && score_in->numel() > 0;
    const float score_threshold = has_score_threshold ? score_in->data<float>()[0] : 0;
    if (iou_threshold < 0 || iou_threshold > 1) {
      return ctx.error(StatusCode::kInvalidArgument, "iou_threshold {} is outside [0, 1]", iou_threshold);
    }
    const int64_t batches = scores.shape()[0], classes = scores.shape()[1], count = scores.shape()[2];
    std::vector<int64_t> selected;  // (batch, class, box) triples
    std::vector<int64_t> order;
    std::vector<Corners> kept;
    for (int64_t b = 0; b < batches && limit > 0; ++b) {
      const float* batch_boxes = boxes.data<float>() + b * count * 4;
      for (int64_t c = 0; c < classes; ++c) {
        const float* s = scores.data<float>() + (b * classes + c) * count;
        order.clear();
        for (int64_t i = 0; i < count; ++i) {
          if (!has_score_threshold || s[i] > score_threshold) order.push_back(i);
        }
        std::stable_sort(order.begin(), order.end(),
                         [&](int64_t l, int64_t r) { return s[l] > s[r]; });
        kept.clear();
        for (int64_t i : order) {
          if (static_cast<int64_t>(kept.size()) >= limit) break;
          const Corners box = corners_of(batch_boxes + i * 4, center_point_);
          const bool suppressed = std::any_of(kept.begin(), kept.end(), [&](const Corners& k) {
            return iou(k, box) > iou_threshold;
          });
          if (suppressed) continue;
          kept.push_back(box);
          selected.insert(selected.end(), {b, c, i});
        }
      }
    }
    const auto rows = static_cast<int64_t>(selected.size() / 3);
    RI_ASSIGN_OR_RETURN(Tensor * out, ctx.allocate_output(0, DType::kInt64, Shape{rows, 3}));
    std::copy(selected.begin(), selected.end(), out->data<int64_t>());
    return Status::ok();
  }

 private:
  bool center_point_;
};

}  // namespace

Status infer_non_max_suppression(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* boxes, ctx.required_input(0));
  RI_ASSIGN_OR_RETURN(const TensorInfo* scores, ctx.required_input(1));
  if (boxes->dtype != DType::kFloat32 || scores->dtype != DType::kFloat32) {
    return ctx.error(StatusCode::kUnsupported, "boxes/scores have dtype {}/{} (float32 supported)",
                     dtype_name(boxes->dtype), dtype_name(scores->dtype));
  }
  if (boxes->shape.rank() != 3 || boxes->shape[2] != 4 || scores->shape.rank() != 3 ||
      scores->shape[0] != boxes->shape[0] || scores->shape[2] != boxes->shape[1]) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "boxes {} must be (batch, boxes, 4) and scores {} (batch, classes, boxes)",
                     boxes->shape.to_string(), scores->shape.to_string());
  }
  const DType wanted[] = {DType::kInt64, DType::kFloat32, DType::kFloat32};
  for (int i = 2; i < 5; ++i) {
    const TensorInfo* in = ctx.input(i);
    if (in != nullptr && (in->dtype != wanted[i - 2] || in->shape.numel() > 1)) {
      return ctx.error(StatusCode::kInvalidArgument, "input {} must be a {} scalar, got {} {}", i,
                       dtype_name(wanted[i - 2]), dtype_name(in->dtype), in->shape.to_string());
    }
  }
  const int64_t center = ctx.node().attr_int("center_point_box", 0);
  if (center != 0 && center != 1) {
    return ctx.error(StatusCode::kInvalidArgument, "center_point_box must be 0 or 1, got {}", center);
  }
  ctx.set_output_dynamic(0, DType::kInt64);
  return Status::ok();
}

std::unique_ptr<Kernel> make_non_max_suppression(const ir::Node& node) {
  return std::make_unique<NonMaxSuppressionKernel>(node.attr_int("center_point_box", 0) == 1);
}

}  // namespace recinfer::kernels
