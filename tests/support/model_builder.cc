#include "support/model_builder.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace recinfer::testing {

ModelBuilder::ModelBuilder(int opset) {
  model_.set_ir_version(8);
  model_.set_producer_name("recinfer-tests");
  auto* import = model_.add_opset_import();
  import->set_domain("");
  import->set_version(opset);
  model_.mutable_graph()->set_name("test");
}

static void set_type(onnx::ValueInfoProto* info, int elem_type, const std::vector<int64_t>& dims) {
  auto* tt = info->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(elem_type);
  auto* shape = tt->mutable_shape();
  for (int64_t d : dims) {
    auto* dim = shape->add_dim();
    if (d < 0) {
      dim->set_dim_param("batch");
    } else {
      dim->set_dim_value(d);
    }
  }
}

void ModelBuilder::input(const std::string& name, int elem_type, const std::vector<int64_t>& dims) {
  auto* in = graph().add_input();
  in->set_name(name);
  set_type(in, elem_type, dims);
}

void ModelBuilder::output(const std::string& name, int elem_type, const std::vector<int64_t>& dims) {
  auto* out = graph().add_output();
  out->set_name(name);
  set_type(out, elem_type, dims);
}

onnx::NodeProto& ModelBuilder::node(const std::string& op, const std::vector<std::string>& inputs,
                                    const std::vector<std::string>& outputs,
                                    const std::string& name) {
  auto* n = graph().add_node();
  n->set_op_type(op);
  n->set_name(name.empty() ? op + std::to_string(graph().node_size()) : name);
  for (const auto& i : inputs) n->add_input(i);
  for (const auto& o : outputs) n->add_output(o);
  return *n;
}

onnx::TensorProto& ModelBuilder::initializer_f32(const std::string& name,
                                                 const std::vector<int64_t>& dims,
                                                 const std::vector<float>& values) {
  auto* t = graph().add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t->add_dims(d);
  t->set_raw_data(values.data(), values.size() * sizeof(float));
  return *t;
}

onnx::TensorProto& ModelBuilder::initializer_i64(const std::string& name,
                                                 const std::vector<int64_t>& dims,
                                                 const std::vector<int64_t>& values) {
  auto* t = graph().add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::INT64);
  for (int64_t d : dims) t->add_dims(d);
  for (int64_t v : values) t->add_int64_data(v);
  return *t;
}

std::string ModelBuilder::serialize() const { return model_.SerializeAsString(); }

std::string ModelBuilder::write(const std::string& dir) const {
  std::filesystem::create_directories(dir);
  std::string path = dir + "/model.onnx";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << serialize();
  return path;
}

void add_attr_int(onnx::NodeProto& node, const std::string& name, int64_t v) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

void add_attr_ints(onnx::NodeProto& node, const std::string& name, const std::vector<int64_t>& v) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

std::string temp_dir(const std::string& tag) {
  auto dir = std::filesystem::temp_directory_path() /
             ("recinfer_test_" + tag + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

}  // namespace recinfer::testing
