// Unique: the ONNX examples (sorted / first-occurrence order, with and without axis), omitted
// trailing outputs, empty and bool inputs, and random int64 ids against a std::map count.
#include <map>

#include "kernels/reduce/reduce_test_util.h"

namespace recinfer::kernels::reduce_test {
namespace {

using ir::OpType;

Tensor ids_example() { return make_tensor<float>(Shape{6}, {2, 1, 1, 3, 4, 3}); }

TEST(UniqueTest, SortedWithoutAxis) {
  auto out = run_ok(OpType::kUnique, 11, {}, {ids_example()}, 4);
  EXPECT_EQ(to_vector<float>(out[0]), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(to_vector<int64_t>(out[1]), (std::vector<int64_t>{1, 0, 3, 4}));
  EXPECT_EQ(to_vector<int64_t>(out[2]), (std::vector<int64_t>{1, 0, 0, 2, 3, 2}));
  EXPECT_EQ(to_vector<int64_t>(out[3]), (std::vector<int64_t>{2, 1, 2, 1}));
}

TEST(UniqueTest, NotSortedKeepsFirstOccurrenceOrder) {
  auto out = run_ok(OpType::kUnique, 11, {{"sorted", attr_int(0)}}, {ids_example()}, 4);
  EXPECT_EQ(to_vector<float>(out[0]), (std::vector<float>{2, 1, 3, 4}));
  EXPECT_EQ(to_vector<int64_t>(out[1]), (std::vector<int64_t>{0, 1, 3, 4}));
  EXPECT_EQ(to_vector<int64_t>(out[2]), (std::vector<int64_t>{0, 1, 1, 2, 3, 2}));
  EXPECT_EQ(to_vector<int64_t>(out[3]), (std::vector<int64_t>{1, 2, 2, 1}));
}

TEST(UniqueTest, SortedWithAxis) {
  const Tensor x = make_tensor<float>(Shape{3, 3}, {1, 0, 0, 1, 0, 0, 2, 3, 4});
  auto rows = run_ok(OpType::kUnique, 11, {{"axis", attr_int(0)}}, {x}, 4);
  EXPECT_EQ(rows[0].shape(), (Shape{2, 3}));
  EXPECT_EQ(to_vector<float>(rows[0]), (std::vector<float>{1, 0, 0, 2, 3, 4}));
  EXPECT_EQ(to_vector<int64_t>(rows[1]), (std::vector<int64_t>{0, 2}));
  EXPECT_EQ(to_vector<int64_t>(rows[2]), (std::vector<int64_t>{0, 0, 1}));
  EXPECT_EQ(to_vector<int64_t>(rows[3]), (std::vector<int64_t>{2, 1}));
  auto columns = run_ok(OpType::kUnique, 11, {{"axis", attr_int(-1)}}, {x}, 4);
  EXPECT_EQ(columns[0].shape(), (Shape{3, 3}));
  EXPECT_EQ(to_vector<float>(columns[0]), (std::vector<float>{0, 0, 1, 0, 0, 1, 3, 4, 2}));
  EXPECT_EQ(to_vector<int64_t>(columns[1]), (std::vector<int64_t>{1, 2, 0}));
  EXPECT_EQ(to_vector<int64_t>(columns[2]), (std::vector<int64_t>{2, 0, 1}));
  EXPECT_EQ(to_vector<int64_t>(columns[3]), (std::vector<int64_t>{1, 1, 1}));
}

TEST(UniqueTest, SortedWithMiddleAxis3d) {
  const Tensor x = make_tensor<int64_t>(Shape{2, 4, 2},
                                        {1, 1, 0, 1, 2, 1, 0, 1, 1, 1, 0, 1, 2, 1, 0, 1});
  auto out = run_ok(OpType::kUnique, 11, {{"axis", attr_int(1)}}, {x}, 4);
  EXPECT_EQ(out[0].shape(), (Shape{2, 3, 2}));
  EXPECT_EQ(to_vector<int64_t>(out[0]), (std::vector<int64_t>{0, 1, 1, 1, 2, 1, 0, 1, 1, 1, 2, 1}));
  EXPECT_EQ(to_vector<int64_t>(out[1]), (std::vector<int64_t>{1, 0, 2}));
  EXPECT_EQ(to_vector<int64_t>(out[2]), (std::vector<int64_t>{1, 0, 2, 0}));
  EXPECT_EQ(to_vector<int64_t>(out[3]), (std::vector<int64_t>{2, 1, 1}));
}

TEST(UniqueTest, OnlyYRequestedAndEmptyAndBoolInputs) {
  auto y_only = run_ok(OpType::kUnique, 11, {}, {make_tensor<int32_t>(Shape{2, 2}, {5, -1, 5, 7})}, 1);
  EXPECT_EQ(to_vector<int32_t>(y_only[0]), (std::vector<int32_t>{-1, 5, 7}));
  auto empty = run_ok(OpType::kUnique, 11, {}, {make_tensor<float>(Shape{0}, {})}, 4);
  EXPECT_EQ(empty[0].shape(), (Shape{0}));
  EXPECT_EQ(empty[2].shape(), (Shape{0}));
  EXPECT_EQ(empty[3].shape(), (Shape{0}));
  auto flags = run_ok(OpType::kUnique, 11, {{"sorted", attr_int(0)}},
                      {make_tensor<bool>(Shape{4}, {true, false, true, true})}, 4);
  EXPECT_EQ(to_vector<bool>(flags[0]), (std::vector<bool>{true, false}));
  EXPECT_EQ(to_vector<int64_t>(flags[3]), (std::vector<int64_t>{3, 1}));
}

TEST(UniqueTest, RandomIdsMatchMapCount) {
  for (int sorted = 0; sorted <= 1; ++sorted) {
    const Tensor x = random_tensor<int64_t>(Shape{37, 29}, 21 + sorted, -40, 400);
    auto out = run_ok(OpType::kUnique, 11, {{"sorted", attr_int(sorted)}}, {x}, 4);
    const int64_t* ids = x.data<int64_t>();
    std::map<int64_t, std::pair<int64_t, int64_t>> first_and_count;
    std::vector<int64_t> first_order;
    for (int64_t i = 0; i < x.numel(); ++i) {
      auto [it, inserted] = first_and_count.try_emplace(ids[i], i, 0);
      ++it->second.second;
      if (inserted) first_order.push_back(ids[i]);
    }
    std::vector<int64_t> expected_y;
    if (sorted) {
      for (const auto& [id, info] : first_and_count) expected_y.push_back(id);
    } else {
      expected_y = first_order;
    }
    const auto y = to_vector<int64_t>(out[0]);
    ASSERT_EQ(y, expected_y);
    const auto indices = to_vector<int64_t>(out[1]);
    const auto inverse = to_vector<int64_t>(out[2]);
    const auto counts = to_vector<int64_t>(out[3]);
    for (size_t g = 0; g < y.size(); ++g) {
      EXPECT_EQ(indices[g], first_and_count[y[g]].first);
      EXPECT_EQ(counts[g], first_and_count[y[g]].second);
    }
    for (int64_t i = 0; i < x.numel(); ++i) EXPECT_EQ(y[static_cast<size_t>(inverse[i])], ids[i]);
  }
}

TEST(UniqueTest, OutputsAreDynamicAndErrorsAreReported) {
  ir::Node node;
  node.name = "dedup";
  node.op = OpType::kUnique;
  node.opset = 11;
  node.inputs = {0};
  node.num_declared_inputs = 1;
  node.outputs = {1, 2, 3, 4};
  const Tensor x = ids_example();
  TensorInfo x_info{x.dtype(), x.shape(), &x};
  InferContext ctx(node, {&x_info}, 4);
  ASSERT_TRUE(KernelRegistry::instance().find(OpType::kUnique)->infer(ctx).is_ok());
  EXPECT_TRUE(ctx.output_dynamic(0));
  EXPECT_TRUE(ctx.output_dynamic(1));
  EXPECT_FALSE(ctx.output_dynamic(2));
  EXPECT_EQ(ctx.output(2).shape, (Shape{6}));
  EXPECT_TRUE(ctx.output_dynamic(3));

  auto bad_axis = run_op(OpType::kUnique, 11, {{"axis", attr_int(1)}}, {x}, 4);
  ASSERT_FALSE(bad_axis.is_ok());
  EXPECT_NE(bad_axis.status().message().find("axis 1"), std::string::npos);
}

}  // namespace
}  // namespace recinfer::kernels::reduce_test
