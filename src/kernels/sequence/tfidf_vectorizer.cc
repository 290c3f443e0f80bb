// TfIdfVectorizer (opset 9): counts the pool's n-grams in each row of an id sequence (C) or
// batch (N, C) -> float (max(ngram_indexes) + 1) or (N, that). An n-gram of length n taken
// with skip s reads n ids spaced s + 1 apart; every s in [0, max_skip_count] and every n in
// [min_gram_length, max_gram_length] is counted, unigrams once (skips do not apply to them).
// The pool (pool_int64s) lists the n-grams of each length in turn, length n starting at
// ngram_counts[n-1]; the k-th pool n-gram counts into output ngram_indexes[k]. mode TF: the
// counts; IDF: weights[k] where the count is non-zero; TFIDF: count * weights[k] (weights
// default to 1).
#include "kernels/sequence/tfidf_vectorizer.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "kernels/dispatch.h"

namespace recinfer::kernels {

namespace {

enum class Weighting { kTf, kIdf, kTfIdf };

// The pool's n-grams of one length, sorted for binary search without allocating.
struct GramTable {
  int64_t length = 0;
  std::vector<int64_t> ids;     // gram g at [g * length, (g + 1) * length), sorted
  std::vector<int64_t> output;  // output index of gram g
  std::vector<float> weight;    // weight of gram g
};

struct TfIdfConfig {
  Weighting weighting = Weighting::kTf;
  int64_t min_gram = 1, max_gram = 1, max_skip = 0, outputs = 0;
  std::vector<GramTable> tables;  // by length - 1 (empty tables for lengths without grams)
};

Result<TfIdfConfig> parse_config(const ir::Node& node) {
  TfIdfConfig c;
  const std::string mode = node.attr_string("mode", "");
  if (mode == "TF") c.weighting = Weighting::kTf;
  else if (mode == "IDF") c.weighting = Weighting::kIdf;
  else if (mode == "TFIDF") c.weighting = Weighting::kTfIdf;
  else return invalid_argument("{}: mode must be TF, IDF or TFIDF, got '{}'", node.describe(), mode);
  if (node.has_attr("pool_strings")) {
    return unsupported("{}: string pools (pool_strings) are not supported", node.describe());
  }
  c.min_gram = node.attr_int("min_gram_length", 0);
  c.max_gram = node.attr_int("max_gram_length", 0);
  c.max_skip = node.attr_int("max_skip_count", 0);
  const std::vector<int64_t> counts = node.attr_ints("ngram_counts");
  const std::vector<int64_t> indexes = node.attr_ints("ngram_indexes");
  const std::vector<int64_t> pool = node.attr_ints("pool_int64s");
  const std::vector<float> weights = node.attr_floats("weights");
  if (c.min_gram < 1 || c.max_gram < c.min_gram || c.max_gram > 64 || c.max_skip < 0 ||
      static_cast<int64_t>(counts.size()) > c.max_gram) {
    return invalid_argument("{}: need 1 <= min_gram_length {} <= max_gram_length {} <= 64, "
                            "max_skip_count {} >= 0 and at most max_gram_length ngram_counts ({})",
                            node.describe(), c.min_gram, c.max_gram, c.max_skip, counts.size());
  }
  c.tables.resize(static_cast<size_t>(c.max_gram));
  int64_t gram = 0;  // position in ngram_indexes
  for (size_t n = 0; n < counts.size(); ++n) {
    const int64_t length = static_cast<int64_t>(n) + 1;
    const int64_t begin = counts[n];
    const int64_t end = n + 1 < counts.size() ? counts[n + 1] : static_cast<int64_t>(pool.size());
    if (begin < 0 || end < begin || end > static_cast<int64_t>(pool.size()) || (end - begin) % length != 0) {
      return invalid_argument("{}: ngram_counts {} do not split pool_int64s ({} ids) into {}-grams",
                              node.describe(), begin, pool.size(), length);
    }
    GramTable& table = c.tables[n];
    table.length = length;
    const int64_t grams = (end - begin) / length;
    if (gram + grams > static_cast<int64_t>(indexes.size()) ||
        (!weights.empty() && gram + grams > static_cast<int64_t>(weights.size()))) {
      return invalid_argument("{}: ngram_indexes ({}) or weights ({}) are shorter than the pool",
                              node.describe(), indexes.size(), weights.size());
    }
    std::vector<int64_t> order(static_cast<size_t>(grams));
    std::iota(order.begin(), order.end(), 0);
    const int64_t* base = pool.data() + begin;
    std::sort(order.begin(), order.end(), [&](int64_t l, int64_t r) {
      return std::lexicographical_compare(base + l * length, base + (l + 1) * length,
                                          base + r * length, base + (r + 1) * length);
    });
    for (int64_t g : order) {
      table.ids.insert(table.ids.end(), base + g * length, base + (g + 1) * length);
      const int64_t out = indexes[static_cast<size_t>(gram + g)];
      if (out < 0 || out >= (int64_t{1} << 24)) {
        return invalid_argument("{}: ngram_indexes value {} is negative or too large", node.describe(), out);
      }
      table.output.push_back(out);
      table.weight.push_back(weights.empty() ? 1.0f : weights[static_cast<size_t>(gram + g)]);
      c.outputs = std::max(c.outputs, out + 1);
    }
    gram += grams;
  }
  return c;
}

// Index of the gram equal to `gram` (ids spaced `stride` apart) in `table`, or -1.
template <typename T>
int64_t find_gram(const GramTable& table, const T* gram, int64_t stride) {
  int64_t low = 0, high = static_cast<int64_t>(table.output.size());
  while (low < high) {
    const int64_t mid = (low + high) / 2;
    const int64_t* candidate = table.ids.data() + mid * table.length;
    int order = 0;
    for (int64_t i = 0; i < table.length && order == 0; ++i) {
      const auto id = static_cast<int64_t>(gram[i * stride]);
      order = candidate[i] < id ? -1 : (candidate[i] > id ? 1 : 0);
    }
    if (order == 0) return mid;
    if (order < 0) low = mid + 1; else high = mid;
  }
  return -1;
}

class TfIdfKernel final : public Kernel {
 public:
  explicit TfIdfKernel(const ir::Node& node) : config_(parse_config(node)) {}
  Status prepare(const PrepareContext& /*ctx*/) override { return config_.status(); }

