#include "support/bad_models.h"

#include <filesystem>
#include <fstream>

namespace recinfer::testing {

ModelBuilder reduce_axes_model(int declared) {
  ModelBuilder b(11);
  b.input("x", onnx::TensorProto::FLOAT, {2, 3});
  auto& reduce = b.node("ReduceSum", {"x"}, {"y"}, "reduce_rows");
  auto* axes = reduce.add_attribute();
  axes->set_name("axes");
  axes->set_type(static_cast<onnx::AttributeProto::AttributeType>(declared));
  axes->add_ints(1);
  add_attr_int(reduce, "keepdims", 0);
  b.output("y", onnx::TensorProto::FLOAT, {2});
  return b;
}

ModelBuilder no_outputs_model() {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, {2});
  b.node("Relu", {"x"}, {"y"}, "relu");
  return b;
}

ModelBuilder opset_model(int64_t version) {
  ModelBuilder b(14);
  b.model().mutable_opset_import(0)->set_version(version);
  b.input("x", onnx::TensorProto::FLOAT, {2});
  b.node("Relu", {"x"}, {"y"}, "relu");
  b.output("y", onnx::TensorProto::FLOAT, {2});
  return b;
}

ModelBuilder gemm_trans_model(int64_t trans_b) {
  ModelBuilder b(14);
  b.input("a", onnx::TensorProto::FLOAT, {2, 3});
  b.initializer_f32("b", {3, 4}, std::vector<float>(12, 0.5f));
  auto& gemm = b.node("Gemm", {"a", "b"}, {"y"}, "dense");
  add_attr_int(gemm, "transB", trans_b);
  b.output("y", onnx::TensorProto::FLOAT, {2, 4});
  return b;
}

ModelBuilder embedding_bag_model() {
  ModelBuilder b(14);
  auto* import = b.model().add_opset_import();
  import->set_domain("ai.recinfer");
  import->set_version(1);
  b.initializer_f32("table", {4, 2}, {1, 2, 3, 4, 5, 6, 7, 8});
  b.input("ids", onnx::TensorProto::INT64, {-1});
  auto* offsets = b.graph().add_input();
  offsets->set_name("offsets");
  auto* tt = offsets->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::INT64);
  tt->mutable_shape()->add_dim()->set_dim_param("bags");
  auto& bag = b.node("EmbeddingBag", {"table", "ids", "offsets"}, {"pooled"}, "bags");
  bag.set_domain("ai.recinfer");
  auto* out = b.graph().add_output();
  out->set_name("pooled");
  auto* ot = out->mutable_type()->mutable_tensor_type();
  ot->set_elem_type(onnx::TensorProto::FLOAT);
  ot->mutable_shape()->add_dim()->set_dim_param("bags");
  ot->mutable_shape()->add_dim()->set_dim_value(2);
  return b;
}

ModelBuilder loop_model(int64_t trip_count) {
  ModelBuilder b(13);
  b.input("x", onnx::TensorProto::FLOAT, {1});
  b.initializer_i64("m", {}, {trip_count});
  auto* cond = b.graph().add_initializer();
  cond->set_name("keep_going");
  cond->set_data_type(onnx::TensorProto::BOOL);
  cond->set_raw_data(std::string(1, '\1'));
  onnx::GraphProto body;
  body.set_name("body");
  for (const auto& [name, type] : {std::pair<const char*, int>{"i", onnx::TensorProto::INT64},
                                   {"cond_in", onnx::TensorProto::BOOL},
                                   {"x_in", onnx::TensorProto::FLOAT}}) {
    auto* in = body.add_input();
    in->set_name(name);
    in->mutable_type()->mutable_tensor_type()->set_elem_type(type);
  }
  for (const auto& [in, out] : {std::pair<const char*, const char*>{"cond_in", "cond_out"},
                                {"x_in", "x_out"}}) {
    auto* n = body.add_node();
    n->set_op_type("Identity");
    n->set_name(std::string("body_") + out);
    n->add_input(in);
    n->add_output(out);
    body.add_output()->set_name(out);
  }
  auto& loop = b.node("Loop", {"m", "keep_going", "x"}, {"x_final"}, "counting_loop");
  auto* attr = loop.add_attribute();
  attr->set_name("body");
  attr->set_type(onnx::AttributeProto::GRAPH);
  *attr->mutable_g() = body;
  b.output("x_final", onnx::TensorProto::FLOAT);
  return b;
}

ModelBuilder initializer_model(const std::vector<int64_t>& dims, bool external) {
  ModelBuilder b(14);
  b.input("x", onnx::TensorProto::FLOAT, dims);
  int64_t numel = 1;
  for (int64_t d : dims) numel *= d;
  auto& w = b.initializer_f32("w", dims, std::vector<float>(static_cast<size_t>(numel), 0.0f));
  if (external) {
    w.clear_raw_data();
    w.set_data_location(onnx::TensorProto::EXTERNAL);
    auto* location = w.add_external_data();
    location->set_key("location");
    location->set_value("weights.bin");
  }
  b.node("Add", {"x", "w"}, {"y"}, "add_weights");
  b.output("y", onnx::TensorProto::FLOAT, dims);
  return b;
}

std::string write_external_model(const ModelBuilder& builder, const std::string& dir,
                                 const std::vector<int64_t>& dims) {
  const std::string path = builder.write(dir);
  int64_t numel = 1;
  for (int64_t d : dims) numel *= d;
  std::ofstream out(dir + "/weights.bin", std::ios::binary | std::ios::trunc);
  const std::vector<float> zeros(static_cast<size_t>(numel), 0.0f);
  out.write(reinterpret_cast<const char*>(zeros.data()),
            static_cast<std::streamsize>(zeros.size() * sizeof(float)));
  return path;
}

ModelBuilder expand_model(const std::vector<int64_t>& shape) {
  ModelBuilder b(13);
  b.input("x", onnx::TensorProto::FLOAT, {1});
  b.initializer_i64("shape", {static_cast<int64_t>(shape.size())}, shape);
  b.node("Expand", {"x", "shape"}, {"y"}, "big_expand");
  b.output("y", onnx::TensorProto::FLOAT);
  return b;
}

void write_int64_inputs(const std::string& dir, const std::vector<std::vector<int64_t>>& inputs) {
  std::filesystem::create_directories(dir);
  for (size_t k = 0; k < inputs.size(); ++k) {
    onnx::TensorProto t;
    t.set_name("input_" + std::to_string(k));
    t.set_data_type(onnx::TensorProto::INT64);
    t.add_dims(static_cast<int64_t>(inputs[k].size()));
    for (int64_t v : inputs[k]) t.add_int64_data(v);
    std::ofstream out(dir + "/input_" + std::to_string(k) + ".pb", std::ios::binary | std::ios::trunc);
    t.SerializeToOstream(&out);
  }
}

}  // namespace recinfer::testing
