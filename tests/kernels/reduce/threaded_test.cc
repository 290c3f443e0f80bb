// The reduce and sequence kernels on a real thread pool give bit-identical results to a serial
// run: work is split into fixed chunks whose results never depend on which thread ran them.
#include "kernels/reduce/reduce_test_util.h"
#include "runtime/thread_pool.h"

namespace recinfer::kernels::reduce_test {
namespace {

using ir::OpType;

struct Case {
  const char* name;
  OpType op;
  int opset;
  std::map<std::string, ir::Attribute, std::less<>> attrs;
  std::vector<Tensor> inputs;
  int num_outputs;
};

TEST(ReduceThreadedTest, ThreadPoolMatchesSerialExactly) {
  const Tensor wide = random_tensor<float>(Shape{301, 517}, 1);
  const Tensor seq = random_tensor<float>(Shape{64, 37, 65}, 2);
  const Tensor ids = random_tensor<int64_t>(Shape{200, 301}, 3, -2, 2);
  std::vector<Case> cases{
      {"sum all", OpType::kReduceSum, 13, {}, {wide}, 1},
      {"sum rows", OpType::kReduceSum, 13, {}, {wide, vector_i64({1})}, 1},
      {"sum middle", OpType::kReduceSum, 13, {}, {seq, vector_i64({1})}, 1},
      {"mean general", OpType::kReduceMean, 13, {{"axes", attr_ints({0, 2})}}, {seq}, 1},
      {"max columns", OpType::kReduceMax, 13, {{"axes", attr_ints({0})}}, {wide}, 1},
      {"argmax", OpType::kArgMax, 13, {{"axis", attr_int(1)}}, {seq}, 1},
      {"cumsum", OpType::kCumSum, 14, {}, {seq, scalar_i64(1)}, 1},
      {"softmax rows", OpType::kSoftmax, 13, {}, {wide}, 1},
      {"softmax middle", OpType::kSoftmax, 13, {{"axis", attr_int(1)}}, {seq}, 1},
      {"topk", OpType::kTopK, 11, {}, {wide, vector_i64({17})}, 2},
      {"topk middle", OpType::kTopK, 11, {{"axis", attr_int(1)}}, {seq, vector_i64({5})}, 2},
      {"nonzero", OpType::kNonZero, 13, {}, {ids}, 1},
  };
  runtime::ThreadPool pool(3);
  for (const Case& c : cases) {
    auto serial = run_ok(c.op, c.opset, c.attrs, c.inputs, c.num_outputs);
    auto threaded = run_ok(c.op, c.opset, c.attrs, c.inputs, c.num_outputs,
                           KernelVariant::kOptimized, &pool);
    ASSERT_EQ(serial.size(), threaded.size()) << c.name;
    for (size_t o = 0; o < serial.size(); ++o) {
      ASSERT_EQ(serial[o].shape(), threaded[o].shape()) << c.name;
      ASSERT_EQ(serial[o].bytes(), threaded[o].bytes()) << c.name;
      EXPECT_EQ(std::memcmp(serial[o].raw(), threaded[o].raw(), serial[o].bytes()), 0)
          << c.name << " output " << o;
    }
  }
}

}  // namespace
}  // namespace recinfer::kernels::reduce_test
