#include "tooling/request_generator.h"

#include <gtest/gtest.h>

#include <map>

#include "recinfer/session.h"
#include "tooling/id_ranges.h"

namespace recinfer::tooling {
namespace {

const std::string kZoo = std::string(RECINFER_SOURCE_DIR) + "/models/zoo/";

TEST(IdTrafficTest, ParsesAndRejects) {
  auto zipf = IdTraffic::parse("zipf:1.05,9");
  ASSERT_TRUE(zipf.is_ok()) << zipf.status().message();
  EXPECT_EQ(zipf->kind, IdTraffic::Kind::kZipf);
  EXPECT_DOUBLE_EQ(zipf->skew, 1.05);
  EXPECT_EQ(zipf->seed, 9u);
  auto uniform = IdTraffic::parse("uniform");
  ASSERT_TRUE(uniform.is_ok());
  EXPECT_EQ(uniform->kind, IdTraffic::Kind::kUniform);
  for (const char* bad : {"zipf", "zipf:", "zipf:-1", "zipf:x", "zipf:1,2,3", "pareto:1", ""}) {
    auto r = IdTraffic::parse(bad);
    ASSERT_FALSE(r.is_ok()) << bad;
    EXPECT_NE(r.status().message().find("--ids"), std::string::npos) << r.status().message();
  }
}

TEST(BagLengthsTest, ParsesAndRejects) {
  auto fixed = BagLengths::parse("fixed:20");
  ASSERT_TRUE(fixed.is_ok());
  EXPECT_EQ(fixed->a, 20);
  auto uniform = BagLengths::parse("uniform:1,40");
  ASSERT_TRUE(uniform.is_ok());
  EXPECT_EQ(uniform->b, 40);
  ASSERT_TRUE(BagLengths::parse("poisson:12.5").is_ok());
  for (const char* bad : {"fixed:-1", "uniform:5,2", "uniform:1", "poisson:0", "normal:3", "fixed"}) {
    EXPECT_FALSE(BagLengths::parse(bad).is_ok()) << bad;
  }
}

// bag_modes: three EmbeddingBag tables of 600, 400 and 700 rows (models/zoo/manifest.json, as
// models/build_zoo.py builds them); the offsets inputs index nothing.
TEST(IdRangesTest, FindsTheTablesBehindExporterLoops) {
  for (const char* dir : {"bag_modes_opset11", "bag_modes_opset14"}) {
    auto found = find_id_inputs(kZoo + dir + "/model.onnx");
    ASSERT_TRUE(found.is_ok()) << found.status().message();
    EXPECT_EQ(found->rows, (std::vector<int64_t>{600, 0, 400, 0, 700, 0})) << dir;
    ASSERT_EQ(found->specs.size(), 6u);
    EXPECT_EQ(found->specs[1].name, "offsets_0");
    EXPECT_EQ(found->specs[1].dim_names, std::vector<std::string>{"batch"});
  }
}

// Requests run, differ from one another, keep every id in its table, and have the bag lengths
// asked for.
TEST(RequestGeneratorTest, FreshValidRequestsWithTheGivenBagLengths) {
  const std::string model = kZoo + "bag_modes_opset14/model.onnx";
  auto session = Session::load(model);
  ASSERT_TRUE(session.is_ok()) << session.status().message();
  auto found = find_id_inputs(model);
  ASSERT_TRUE(found.is_ok());
  const std::vector<int64_t>* ranges = &found->rows;
  auto ids = IdTraffic::parse("zipf:1.05,3");
  auto bags = BagLengths::parse("fixed:7");
  RandomInputOptions base;
  base.dims["batch"] = 16;
  auto gen = RequestGenerator::create((*session)->inputs(), *ranges, *ids, &*bags, base);
  ASSERT_TRUE(gen.is_ok()) << gen.status().message();
  EXPECT_NE(gen->describe().find("3 id inputs (tables of 400..700 rows)"), std::string::npos)
      << gen->describe();

  std::vector<Tensor> previous;
  std::vector<Tensor> outputs;
  for (int r = 0; r < 5; ++r) {
    auto request = gen->next();
    ASSERT_TRUE(request.is_ok()) << request.status().message();
    const std::vector<Tensor>& in = *request;
    for (int t = 0; t < 3; ++t) {
      const Tensor& indices = in[static_cast<size_t>(2 * t)];
      const Tensor& offsets = in[static_cast<size_t>(2 * t + 1)];
      ASSERT_EQ(indices.numel(), 16 * 7);
      ASSERT_EQ(offsets.numel(), 16);
      for (int64_t b = 0; b < 16; ++b) EXPECT_EQ(offsets.data<int64_t>()[b], 7 * b);
      const int64_t rows = (*ranges)[static_cast<size_t>(2 * t)];
      for (int64_t k = 0; k < indices.numel(); ++k) {
        ASSERT_GE(indices.data<int64_t>()[k], 0);
        ASSERT_LT(indices.data<int64_t>()[k], rows);
      }
    }
    ASSERT_TRUE((*session)->run(in, outputs).is_ok());
    if (!previous.empty()) {
      EXPECT_NE(std::vector<int64_t>(in[0].data<int64_t>(), in[0].data<int64_t>() + 112),
                std::vector<int64_t>(previous[0].data<int64_t>(),
                                     previous[0].data<int64_t>() + 112));
    }
    previous = in;
  }
}

// Skewed traffic concentrates on few rows; uniform traffic does not.
TEST(RequestGeneratorTest, ZipfTrafficIsSkewed) {
  const std::string model = kZoo + "bag_modes_opset14/model.onnx";
  auto session = Session::load(model);
  ASSERT_TRUE(session.is_ok());
  auto found = find_id_inputs(model);
  ASSERT_TRUE(found.is_ok());
  const std::vector<int64_t>* ranges = &found->rows;
  auto bags = BagLengths::parse("fixed:10");
  RandomInputOptions base;
  base.dims["batch"] = 100;
  auto share_of_top_rows = [&](const std::string& traffic) {
    auto gen = RequestGenerator::create((*session)->inputs(), *ranges, *IdTraffic::parse(traffic),
                                        &*bags, base);
    std::map<int64_t, int> counts;
    int total = 0;
    for (int r = 0; r < 20; ++r) {
      auto request = gen->next();
      const Tensor& indices = (*request)[0];  // the 600-row table
      for (int64_t k = 0; k < indices.numel(); ++k, ++total) ++counts[indices.data<int64_t>()[k]];
    }
    std::vector<int> sorted;
    for (auto [row, c] : counts) sorted.push_back(c);
    std::sort(sorted.rbegin(), sorted.rend());
    int top = 0;
    for (size_t i = 0; i < 6 && i < sorted.size(); ++i) top += sorted[i];  // the top 1% of rows
    return static_cast<double>(top) / total;
  };
  EXPECT_GT(share_of_top_rows("zipf:1.05,1"), 0.25);
  EXPECT_LT(share_of_top_rows("uniform:1"), 0.05);
}

}  // namespace
}  // namespace recinfer::tooling
