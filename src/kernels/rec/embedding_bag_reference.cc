// Naive EmbeddingBag: tables, bags and columns one after another on one thread, each output
// element a loop over its bag's ids, sharing no scheduling, prefetching or vector code with the
// optimised kernel. The oracle it is tested against.
#include "kernels/rec/embedding_bag.h"
#include "kernels/rec/pool_bag.h"
#include "kernels/rec/rec_kernels.h"

namespace recinfer::kernels {

using namespace rec;  // NOLINT(google-build-using-namespace)

namespace {

class EmbeddingBagReference final : public Kernel {
 public:
  explicit EmbeddingBagReference(const ir::Node& node) : mode_(pool_mode_of(node)) {}

  Status compute(KernelContext& ctx) const override {
    RI_RETURN_IF_ERROR(check_weight_lengths(ctx));
    RI_RETURN_IF_ERROR(check_all_bag_bounds(ctx));  // before any id, as the optimised kernel
    const int groups = num_groups(ctx.num_inputs());
    for (int t = 0; t < groups; ++t) {
      const BagGroup g = bag_group(ctx, t);
      const float* table = g.table->data<float>();
      for (int64_t b = 0; b < g.num_bags; ++b) {
        int64_t begin = 0;
        int64_t end = 0;
        bag_bounds(g, b, &begin, &end);
        for (int64_t p = begin; p < end; ++p) {
          int64_t row = 0;
          if (!embedding::wrap_index(embedding::index_at(*g.indices, p), g.rows, &row)) {
            return bad_bag_id_error(ctx, g, t, b, p);
          }
        }
        if (g.out == nullptr) continue;
        for (int64_t d = 0; d < g.dim; ++d) {
          float acc = mode_ == PoolMode::kMax ? pool_identity<PoolMode::kMax>() : 0.0f;
          for (int64_t p = begin; p < end; ++p) {
            int64_t row = 0;
            embedding::wrap_index(embedding::index_at(*g.indices, p), g.rows, &row);
            float v = table[row * g.dim + d];
            if (g.weights != nullptr) v = v * g.weights[p];
            acc = mode_ == PoolMode::kMax ? max_combine(acc, v) : acc + v;
          }
          if (mode_ == PoolMode::kMean) acc = acc / static_cast<float>(end - begin);
          g.out[b * g.dim + d] = acc;
        }
      }
    }
    return Status::ok();
  }

 private:
  PoolMode mode_;
};

}  // namespace

std::unique_ptr<Kernel> make_embedding_bag_reference(const ir::Node& node) {
  return std::make_unique<EmbeddingBagReference>(node);
}

}  // namespace recinfer::kernels
