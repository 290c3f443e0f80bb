// EmbeddingBag (ai.recinfer): pooled lookups over T tables in one kernel. All tables are cut
// into work units (a group and a run of consecutive bags, of roughly equal estimated cost), and
// one parallel_for runs over the units of every table, so a batch's small tables and big tables
// balance across threads instead of running T parallel loops one after another. Each bag is
// range-checked, then pooled by the ISA-specific pool function, which keeps the pooled row in
// registers and prefetches the rows of the ids ahead.
#include "kernels/rec/embedding_bag.h"

#include "kernels/rec/pool_bag.h"
#include "kernels/rec/rec_common.h"
#include "kernels/rec/rec_kernels.h"

namespace recinfer::kernels {

using namespace rec;  // NOLINT(google-build-using-namespace)

namespace {

// Estimated cost of a unit, in floats of pooled rows (~64 KB): large enough that scheduling
// costs little, small enough that a 26-table batch gives every thread several units.
constexpr int64_t kUnitCost = 16 * 1024;

// Bags per unit of a group: its estimated cost (ids plus one per bag, times the row width)
// split into units of about kUnitCost.
int64_t bags_per_unit(const BagGroup& g) {
  if (g.num_bags == 0) return 1;
  const int64_t cost = (g.num_ids + g.num_bags) * std::max<int64_t>(g.dim, 1);
  const int64_t units = std::clamp<int64_t>(cost / kUnitCost, 1, g.num_bags);
  return (g.num_bags + units - 1) / units;
}

int64_t units_of(const BagGroup& g) {
  const int64_t per_unit = bags_per_unit(g);
  return (g.num_bags + per_unit - 1) / per_unit;
}

// First position in [begin, end) whose id is outside [-rows, rows), or -1.
template <typename TIndex>
int64_t first_bad_id(const TIndex* ids, int64_t begin, int64_t end, int64_t rows) {
  for (int64_t p = begin; p < end; ++p) {
    const int64_t id = ids[p];
    if (id < -rows || id >= rows) return p;
  }
  return -1;
}

template <typename TIndex>
void pool_bags(const BagGroup& g, int group, int64_t bag_begin, int64_t bag_end, PoolBagFn pool,
               BadIdTracker& bad) {
  const TIndex* ids = g.indices->data<TIndex>();
  const BagSource src{g.table->data<float>(), g.rows, g.dim, ids, g.weights, g.num_ids};
  for (int64_t b = bag_begin; b < bag_end; ++b) {
    int64_t begin = 0;
    int64_t end = 0;
    bag_bounds(g, b, &begin, &end);
    if (b == bag_begin) {
      // Warm up: the pool loop prefetches kPrefetchDistance ids ahead of the one it reads.
      for (int64_t p = begin; p < std::min(end, begin + kPrefetchDistance); ++p) {
        prefetch_id<TIndex>(src, p);
      }
    }
    const int64_t bad_position = first_bad_id(ids, begin, end, g.rows);
    if (bad_position >= 0) {
      bad.report(group, b, bad_position);
      continue;
    }
    if (g.out != nullptr) pool(src, begin, end, g.out + b * g.dim);
  }
}

class EmbeddingBagKernel final : public Kernel {
 public:
  explicit EmbeddingBagKernel(const ir::Node& node) : mode_(pool_mode_of(node)) {}

  Status compute(KernelContext& ctx) const override {
    const int groups = num_groups(ctx.num_inputs());
    int64_t total_units = 0;
    RI_RETURN_IF_ERROR(check_weight_lengths(ctx));
    RI_RETURN_IF_ERROR(check_all_bag_bounds(ctx));
    for (int t = 0; t < groups; ++t) total_units += units_of(bag_group(ctx, t));
    BadIdTracker bad;
    ctx.parallel_for(total_units, 1, [&](int64_t unit_begin, int64_t unit_end) {
      // Find the group of the first unit, then walk groups along with the units.
      int group = 0;
      BagGroup g = bag_group(ctx, group);
      int64_t group_first_unit = 0;
      int64_t group_units = units_of(g);
      for (int64_t u = unit_begin; u < unit_end; ++u) {
        while (u >= group_first_unit + group_units) {
          group_first_unit += group_units;
          g = bag_group(ctx, ++group);
          group_units = units_of(g);
        }
        const int64_t per_unit = bags_per_unit(g);
        const int64_t bag_begin = (u - group_first_unit) * per_unit;
        const int64_t bag_end = std::min(g.num_bags, bag_begin + per_unit);
        const DType id_dtype = g.indices->dtype();
        const PoolBagFn pool = find_pool_bag(mode_, id_dtype, g.weights != nullptr);
        if (id_dtype == DType::kInt32) {
          pool_bags<int32_t>(g, group, bag_begin, bag_end, pool, bad);
        } else {
          pool_bags<int64_t>(g, group, bag_begin, bag_end, pool, bad);
        }
      }
    });
    if (bad.any()) {
      const int group = static_cast<int>(bad.group());
      return bad_bag_id_error(ctx, bag_group(ctx, group), group, bad.bag(), bad.position());
    }
    return Status::ok();
  }

