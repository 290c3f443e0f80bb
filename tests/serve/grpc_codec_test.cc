// The gRPC codec: typed InferTensorContents and raw_input_contents -> tensors for every datatype,
// range and size checks, zero-copy raw inputs, and responses as raw_output_contents.
#include "serve/grpc/grpc_codec.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>

namespace recinfer::serve::rpc {
namespace {

using inference::InferTensorContents;
using inference::ModelInferRequest;
using inference::ModelInferResponse;

std::vector<NamedTensor> tensors_of_every_typed_datatype() {
  std::vector<NamedTensor> tensors;
  auto add = [&](const std::string& name, auto values) {
    using T = typename decltype(values)::value_type;
    tensors.push_back(
        {name, Tensor::from_vector<T>(Shape({1, static_cast<int64_t>(values.size())}), values).value()});
  };
  add("bool", std::vector<bool>{true, false, true});
  add("u8", std::vector<uint8_t>{0, 255});
  add("u16", std::vector<uint16_t>{1, 65535});
  add("u32", std::vector<uint32_t>{2, UINT32_MAX});
  add("u64", std::vector<uint64_t>{3, UINT64_MAX});
  add("i8", std::vector<int8_t>{-128, 127});
  add("i16", std::vector<int16_t>{-32768, 32767});
  add("i32", std::vector<int32_t>{INT32_MIN, INT32_MAX});
  add("i64", std::vector<int64_t>{INT64_MIN, INT64_MAX});
  add("f32", std::vector<float>{0.1f, -3.4028235e38f, 1e-45f});
  add("f64", std::vector<double>{0.1, -1.7976931348623157e308, 5e-324});
  return tensors;
}

ModelInferRequest::InferInputTensor header_of(const NamedTensor& tensor) {
  ModelInferRequest::InferInputTensor input;
  input.set_name(tensor.name);
  input.set_datatype(*dtype_to_protocol(tensor.tensor.dtype()));
  for (const int64_t dim : tensor.tensor.shape()) input.add_shape(dim);
  return input;
}

void expect_same(const Tensor& got, const Tensor& expected) {
  EXPECT_EQ(got.dtype(), expected.dtype());
  EXPECT_EQ(got.shape(), expected.shape());
  ASSERT_EQ(got.bytes(), expected.bytes());
  EXPECT_EQ(std::memcmp(got.raw(), expected.raw(), got.bytes()), 0);
}

std::string error_of(const ServeResult<NamedTensor>& result) {
  const auto* error = std::get_if<ServeError>(&result);
  if (error == nullptr) {
    ADD_FAILURE() << "accepted";
    return "";
  }
  EXPECT_EQ(error->kind, ErrorKind::kBadRequest);
  return error->message;
}

TEST(GrpcCodec, TypedContentsOfEveryDatatype) {
  for (const NamedTensor& tensor : tensors_of_every_typed_datatype()) {
    SCOPED_TRACE(tensor.name);
    auto input = header_of(tensor);
    ASSERT_FALSE(contents_from_tensor(tensor.tensor, input.mutable_contents()).has_value());
    auto decoded = input_from_proto(input, nullptr);
    ASSERT_TRUE(std::holds_alternative<NamedTensor>(decoded)) << std::get<ServeError>(decoded).message;
    EXPECT_EQ(std::get<NamedTensor>(decoded).name, tensor.name);
    expect_same(std::get<NamedTensor>(decoded).tensor, tensor.tensor);
  }
}

TEST(GrpcCodec, RawContentsOfEveryDatatypeAreSharedNotCopied) {
  for (const NamedTensor& tensor : tensors_of_every_typed_datatype()) {
    SCOPED_TRACE(tensor.name);
    auto raw = std::make_shared<std::string>(static_cast<const char*>(tensor.tensor.raw()),
                                             tensor.tensor.bytes());
    auto decoded = input_from_proto(header_of(tensor), raw);
    ASSERT_TRUE(std::holds_alternative<NamedTensor>(decoded)) << std::get<ServeError>(decoded).message;
    const Tensor& got = std::get<NamedTensor>(decoded).tensor;
    expect_same(got, tensor.tensor);
    EXPECT_EQ(got.raw(), raw->data());  // std::string storage is 16-byte aligned
    EXPECT_EQ(got.owner().get(), raw.get());
  }
}

TEST(GrpcCodec, TypedValuesOutsideTheDatatypeAreRefused) {
  ModelInferRequest::InferInputTensor input;
  input.set_name("ids");
  input.set_datatype("INT8");
  input.add_shape(2);
  input.mutable_contents()->add_int_contents(5);
  input.mutable_contents()->add_int_contents(300);
  const std::string message = error_of(input_from_proto(input, nullptr));
  EXPECT_NE(message.find("input 'ids'"), std::string::npos) << message;
  EXPECT_NE(message.find("300"), std::string::npos) << message;

  input.set_datatype("UINT16");
  input.mutable_contents()->clear_int_contents();
  input.mutable_contents()->add_uint_contents(1);
  input.mutable_contents()->add_uint_contents(70000);
  EXPECT_NE(error_of(input_from_proto(input, nullptr)).find("70000"), std::string::npos);
}

TEST(GrpcCodec, CountsSizesAndHeadersAreChecked) {
  ModelInferRequest::InferInputTensor input;
  input.set_name("x");
  input.set_datatype("FP32");
  input.add_shape(2);
  input.add_shape(3);
  input.mutable_contents()->add_fp32_contents(1.0f);
  std::string message = error_of(input_from_proto(input, nullptr));
  EXPECT_NE(message.find("fp32_contents has 1 elements, the shape needs 6"), std::string::npos)
      << message;
  // Data in the wrong field is data missing from the right one.
  input.mutable_contents()->clear_fp32_contents();
  for (int i = 0; i < 6; ++i) input.mutable_contents()->add_int64_contents(i);
  EXPECT_NE(error_of(input_from_proto(input, nullptr)).find("fp32_contents has 0"), std::string::npos);

  message = error_of(input_from_proto(input, std::make_shared<std::string>(20, '\0')));
  EXPECT_NE(message.find("raw_input_contents has 20 bytes, the shape needs 24"), std::string::npos)
      << message;

  input.set_datatype("FP8");
  EXPECT_NE(error_of(input_from_proto(input, nullptr)).find("unknown datatype 'FP8'"),
            std::string::npos);
  input.set_datatype("FP16");
  EXPECT_NE(error_of(input_from_proto(input, nullptr)).find("raw_input_contents"), std::string::npos);
  input.set_datatype("FP32");
  input.set_shape(0, -2);
  EXPECT_NE(error_of(input_from_proto(input, nullptr)).find("-2"), std::string::npos);
  input.set_shape(0, int64_t{1} << 40);
  input.set_shape(1, int64_t{1} << 40);
  EXPECT_NE(error_of(input_from_proto(input, std::make_shared<std::string>())).find("more elements"),
            std::string::npos);

  ModelInferRequest::InferInputTensor flags;
  flags.set_name("b");
  flags.set_datatype("BOOL");
  flags.add_shape(2);
  EXPECT_NE(error_of(input_from_proto(flags, std::make_shared<std::string>("\x01\x07", 2)))
                .find("byte 1 is 7"),
            std::string::npos);
}

TEST(GrpcCodec, WholeRequestsWithParametersAndRawContents) {
  ModelInferRequest request;
  request.set_model_name("add_one");
  request.set_model_version("1");
  request.set_id("q");
  (*request.mutable_parameters())["timeout"].set_int64_param(1500);
  (*request.mutable_parameters())["priority"].set_uint64_param(1);
  request.add_outputs()->set_name("y");
  auto* x = request.add_inputs();
  x->set_name("x");
  x->set_datatype("FP32");
  x->add_shape(2);
  const float values[2] = {1.5f, -2.0f};
  request.add_raw_input_contents(std::string(reinterpret_cast<const char*>(values), 8));

  auto decoded = decode_infer_request(request);
  ASSERT_TRUE(std::holds_alternative<InferRequest>(decoded)) << std::get<ServeError>(decoded).message;
  const InferRequest& got = std::get<InferRequest>(decoded);
  EXPECT_EQ(got.model, "add_one");
  EXPECT_EQ(got.version, "1");
  EXPECT_EQ(got.id, "q");
  EXPECT_EQ(got.timeout_us, std::optional<uint64_t>(1500));
  EXPECT_EQ(got.priority, 1u);
  EXPECT_EQ(got.outputs, std::vector<std::string>{"y"});
  ASSERT_EQ(got.inputs.size(), 1u);
  EXPECT_EQ(got.inputs[0].tensor.data<float>()[1], -2.0f);
  EXPECT_TRUE(request.raw_input_contents(0).empty());  // taken, not copied

  ModelInferRequest mismatched;
  mismatched.add_inputs()->CopyFrom(*x);
  mismatched.add_inputs()->CopyFrom(*x);
  mismatched.add_raw_input_contents(std::string(8, '\0'));
  auto bad = decode_infer_request(mismatched);
  ASSERT_TRUE(std::holds_alternative<ServeError>(bad));
  EXPECT_NE(std::get<ServeError>(bad).message.find("1 raw_input_contents for 2 inputs"),
            std::string::npos);

  ModelInferRequest mixed;
  auto* typed = mixed.add_inputs();
  typed->CopyFrom(*x);
  typed->mutable_contents()->add_fp32_contents(1);
  typed->mutable_contents()->add_fp32_contents(2);
  mixed.add_raw_input_contents(std::string(8, '\0'));
  auto mixed_result = decode_infer_request(mixed);
  ASSERT_TRUE(std::holds_alternative<ServeError>(mixed_result));
  EXPECT_NE(std::get<ServeError>(mixed_result).message.find("typed contents"), std::string::npos);

  ModelInferRequest negative_timeout;
  (*negative_timeout.mutable_parameters())["timeout"].set_int64_param(-5);
  EXPECT_TRUE(std::holds_alternative<ServeError>(decode_infer_request(negative_timeout)));
}

TEST(GrpcCodec, ResponsesUseRawOutputContentsAndCarryTimings) {
  InferResponse response;
  response.model = "m";
  response.version = "2";
  response.id = "r";
  response.timings = {100, 200, 8};
  response.outputs = tensors_of_every_typed_datatype();
  ModelInferResponse out;
  ASSERT_FALSE(encode_infer_response(response, &out).has_value());
  EXPECT_EQ(out.model_name(), "m");
  EXPECT_EQ(out.model_version(), "2");
  EXPECT_EQ(out.id(), "r");
  EXPECT_EQ(out.parameters().at("recinfer_queue_ns").int64_param(), 100);
  EXPECT_EQ(out.parameters().at("recinfer_compute_ns").int64_param(), 200);
  EXPECT_EQ(out.parameters().at("recinfer_batch_size").int64_param(), 8);
  ASSERT_EQ(out.outputs_size(), static_cast<int>(response.outputs.size()));
  ASSERT_EQ(out.raw_output_contents_size(), out.outputs_size());
  for (int i = 0; i < out.outputs_size(); ++i) {
    const Tensor& expected = response.outputs[i].tensor;
    EXPECT_EQ(out.outputs(i).name(), response.outputs[i].name);
    EXPECT_EQ(out.outputs(i).datatype(), *dtype_to_protocol(expected.dtype()));
    EXPECT_EQ(out.outputs(i).shape_size(), expected.rank());
    EXPECT_EQ(out.raw_output_contents(i),
              std::string(static_cast<const char*>(expected.raw()), expected.bytes()));
  }
}

}  // namespace
}  // namespace recinfer::serve::rpc
