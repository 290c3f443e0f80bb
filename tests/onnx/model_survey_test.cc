// model_survey reads what a model holds without loading it: histogram, coverage with the
// runtime's op support, and the features conformance classifies skips by.
#include "onnx/model_survey.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "support/model_builder.h"

namespace recinfer::onnx_io {
namespace {

using recinfer::testing::ModelBuilder;
using recinfer::testing::temp_dir;

bool never_supported(ir::OpType) { return false; }

TEST(ModelSurveyTest, HistogramAndCoverageOfAModelThatDoesNotLoad) {
  ModelBuilder b(14);
  b.input("x", ::onnx::TensorProto::FLOAT, {2});
  b.output("z", ::onnx::TensorProto::FLOAT, {2});
  b.node("Relu", {"x"}, {"y"}, "relu");
  b.node("NoSuchOp", {"y"}, {"w"}, "mystery");
  b.node("NoSuchOp", {"w"}, {"z"}, "mystery2");
  const std::string path = b.write(temp_dir("survey_coverage"));
  auto survey = survey_model(path);
  ASSERT_TRUE(survey.is_ok()) << survey.status().to_string();
  EXPECT_EQ(survey->opset, 14);
  EXPECT_EQ(survey->histogram.at("Relu"), 1);
  EXPECT_EQ(survey->histogram.at("NoSuchOp"), 2);
  ASSERT_EQ(survey->coverage.unsupported.size(), 1u);
  EXPECT_EQ(survey->coverage.unsupported[0].op_type, "NoSuchOp");
  EXPECT_EQ(survey->coverage.unsupported[0].nodes, 2);
  EXPECT_EQ(survey->coverage.unsupported[0].first_node, "mystery");
  // With a support function, known ops it says no to count too.
  auto none = survey_model(path, &never_supported);
  ASSERT_TRUE(none.is_ok());
  EXPECT_EQ(none->coverage.unsupported.size(), 2u);
  EXPECT_TRUE(survey->training_op.empty() && survey->string_use.empty() && survey->sequence_use.empty());
}

TEST(ModelSurveyTest, TrainingStringAndSequenceFeatures) {
  ModelBuilder b(16);
  b.input("x", ::onnx::TensorProto::FLOAT, {2});
  b.output("s", ::onnx::TensorProto::STRING, {2});
  auto& adam = b.node("Adam", {"x"}, {"a"}, "adam");
  adam.set_domain("ai.onnx.preview.training");
  b.node("SequenceConstruct", {"a"}, {"q"}, "seq");
  auto& cast = b.node("Cast", {"x"}, {"s"}, "to_string");
  recinfer::testing::add_attr_int(cast, "to", ::onnx::TensorProto::STRING);
  auto survey = survey_model(b.write(temp_dir("survey_features")));
  ASSERT_TRUE(survey.is_ok()) << survey.status().to_string();
  EXPECT_NE(survey->training_op.find("adam"), std::string::npos);
  EXPECT_NE(survey->string_use.find("'s'"), std::string::npos);  // the string graph output
  EXPECT_NE(survey->sequence_use.find("seq"), std::string::npos);
  EXPECT_EQ(survey->histogram.at("ai.onnx.preview.training.Adam"), 1);
}

TEST(ModelSurveyTest, CorruptFileIsAnError) {
  const std::string dir = temp_dir("survey_corrupt");
  const std::string path = dir + "/model.onnx";
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fputs("not a model", f);
  std::fclose(f);
  EXPECT_FALSE(survey_model(path).is_ok());
}

}  // namespace
}  // namespace recinfer::onnx_io
