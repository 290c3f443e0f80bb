#include <gtest/gtest.h>

#include "kernels/conv/einsum_plan.h"
#include "kernels/conv/conv_test_util.h"

namespace recinfer::kernels {
namespace {

using namespace conv_test;  // NOLINT(google-build-using-namespace)

Attrs equation(const std::string& eq) { return {{"equation", attr_string(eq)}}; }

Result<std::vector<Tensor>> einsum(const std::string& eq, const std::vector<Tensor>& inputs,
                                   KernelVariant variant = KernelVariant::kOptimized) {
  return run_op(ir::OpType::kEinsum, 12, equation(eq), inputs, 1, variant);
}

TEST(EinsumTest, HandChecked) {
  const Tensor m = make_tensor<int64_t>({2, 3}, {1, 2, 3, 4, 5, 6});
  const Tensor sq = make_tensor<int64_t>({2, 2}, {1, 2, 3, 4});
  const Tensor v = make_tensor<int64_t>({3}, {1, 2, 3});
  struct Case {
    std::string eq;
    std::vector<Tensor> inputs;
    Shape shape;
    std::vector<int64_t> want;
  };
  const std::vector<Case> cases = {
      {"ij->ji", {m}, {3, 2}, {1, 4, 2, 5, 3, 6}},
      {"ij", {m}, {2, 3}, {1, 2, 3, 4, 5, 6}},
      {"ji", {m}, {3, 2}, {1, 4, 2, 5, 3, 6}},  // implicit output is alphabetical: ij
      {"ij->i", {m}, {2}, {6, 15}},
      {"ij->", {m}, {}, {21}},
      {"ii->i", {sq}, {2}, {1, 4}},
      {"ii", {sq}, {}, {5}},
      {"i,i", {v, v}, {}, {14}},
      {"i,j->ij", {v, make_tensor<int64_t>({2}, {1, 10})}, {3, 2}, {1, 10, 2, 20, 3, 30}},
      {"ij,j->i", {m, v}, {2}, {14, 32}},
      {" ij , jk -> ik ", {m, make_tensor<int64_t>({3, 1}, {1, 1, 1})}, {2, 1}, {6, 15}},
      {"ij,jk,k->i", {m, make_tensor<int64_t>({3, 2}, {1, 0, 0, 1, 1, 1}), make_tensor<int64_t>({2}, {1, 2})},
       {2},
       {1 * 1 + 2 * 2 + 3 * 3, 4 * 1 + 5 * 2 + 6 * 3}},
  };
  for (const Case& c : cases) {
    for (auto variant : {KernelVariant::kOptimized, KernelVariant::kReference}) {
      auto out = einsum(c.eq, c.inputs, variant);
      ASSERT_TRUE(out.is_ok()) << c.eq << ": " << out.status().to_string();
      EXPECT_EQ((*out)[0].shape(), c.shape) << c.eq;
      EXPECT_EQ(values_of<int64_t>((*out)[0]), c.want) << c.eq;
    }
  }
}

// The contractions CTR models emit, plus ellipsis, broadcasting, diagonals and three operands,
// on odd sizes against the naive reference.
TEST(EinsumTest, MatchesReferenceOnRandomShapes) {
  struct Case {
    std::string eq;
    std::vector<Shape> shapes;
  };
  const std::vector<Case> cases = {
      {"bnd,bmd->bnm", {{3, 7, 13}, {3, 5, 13}}},
      {"bij,bjk->bik", {{4, 9, 11}, {4, 11, 6}}},
      {"bi,bj->bij", {{5, 7}, {5, 3}}},
      {"nd,md->nm", {{17, 33}, {9, 33}}},
      {"bnd,dk->bnk", {{6, 5, 19}, {19, 23}}},
      {"bhqd,bhkd->bhqk", {{2, 3, 7, 8}, {2, 3, 5, 8}}},
      {"bhqk,bhkd->bhqd", {{2, 3, 7, 5}, {2, 3, 5, 8}}},
      {"ijk,ikl->ijl", {{3, 4, 5}, {3, 5, 6}}},
      {"b...,b...->b", {{6, 3, 4}, {6, 3, 4}}},
      {"b...,b...->b", {{6}, {6}}},
      {"...ij,...jk->...ik", {{2, 1, 3, 4}, {5, 4, 2}}},
      {"...ii->...i", {{3, 5, 5}}},
      {"bij,bkj->bki", {{3, 4, 5}, {3, 6, 5}}},
      {"nd,md->mn", {{7, 9}, {5, 9}}},
      {"bnd,bnd->bn", {{4, 6, 10}, {4, 6, 10}}},
      {"ijk->kji", {{3, 4, 5}}},
      {"ijk->j", {{3, 4, 5}}},
      {"abc,cd,de->abe", {{2, 3, 4}, {4, 5}, {5, 6}}},
      {"bi,bj,bk->bijk", {{3, 2}, {3, 4}, {3, 5}}},
      {"ab,ab,ab->", {{3, 4}, {3, 4}, {3, 4}}},
      {"bij,jk", {{2, 3, 4}, {4, 5}}},
      {"iij,jk->ik", {{3, 3, 4}, {4, 2}}},
      {"ij,kl->ijkl", {{2, 3}, {4, 5}}},
      {"bxd,bd->bx", {{4, 3, 8}, {4, 8}}},
      {"bd,bxd->bx", {{4, 8}, {4, 3, 8}}},
      {"ab,bc->ca", {{35, 40}, {40, 45}}},
  };
  std::mt19937 rng(42);
  for (const Case& c : cases) {
    std::vector<Tensor> f32, f64, i32;
    for (const Shape& s : c.shapes) {
      f32.push_back(random_tensor<float>(rng, s));
      f64.push_back(random_tensor<double>(rng, s));
      i32.push_back(random_tensor<int32_t>(rng, s));
    }
    expect_matches_reference<float>(ir::OpType::kEinsum, 12, equation(c.eq), f32, 1, 1e-4, 1e-4, c.eq);
    expect_matches_reference<double>(ir::OpType::kEinsum, 12, equation(c.eq), f64, 1, 1e-10, 1e-10, c.eq);
    expect_matches_reference<int32_t>(ir::OpType::kEinsum, 12, equation(c.eq), i32, 1, 0, 0, c.eq);
  }
}

// The common attention / interaction contractions run as GEMMs on the inputs in place.
TEST(EinsumTest, PlanAvoidsCopiesWhenLayoutsAllow) {
  struct Case {
    std::string eq;
    std::vector<Shape> shapes;
    int64_t copies;
  };
  const std::vector<Case> cases = {
      {"bnd,bmd->bnm", {{3, 7, 13}, {3, 5, 13}}, 0},
      {"bhqk,bhkd->bhqd", {{2, 3, 7, 5}, {2, 3, 5, 8}}, 0},
      {"bnd,dk->bnk", {{6, 5, 19}, {19, 23}}, 0},
      {"nd,md->mn", {{7, 9}, {5, 9}}, 0},
      {"bi,bj->bij", {{5, 7}, {5, 3}}, 0},
      {"b...,b...->b", {{6, 3, 4}, {6, 3, 4}}, 0},
      {"ij->ji", {{3, 4}}, 12},
  };
  for (const Case& c : cases) {
    auto eq = conv::EinsumEquation::parse(c.eq);
    ASSERT_TRUE(eq.is_ok());
    auto dims = conv::bind_einsum(*eq, c.shapes);
    ASSERT_TRUE(dims.is_ok()) << dims.status().to_string();
    auto plan = conv::plan_einsum(*dims);
    ASSERT_TRUE(plan.is_ok());
    EXPECT_EQ(plan->copied_elements, c.copies) << c.eq;
    EXPECT_EQ(plan->scratch_elements, 0) << c.eq;
  }
}

TEST(EinsumTest, EmptyDimensions) {
  auto zero_k = einsum("ij,jk->ik", {make_tensor<float>({2, 0}, {}), make_tensor<float>({0, 3}, {})});
  ASSERT_TRUE(zero_k.is_ok()) << zero_k.status().to_string();
  EXPECT_EQ(values_of<float>((*zero_k)[0]), std::vector<float>(6, 0.0f));
  auto zero_m = einsum("ij,jk->ik", {make_tensor<float>({0, 2}, {}), make_tensor<float>({2, 3}, std::vector<float>(6, 1))});
  ASSERT_TRUE(zero_m.is_ok());
  EXPECT_EQ((*zero_m)[0].shape(), (Shape{0, 3}));
}

TEST(EinsumTest, ErrorsNameTheProblem) {
  const Tensor m = make_tensor<float>({2, 3}, std::vector<float>(6, 1));
  const Tensor n = make_tensor<float>({4, 3}, std::vector<float>(12, 1));
  auto mismatch = einsum("ij,ij->i", {m, n});
  ASSERT_FALSE(mismatch.is_ok());
  EXPECT_NE(mismatch.status().to_string().find("size"), std::string::npos);
  EXPECT_FALSE(einsum("ijk->i", {m}).is_ok());        // rank
  EXPECT_FALSE(einsum("ij->k", {m}).is_ok());         // output label not in inputs
  EXPECT_FALSE(einsum("ij->ii", {m}).is_ok());        // repeated output label
  EXPECT_FALSE(einsum("i1->i", {m}).is_ok());         // not a letter
  EXPECT_FALSE(einsum("ij,jk->ik", {m}).is_ok());     // operand count
  EXPECT_FALSE(einsum("i..j->i", {m}).is_ok());       // broken ellipsis
  auto mixed = einsum("i,i", {make_tensor<float>({2}, {1, 2}), make_tensor<double>({2}, {1, 2})});
  EXPECT_FALSE(mixed.is_ok());
}

TEST(EinsumTest, SteadyStateComputeDoesNotAllocate) {
  std::mt19937 rng(3);
  EXPECT_EQ(steady_state_allocations(ir::OpType::kEinsum, 12, equation("bnd,bmd->bnm"),
                                     {random_tensor<float>(rng, {4, 6, 8}), random_tensor<float>(rng, {4, 5, 8})}),
            0);
  // Needs scratch: a permuted operand and a permuted result.
  EXPECT_EQ(steady_state_allocations(ir::OpType::kEinsum, 12, equation("ijk,kjl->lij"),
                                     {random_tensor<float>(rng, {3, 4, 5}), random_tensor<float>(rng, {5, 4, 6})}),
            0);
  EXPECT_EQ(steady_state_allocations(ir::OpType::kEinsum, 12, equation("ab,bc,cd->da"),
                                     {random_tensor<double>(rng, {3, 4}), random_tensor<double>(rng, {4, 5}),
                                      random_tensor<double>(rng, {5, 2})}),
            0);
}

}  // namespace
}  // namespace recinfer::kernels
