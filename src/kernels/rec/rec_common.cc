#include "kernels/rec/rec_common.h"

#include "kernels/rec/avx2/pool_avx2.h"
#include "kernels/rec/pool_bag.h"

namespace recinfer::kernels::rec {

std::optional<PoolMode> parse_pool_mode(std::string_view mode) {
  if (mode == "sum") return PoolMode::kSum;
  if (mode == "mean") return PoolMode::kMean;
  if (mode == "max") return PoolMode::kMax;
  return std::nullopt;
}

Status pool_mode_attr(const InferContext& ctx, PoolMode* mode) {
  const std::string name = ctx.node().attr_string("mode", "sum");
  const std::optional<PoolMode> parsed = parse_pool_mode(name);
  if (!parsed) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "mode '{}' is not one of 'sum', 'mean', 'max'", name);
  }
  *mode = *parsed;
  return Status::ok();
}

PoolMode pool_mode_of(const ir::Node& node) {
  return parse_pool_mode(node.attr_string("mode", "sum")).value_or(PoolMode::kSum);
}

std::optional<Predicate> parse_comparison(std::string_view name) {
  if (name == "Equal") return Predicate::kEqual;
  if (name == "Greater") return Predicate::kGreater;
  if (name == "Less") return Predicate::kLess;
  if (name == "GreaterOrEqual") return Predicate::kGreaterOrEqual;
  if (name == "LessOrEqual") return Predicate::kLessOrEqual;
  return std::nullopt;
}

Status comparison_attr(const InferContext& ctx, bool allow_empty,
                       std::optional<Predicate>* predicate) {
  const std::string name = ctx.node().attr_string("comparison", "");
  if (name.empty() && allow_empty) {
    predicate->reset();
    return Status::ok();
  }
  *predicate = parse_comparison(name);
  if (!*predicate) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "comparison '{}' is not one of Equal, Greater, Less, GreaterOrEqual, "
                     "LessOrEqual",
                     name);
  }
  return Status::ok();
}

Status count_dtype_attr(const InferContext& ctx, DType* dtype) {
  if (!ctx.node().has_attr("to")) {
    return ctx.error(StatusCode::kInvalidArgument, "missing required attribute 'to'");
  }
  // ONNX TensorProto.DataType codes of the supported count dtypes.
  const int64_t to = ctx.node().attr_int("to", 0);
  switch (to) {
    case 1: *dtype = DType::kFloat32; return Status::ok();
    case 6: *dtype = DType::kInt32; return Status::ok();
    case 7: *dtype = DType::kInt64; return Status::ok();
    case 11: *dtype = DType::kFloat64; return Status::ok();
    default:
      return ctx.error(StatusCode::kUnsupported,
                       "output dtype to={} is not supported (float32=1, int32=6, int64=7, "
                       "float64=11 are)",
                       to);
  }
}

Status check_id_input(const InferContext& ctx, const TensorInfo& info, std::string_view what) {
  if (info.dtype == DType::kInt32 || info.dtype == DType::kInt64) return Status::ok();
  return ctx.error(StatusCode::kInvalidArgument, "{} must be int32 or int64, got {}", what,
                   dtype_name(info.dtype));
}

PoolBagFn find_pool_bag(PoolMode mode, DType id_dtype, bool weighted) {
  if (PoolBagFn wide = avx2::find_pool_bag(mode, id_dtype, weighted)) return wide;
  return pick_pool<PortablePool>(mode, id_dtype, weighted);
}

}  // namespace recinfer::kernels::rec
