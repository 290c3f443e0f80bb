#include <gtest/gtest.h>

#include "kernels/op_runner.h"

namespace recinfer::kernels {
namespace {

using Attrs = std::map<std::string, ir::Attribute, std::less<>>;

// Pool: unigrams {1}, {3}; bigrams {1, 2}, {2, 2}; outputs 0..3 in that order.
Attrs attrs(const std::string& mode, int64_t min_gram, int64_t max_skip) {
  return {{"mode", attr_string(mode)},          {"min_gram_length", attr_int(min_gram)},
          {"max_gram_length", attr_int(2)},     {"max_skip_count", attr_int(max_skip)},
          {"ngram_counts", attr_ints({0, 2})},  {"ngram_indexes", attr_ints({0, 1, 2, 3})},
          {"pool_int64s", attr_ints({1, 3, 1, 2, 2, 2})},
          {"weights", attr_floats({0.5f, 1, 2, 4})}};
}

std::vector<float> run(const Attrs& a, const Tensor& x) {
  auto out = run_op(ir::OpType::kTfIdfVectorizer, 9, a, {x}, 1);
  EXPECT_TRUE(out.is_ok()) << out.status().to_string();
  if (!out.is_ok()) return {};
  return std::vector<float>((*out)[0].data<float>(), (*out)[0].data<float>() + (*out)[0].numel());
}

TEST(TfIdfVectorizerTest, CountsGramsWithSkips) {
  // x = 1 2 1 2 3: unigram 1 twice, 3 once; bigram (1,2) twice; with skip 1 the pairs are
  // (1,1), (2,2), (1,3): (2,2) once. Unigrams are counted once whatever the skip.
  const Tensor x = Tensor::from_vector<int64_t>(Shape{5}, {1, 2, 1, 2, 3}).value();
  EXPECT_EQ(run(attrs("TF", 1, 0), x), (std::vector<float>{2, 1, 2, 0}));
  EXPECT_EQ(run(attrs("TF", 1, 1), x), (std::vector<float>{2, 1, 2, 1}));
  EXPECT_EQ(run(attrs("TF", 2, 1), x), (std::vector<float>{0, 0, 2, 1}));
  EXPECT_EQ(run(attrs("IDF", 1, 1), x), (std::vector<float>{0.5f, 1, 2, 4}));
  EXPECT_EQ(run(attrs("TFIDF", 1, 1), x), (std::vector<float>{1, 1, 4, 4}));
  // Batched int32 rows.
  const Tensor rows = Tensor::from_vector<int32_t>(Shape{2, 3}, {1, 2, 2, 3, 3, 3}).value();
  EXPECT_EQ(run(attrs("TF", 1, 0), rows), (std::vector<float>{1, 0, 1, 1, 0, 3, 0, 0}));
}

}  // namespace
}  // namespace recinfer::kernels