  Status compute(KernelContext& ctx) const override {
    const TfIdfConfig& c = *config_;
    const Tensor& x = *ctx.input(0);
    const int64_t rows = x.rank() == 2 ? x.shape()[0] : 1;
    const int64_t cols = x.rank() == 2 ? x.shape()[1] : x.numel();
    float* y = ctx.output(0).data<float>();
    std::fill(y, y + ctx.output(0).numel(), 0.0f);
    return dispatch<bit(DType::kInt32) | bit(DType::kInt64)>(x.dtype(), [&](auto tag) {
      using T = decltype(tag);
      for (int64_t r = 0; r < rows; ++r) {
        const T* row = x.data<T>() + r * cols;
        float* out = y + r * c.outputs;
        for (int64_t n = c.min_gram; n <= c.max_gram; ++n) {
          const GramTable& table = c.tables[static_cast<size_t>(n - 1)];
          if (table.output.empty()) continue;
          const int64_t max_skip = n == 1 ? 0 : c.max_skip;
          for (int64_t skip = 0; skip <= max_skip; ++skip) {
            const int64_t span = (n - 1) * (skip + 1);
            for (int64_t start = 0; start + span < cols; ++start) {
              const int64_t g = find_gram(table, row + start, skip + 1);
              if (g < 0) continue;
              const auto gram = static_cast<size_t>(g);
              float& slot = out[table.output[gram]];
              switch (c.weighting) {
                case Weighting::kTf: slot += 1.0f; break;
                case Weighting::kIdf: slot = table.weight[gram]; break;  // present: its weight
                case Weighting::kTfIdf: slot += table.weight[gram]; break;
              }
            }
          }
        }
      }
      return Status::ok();
    });
  }

 private:
  Result<TfIdfConfig> config_;
};

}  // namespace

Status infer_tfidf_vectorizer(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (x->dtype != DType::kInt32 && x->dtype != DType::kInt64) {
    return ctx.error(StatusCode::kUnsupported, "input has dtype {} (int32, int64 supported)",
                     dtype_name(x->dtype));
  }
  if (x->shape.rank() != 1 && x->shape.rank() != 2) {
    return ctx.error(StatusCode::kInvalidArgument, "input {} must be (C) or (N, C)", x->shape.to_string());
  }
  RI_ASSIGN_OR_RETURN(const TfIdfConfig c, parse_config(ctx.node()));
  ctx.set_output(0, DType::kFloat32,
                 x->shape.rank() == 2 ? Shape{x->shape[0], c.outputs} : Shape{c.outputs});
  return Status::ok();
}

std::unique_ptr<Kernel> make_tfidf_vectorizer(const ir::Node& node) {
  return std::make_unique<TfIdfKernel>(node);
}

}  // namespace recinfer::kernels