 private:
  PoolMode mode_;
};

Status check_bag_vector(const InferContext& ctx, const TensorInfo* info, int group,
                        std::string_view what) {
  if (info->shape.rank() != 1) {
    return ctx.error(StatusCode::kInvalidArgument, "{} of group {} must be 1-D, got shape {}",
                     what, group, info->shape.to_string());
  }
  return Status::ok();
}

// Validates group t and sets output t to (B_t, D_t).
Status infer_group(InferContext& ctx, int t, PoolMode mode) {
  const int base = t * kInputsPerGroup;
  RI_ASSIGN_OR_RETURN(const TensorInfo* table, ctx.required_input(base));
  RI_ASSIGN_OR_RETURN(const TensorInfo* indices, ctx.required_input(base + 1));
  RI_ASSIGN_OR_RETURN(const TensorInfo* starts, ctx.required_input(base + 2));
  const TensorInfo* ends = ctx.input(base + 3);
  const TensorInfo* weights = ctx.input(base + 4);
  if (table->dtype != DType::kFloat32 || table->shape.rank() != 2) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "table of group {} must be float32 of rank 2, got {} {}", t,
                     dtype_name(table->dtype), table->shape.to_string());
  }
  RI_RETURN_IF_ERROR(check_id_input(ctx, *indices, fmt::format("indices of group {}", t)));
  RI_RETURN_IF_ERROR(check_bag_vector(ctx, indices, t, "indices"));
  RI_RETURN_IF_ERROR(check_id_input(ctx, *starts, fmt::format("starts of group {}", t)));
  RI_RETURN_IF_ERROR(check_bag_vector(ctx, starts, t, "starts"));
  int64_t num_bags = starts->shape[0];
  if (ends != nullptr) {
    RI_RETURN_IF_ERROR(check_id_input(ctx, *ends, fmt::format("ends of group {}", t)));
    RI_RETURN_IF_ERROR(check_bag_vector(ctx, ends, t, "ends"));
    num_bags = ends->shape[0];
    if (starts->shape[0] < num_bags) {
      return ctx.error(StatusCode::kInvalidArgument,
                       "starts of group {} has {} elements, fewer than the {} bags of ends", t,
                       starts->shape[0], num_bags);
    }
  }
  if (weights != nullptr) {
    if (mode != PoolMode::kSum) {
      return ctx.error(StatusCode::kInvalidArgument,
                       "per-sample weights of group {} need mode 'sum'", t);
    }
    if (weights->dtype != DType::kFloat32 || weights->shape != Shape{indices->shape[0]}) {
      return ctx.error(StatusCode::kInvalidArgument,
                       "weights of group {} must be float32 of shape {}, got {} {}", t,
                       Shape{indices->shape[0]}.to_string(), dtype_name(weights->dtype),
                       weights->shape.to_string());
    }
  }
  ctx.set_output(t, DType::kFloat32, Shape{num_bags, table->shape[1]});
  return Status::ok();
}

}  // namespace

Status infer_embedding_bag(InferContext& ctx) {
  const int inputs = ctx.num_inputs();
  // Trailing optional inputs (ends, weights of the last group) may be left out.
  if (inputs < 3 || inputs % kInputsPerGroup == 1 || inputs % kInputsPerGroup == 2) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "expects 5 inputs per table (table, indices, starts, [ends], [weights]), "
                     "got {} inputs",
                     inputs);
  }
  const int groups = num_groups(inputs);
  if (ctx.num_outputs() != groups) {
    return ctx.error(StatusCode::kInvalidArgument, "has {} tables but {} outputs", groups,
                     ctx.num_outputs());
  }
  PoolMode mode = PoolMode::kSum;
  RI_RETURN_IF_ERROR(pool_mode_attr(ctx, &mode));
  for (int t = 0; t < groups; ++t) RI_RETURN_IF_ERROR(infer_group(ctx, t, mode));
  return Status::ok();
}

std::unique_ptr<Kernel> make_embedding_bag(const ir::Node& node) {
  return std::make_unique<EmbeddingBagKernel>(node);
}

}  // namespace recinfer::kernels
