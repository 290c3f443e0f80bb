// The v2 REST codec: JSON and binary tensor data, every datatype, and each class of bad body.
// Expected bytes are written out by hand (or come from the C++ types' own representations),
// never from the codec.
#include "serve/http/v2_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

namespace recinfer::serve::http {
namespace {

using nlohmann::json;

std::shared_ptr<std::string> body_of(const std::string& text) {
  return std::make_shared<std::string>(text);
}

DecodedInferRequest decode_ok(const std::string& text,
                              std::optional<size_t> header_length = std::nullopt) {
  auto result = decode_infer_request(body_of(text), header_length);
  if (auto* error = std::get_if<ServeError>(&result)) {
    ADD_FAILURE() << "decode failed: " << error->message << "\nbody: " << text.substr(0, 300);
    return {};
  }
  return std::get<DecodedInferRequest>(std::move(result));
}

// The error message of a decode that must fail (kBadRequest).
std::string decode_error(const std::string& text,
                         std::optional<size_t> header_length = std::nullopt) {
  auto result = decode_infer_request(body_of(text), header_length);
  const auto* error = std::get_if<ServeError>(&result);
  if (error == nullptr) {
    ADD_FAILURE() << "decode accepted: " << text.substr(0, 300);
    return "";
  }
  EXPECT_EQ(error->kind, ErrorKind::kBadRequest);
  return error->message;
}

std::string one_input(const std::string& datatype, const std::string& shape,
                      const std::string& data) {
  return R"({"inputs":[{"name":"x","datatype":")" + datatype + R"(","shape":)" + shape +
         R"(,"data":)" + data + "}]}";
}

template <typename T>
std::vector<T> values_of(const Tensor& tensor) {
  const T* data = tensor.data<T>();
  return std::vector<T>(data, data + tensor.numel());
}

template <typename T>
void expect_json_input(const std::string& datatype, const std::string& data,
                       const std::vector<T>& expected) {
  SCOPED_TRACE(datatype + " " + data);
  const auto decoded = decode_ok(one_input(datatype, "[" + std::to_string(expected.size()) + "]", data));
  ASSERT_EQ(decoded.request.inputs.size(), 1u);
  const Tensor& tensor = decoded.request.inputs[0].tensor;
  EXPECT_EQ(tensor.dtype(), dtype_of<T>());
  EXPECT_EQ(tensor.shape(), Shape({static_cast<int64_t>(expected.size())}));
  EXPECT_EQ(values_of<T>(tensor), expected);
}

TEST(HttpV2Codec, JsonInputsOfEveryJsonDatatypeAtTheirLimits) {
  expect_json_input<bool>("BOOL", "[true,false,true]", {true, false, true});
  expect_json_input<int8_t>("INT8", "[-128,0,127]", {-128, 0, 127});
  expect_json_input<int16_t>("INT16", "[-32768,32767]", {-32768, 32767});
  expect_json_input<int32_t>("INT32", "[-2147483648,2147483647]", {INT32_MIN, INT32_MAX});
  expect_json_input<int64_t>("INT64", "[-9223372036854775808,9223372036854775807]",
                             {INT64_MIN, INT64_MAX});
  expect_json_input<uint8_t>("UINT8", "[0,255]", {0, 255});
  expect_json_input<uint16_t>("UINT16", "[0,65535]", {0, 65535});
  expect_json_input<uint32_t>("UINT32", "[0,4294967295]", {0, UINT32_MAX});
  expect_json_input<uint64_t>("UINT64", "[0,18446744073709551615]", {0, UINT64_MAX});
  expect_json_input<float>("FP32", "[1.5,-0.1,3,1e-3]", {1.5f, -0.1f, 3.0f, 1e-3f});
  expect_json_input<double>("FP64", "[0.1,-2.5e300,7]", {0.1, -2.5e300, 7.0});
}

TEST(HttpV2Codec, ValuesThatDoNotFitTheDatatypeAreRefusedByName) {
  EXPECT_NE(decode_error(one_input("INT8", "[2]", "[1,128]")).find("element 1 is 128"),
            std::string::npos);
  EXPECT_NE(decode_error(one_input("UINT8", "[1]", "[-1]")).find("-1"), std::string::npos);
  EXPECT_NE(decode_error(one_input("UINT64", "[1]", "[-1]")).find("UINT64"), std::string::npos);
  EXPECT_NE(decode_error(one_input("INT32", "[1]", "[1.5]")).find("1.5"), std::string::npos);
  EXPECT_NE(decode_error(one_input("INT64", "[1]", "[\"7\"]")).find("\"7\""), std::string::npos);
  EXPECT_NE(decode_error(one_input("BOOL", "[1]", "[1]")).find("BOOL"), std::string::npos);
  EXPECT_NE(decode_error(one_input("FP32", "[1]", "[1e39]")).find("1e+39"), std::string::npos);
  EXPECT_NE(decode_error(one_input("FP32", "[1]", "[3.40282357e38]")).find("FP32"),
            std::string::npos);  // rounds to infinity
  EXPECT_NE(decode_error(one_input("FP32", "[1]", "[null]")).find("null"), std::string::npos);
  EXPECT_NE(decode_error(one_input("FP32", "[1]", "[true]")).find("input 'x'"), std::string::npos);
}

TEST(HttpV2Codec, NestedDataEqualsFlatDataAndMayNotNestDeeperThanTheShape) {
  const auto nested = decode_ok(one_input("INT64", "[2,3]", "[[1,2,3],[4,5,6]]"));
  const auto flat = decode_ok(one_input("INT64", "[2,3]", "[1,2,3,4,5,6]"));
  ASSERT_EQ(nested.request.inputs.size(), 1u);
  ASSERT_EQ(flat.request.inputs.size(), 1u);
  EXPECT_EQ(values_of<int64_t>(nested.request.inputs[0].tensor),
            (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(values_of<int64_t>(flat.request.inputs[0].tensor),
            values_of<int64_t>(nested.request.inputs[0].tensor));
  EXPECT_EQ(nested.request.inputs[0].tensor.shape(), Shape({2, 3}));
  EXPECT_NE(decode_error(one_input("INT64", "[2]", "[[[1]],[[2]]]")).find("deeper"),
            std::string::npos);
}

TEST(HttpV2Codec, ElementCountMustMatchTheShape) {
  const std::string message = decode_error(one_input("FP32", "[2,3]", "[1,2,3,4,5]"));
  EXPECT_NE(message.find("input 'x'"), std::string::npos) << message;
  EXPECT_NE(message.find("needs 6 elements"), std::string::npos) << message;
  EXPECT_NE(message.find("has 5"), std::string::npos) << message;
  // Zero elements are fine when the shape says so.
  const auto empty = decode_ok(one_input("FP32", "[0,4]", "[]"));
  ASSERT_EQ(empty.request.inputs.size(), 1u);
  EXPECT_EQ(empty.request.inputs[0].tensor.numel(), 0);
}

TEST(HttpV2Codec, HeaderFieldsAreChecked) {
  EXPECT_NE(decode_error(one_input("FP8", "[1]", "[1]")).find("unknown datatype 'FP8'"),
            std::string::npos);
  EXPECT_NE(decode_error(one_input("BYTES", "[1]", "[\"a\"]")).find("BYTES"), std::string::npos);
  EXPECT_NE(decode_error(one_input("FP32", "[-1]", "[1]")).find("-1"), std::string::npos);
  EXPECT_NE(decode_error(one_input("FP32", "[1,1,1,1,1,1,1,1,1]", "[1]")).find("rank 9"),
            std::string::npos);
  EXPECT_NE(decode_error(one_input("FP32", "[4294967296,4294967296]", "[]")).find("more elements"),
            std::string::npos);
  EXPECT_NE(decode_error(one_input("FP16", "[1]", "[1]")).find("binary"), std::string::npos);
  EXPECT_NE(decode_error(R"({"inputs":[{"datatype":"FP32","shape":[1],"data":[1]}]})").find("name"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"inputs":{}})").find("'inputs'"), std::string::npos);
  EXPECT_NE(decode_error(R"({"id":5,"inputs":[]})").find("'id'"), std::string::npos);
  EXPECT_NE(decode_error(R"({"inputs":[{"name":"x","datatype":"FP32","shape":[1]}]})")
                .find("neither"),
            std::string::npos);
  const std::string twice = R"({"inputs":[{"name":"x","datatype":"FP32","shape":[1],"data":[1]},)"
                            R"({"name":"x","datatype":"FP32","shape":[1],"data":[2]}]})";
  EXPECT_NE(decode_error(twice).find("twice"), std::string::npos);
}

TEST(HttpV2Codec, MalformedJsonIsABadRequest) {
  EXPECT_NE(decode_error("{\"inputs\": [").find("malformed JSON"), std::string::npos);
  EXPECT_NE(decode_error("").find("malformed JSON"), std::string::npos);
  EXPECT_NE(decode_error("[1,2]").find("expected an object"), std::string::npos);
  EXPECT_NE(decode_error(std::string("{\"id\":\"\xff\"}")).find("malformed JSON"),
            std::string::npos);
}

TEST(HttpV2Codec, ParametersAndRequestedOutputs) {
  const auto decoded = decode_ok(
      R"({"id":"req-7","parameters":{"timeout":2500,"priority":2,"binary_data_output":true},)"
      R"("inputs":[],"outputs":[{"name":"a"},{"name":"b","parameters":{"binary_data":false}}]})");
  EXPECT_EQ(decoded.request.id, "req-7");
  EXPECT_EQ(decoded.request.timeout_us, std::optional<uint64_t>(2500));
  EXPECT_EQ(decoded.request.priority, 2u);
  EXPECT_EQ(decoded.request.outputs, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(decoded.encoding.wants_binary("a"));
  EXPECT_FALSE(decoded.encoding.wants_binary("b"));
  EXPECT_TRUE(decoded.encoding.wants_binary("not-listed"));  // binary_data_output

  const auto plain = decode_ok(R"({"inputs":[]})");
  EXPECT_FALSE(plain.request.timeout_us.has_value());
  EXPECT_FALSE(plain.encoding.wants_binary("a"));

  EXPECT_NE(decode_error(R"({"parameters":{"timeout":-1},"inputs":[]})").find("timeout"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"parameters":{"priority":4294967296},"inputs":[]})").find("priority"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"parameters":{"binary_data_output":1},"inputs":[]})")
                .find("binary_data_output"),
            std::string::npos);
  EXPECT_NE(decode_error(R"({"inputs":[],"outputs":[{"name":"a"},{"name":"a"}]})").find("twice"),
            std::string::npos);
}

// A binary request: JSON header, then the raw bytes of each binary input in order.
struct BinaryBody {
  std::string text;
  size_t header_length = 0;
};

BinaryBody binary_body(const json& header, const std::vector<std::string>& blobs) {
  BinaryBody body;
  body.text = header.dump();
  body.header_length = body.text.size();
  for (const std::string& blob : blobs) body.text += blob;
  return body;
}

template <typename T>
std::string bytes_of(const std::vector<T>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

json binary_input(const std::string& name, const std::string& datatype, std::vector<int64_t> shape,
                  size_t bytes) {
  return {{"name", name},
          {"datatype", datatype},
          {"shape", shape},
          {"parameters", {{"binary_data_size", bytes}}}};
}

TEST(HttpV2Codec, BinaryInputsAreReadInOrderAndShareTheBody) {
  const std::vector<float> x = {1.0f, -2.0f, 3.5f, 4.25f};
  const std::vector<int64_t> ids = {7, -8, 9};
  // Pad the header so that the first blob starts 8-byte aligned: the zero-copy case.
  json header = {{"inputs", {binary_input("x", "FP32", {2, 2}, 16),
                             binary_input("ids", "INT64", {3}, 24),
                             {{"name", "flag"}, {"datatype", "BOOL"}, {"shape", {1}},
                              {"data", {true}}}}}};
  header["id"] = "";
  while (header.dump().size() % 8 != 0) header["id"] = header["id"].get<std::string>() + "p";
  const BinaryBody body = binary_body(header, {bytes_of(x), bytes_of(ids)});

  auto shared = std::make_shared<std::string>(body.text);
  auto result = decode_infer_request(shared, body.header_length);
  ASSERT_TRUE(std::holds_alternative<DecodedInferRequest>(result))
      << std::get<ServeError>(result).message;
  const auto& inputs = std::get<DecodedInferRequest>(result).request.inputs;
  ASSERT_EQ(inputs.size(), 3u);
  EXPECT_EQ(inputs[0].name, "x");
  EXPECT_EQ(inputs[0].tensor.shape(), Shape({2, 2}));
  EXPECT_EQ(values_of<float>(inputs[0].tensor), x);
  EXPECT_EQ(values_of<int64_t>(inputs[1].tensor), ids);
  EXPECT_EQ(values_of<bool>(inputs[2].tensor), std::vector<bool>{true});
  // Zero-copy: the tensors point into the body and keep it alive.
  const char* begin = shared->data();
  EXPECT_EQ(inputs[0].tensor.raw(), begin + body.header_length);
  EXPECT_EQ(inputs[1].tensor.raw(), begin + body.header_length + 16);
  EXPECT_EQ(inputs[0].tensor.owner().get(), shared.get());
  EXPECT_GE(shared.use_count(), 3);
}

TEST(HttpV2Codec, MisalignedBinaryInputsAreCopied) {
  const std::vector<int64_t> ids = {1, 2, 3};
  json header = {{"inputs", {binary_input("ids", "INT64", {3}, 24)}}, {"id", ""}};
  while (header.dump().size() % 8 != 3) header["id"] = header["id"].get<std::string>() + "p";
  const BinaryBody body = binary_body(header, {bytes_of(ids)});
  auto shared = std::make_shared<std::string>(body.text);
  auto result = decode_infer_request(shared, body.header_length);
  ASSERT_TRUE(std::holds_alternative<DecodedInferRequest>(result));
  const Tensor& tensor = std::get<DecodedInferRequest>(result).request.inputs[0].tensor;
  EXPECT_EQ(values_of<int64_t>(tensor), ids);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(tensor.raw()) % alignof(int64_t), 0u);
  EXPECT_NE(tensor.owner().get(), shared.get());
}

TEST(HttpV2Codec, BinarySizesAreCheckedExactly) {
  const std::string four_floats(16, '\0');
  {  // header length past the end of the body
    const BinaryBody body = binary_body({{"inputs", {binary_input("x", "FP32", {4}, 16)}}}, {four_floats});
    EXPECT_NE(decode_error(body.text, body.text.size() + 1).find("past the end"), std::string::npos);
  }
  {  // binary_data_size disagrees with the shape
    const BinaryBody body = binary_body({{"inputs", {binary_input("x", "FP32", {4}, 12)}}},
                                        {four_floats.substr(0, 12)});
    const std::string message = decode_error(body.text, body.header_length);
    EXPECT_NE(message.find("input 'x'"), std::string::npos) << message;
    EXPECT_NE(message.find("binary_data_size is 12"), std::string::npos) << message;
    EXPECT_NE(message.find("needs 16 bytes"), std::string::npos) << message;
  }
  {  // fewer bytes than announced
    const BinaryBody body = binary_body({{"inputs", {binary_input("x", "FP32", {4}, 16)}}},
                                        {four_floats.substr(0, 10)});
    EXPECT_NE(decode_error(body.text, body.header_length).find("runs past the end"),
              std::string::npos);
  }
  {  // bytes left over after the last input
    const BinaryBody body = binary_body({{"inputs", {binary_input("x", "FP32", {4}, 16)}}},
                                        {four_floats + "xy"});
    EXPECT_NE(decode_error(body.text, body.header_length).find("2 bytes"), std::string::npos);
  }
  {  // binary_data_size without the header
    const BinaryBody body = binary_body({{"inputs", {binary_input("x", "FP32", {4}, 16)}}}, {});
    EXPECT_NE(decode_error(body.text).find("Inference-Header-Content-Length"), std::string::npos);
  }
  {  // both data and binary_data_size
    json input = binary_input("x", "FP32", {1}, 4);
    input["data"] = {1.0};
    const BinaryBody body = binary_body({{"inputs", {input}}}, {std::string(4, '\0')});
    EXPECT_NE(decode_error(body.text, body.header_length).find("both"), std::string::npos);
  }
  {  // a BOOL byte that is not 0 or 1
    const BinaryBody body =
        binary_body({{"inputs", {binary_input("b", "BOOL", {2}, 2)}}}, {std::string("\x01\x02", 2)});
    EXPECT_NE(decode_error(body.text, body.header_length).find("byte 1 is 2"), std::string::npos);
  }
  {  // FP16 and BF16 travel as binary
    const std::vector<uint16_t> half = {0x3c00, 0xc000};  // 1.0, -2.0
    const BinaryBody body = binary_body({{"inputs", {binary_input("h", "FP16", {2}, 4),
                                                     binary_input("b", "BF16", {2}, 4)}}},
                                        {bytes_of(half), bytes_of(half)});
    const auto decoded = decode_ok(body.text, body.header_length);
    ASSERT_EQ(decoded.request.inputs.size(), 2u);
    EXPECT_EQ(decoded.request.inputs[0].tensor.dtype(), DType::kFloat16);
    EXPECT_EQ(decoded.request.inputs[1].tensor.dtype(), DType::kBFloat16);
  }
}

TEST(HttpV2Codec, HeaderLengthValues) {
  EXPECT_EQ(std::get<size_t>(parse_header_length("123")), 123u);
  EXPECT_TRUE(std::holds_alternative<ServeError>(parse_header_length("")));
  EXPECT_TRUE(std::holds_alternative<ServeError>(parse_header_length("-1")));
  EXPECT_TRUE(std::holds_alternative<ServeError>(parse_header_length("12a")));
  EXPECT_TRUE(std::holds_alternative<ServeError>(parse_header_length("99999999999999999999")));
}

// One tensor per protocol datatype, with values that exercise its range.
std::vector<NamedTensor> tensors_of_every_datatype() {
  std::vector<NamedTensor> tensors;
  auto add = [&](const std::string& name, auto values) {
    using T = typename decltype(values)::value_type;
    auto tensor = Tensor::from_vector<T>(Shape({static_cast<int64_t>(values.size())}), values);
    tensors.push_back({name, std::move(tensor).value()});
  };
  add("bool", std::vector<bool>{true, false});
  add("u8", std::vector<uint8_t>{0, 255});
  add("u16", std::vector<uint16_t>{1, 65535});
  add("u32", std::vector<uint32_t>{2, UINT32_MAX});
  add("u64", std::vector<uint64_t>{3, UINT64_MAX});
  add("i8", std::vector<int8_t>{-128, 127});
  add("i16", std::vector<int16_t>{-32768, 5});
  add("i32", std::vector<int32_t>{INT32_MIN, 6});
  add("i64", std::vector<int64_t>{INT64_MIN, INT64_MAX});
  add("f32", std::vector<float>{0.1f, -3.4028235e38f, 1e-45f});
  add("f64", std::vector<double>{0.1, -1.7976931348623157e308, 5e-324});
  return tensors;
}

InferResponse response_with(std::vector<NamedTensor> outputs) {
  InferResponse response;
  response.model = "m";
  response.version = "3";
  response.id = "r1";
  response.outputs = std::move(outputs);
  response.timings = {1234, 5678, 16};
  return response;
}

// A response's outputs, turned into a request's inputs, decode back to the same bytes.
void expect_round_trip(const std::vector<NamedTensor>& tensors, const EncodedResponse& encoded) {
  const size_t header_length = encoded.header_length.value_or(encoded.body.size());
  json doc = json::parse(encoded.body.substr(0, header_length));
  json request = {{"inputs", doc["outputs"]}};
  std::string text = request.dump();
  const size_t new_header = text.size();
  text += encoded.body.substr(header_length);
  const auto decoded =
      decode_ok(text, encoded.header_length ? std::optional<size_t>(new_header) : std::nullopt);
  ASSERT_EQ(decoded.request.inputs.size(), tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    SCOPED_TRACE(tensors[i].name);
    const Tensor& got = decoded.request.inputs[i].tensor;
    EXPECT_EQ(decoded.request.inputs[i].name, tensors[i].name);
    EXPECT_EQ(got.dtype(), tensors[i].tensor.dtype());
    EXPECT_EQ(got.shape(), tensors[i].tensor.shape());
    ASSERT_EQ(got.bytes(), tensors[i].tensor.bytes());
    EXPECT_EQ(std::memcmp(got.raw(), tensors[i].tensor.raw(), got.bytes()), 0);
  }
}

TEST(HttpV2Codec, JsonResponseRoundTripsEveryDatatypeAndCarriesTimings) {
  const auto tensors = tensors_of_every_datatype();
  auto encoded = encode_infer_response(response_with(tensors), OutputEncoding{});
  ASSERT_TRUE(std::holds_alternative<EncodedResponse>(encoded));
  const EncodedResponse& response = std::get<EncodedResponse>(encoded);
  EXPECT_FALSE(response.header_length.has_value());
  const json doc = json::parse(response.body);
  EXPECT_EQ(doc["model_name"], "m");
  EXPECT_EQ(doc["model_version"], "3");
  EXPECT_EQ(doc["id"], "r1");
  EXPECT_EQ(doc["parameters"]["recinfer_queue_ns"], 1234);
  EXPECT_EQ(doc["parameters"]["recinfer_compute_ns"], 5678);
  EXPECT_EQ(doc["parameters"]["recinfer_batch_size"], 16);
  EXPECT_EQ(doc["outputs"][0]["datatype"], "BOOL");
  EXPECT_EQ(doc["outputs"][0]["data"], json({true, false}));
  EXPECT_EQ(doc["outputs"][9]["datatype"], "FP32");
  EXPECT_EQ(doc["outputs"][9]["shape"], json({3}));
  expect_round_trip(tensors, response);
}

TEST(HttpV2Codec, BinaryResponseRoundTripsEveryDatatype) {
  const auto tensors = tensors_of_every_datatype();
  OutputEncoding encoding;
  encoding.binary_by_default = true;
  encoding.binary["f32"] = false;  // mixed: one output stays JSON
  auto encoded = encode_infer_response(response_with(tensors), encoding);
  ASSERT_TRUE(std::holds_alternative<EncodedResponse>(encoded));
  const EncodedResponse& response = std::get<EncodedResponse>(encoded);
  ASSERT_TRUE(response.header_length.has_value());
  const json doc = json::parse(response.body.substr(0, *response.header_length));
  EXPECT_EQ(doc["outputs"][1]["parameters"]["binary_data_size"], 2);
  EXPECT_EQ(doc["outputs"][4]["parameters"]["binary_data_size"], 16);
  EXPECT_FALSE(doc["outputs"][9].contains("parameters"));
  EXPECT_TRUE(doc["outputs"][9].contains("data"));
  size_t binary_bytes = 0;
  for (const auto& t : tensors) binary_bytes += t.name == "f32" ? 0 : t.tensor.bytes();
  EXPECT_EQ(response.body.size(), *response.header_length + binary_bytes);
  expect_round_trip(tensors, response);
}

TEST(HttpV2Codec, NonFiniteFloatsAndHalfFloatsInJsonResponses) {
  const std::vector<float> values = {std::numeric_limits<float>::quiet_NaN(),
                                     std::numeric_limits<float>::infinity(), 2.5f};
  std::vector<NamedTensor> outputs = {{"y", Tensor::from_vector<float>(Shape({3}), values).value()}};
  const std::vector<uint16_t> half = {0x3c00, 0xc000, 0x0001};  // 1, -2, 2^-24
  auto half_tensor = Tensor::allocate(DType::kFloat16, Shape({3})).value();
  std::memcpy(half_tensor.raw(), half.data(), 6);
  outputs.push_back({"h", half_tensor});
  auto encoded = encode_infer_response(response_with(outputs), OutputEncoding{});
  const json doc = json::parse(std::get<EncodedResponse>(encoded).body);
  EXPECT_EQ(doc["outputs"][0]["data"], json::parse("[null,null,2.5]"));
  EXPECT_EQ(doc["outputs"][1]["datatype"], "FP16");
  EXPECT_EQ(doc["outputs"][1]["data"][0], 1.0);
  EXPECT_EQ(doc["outputs"][1]["data"][1], -2.0);
  // Widened to float, written as the shortest text that reads back to that float.
  EXPECT_EQ(static_cast<float>(doc["outputs"][1]["data"][2].get<double>()), std::ldexp(1.0f, -24));
}

TEST(HttpV2Codec, ErrorBodiesAreJson) {
  const json doc = json::parse(encode_error("model 'x' \"quoted\" \xff"));
  EXPECT_TRUE(doc["error"].is_string());
}

// Not a fuzzer (fuzz/fuzz_v2_request.cc is), but every build runs it: truncations and byte flips
// of valid bodies, with and without a header length, must come back as a result, never a crash.
TEST(HttpV2Codec, MutatedBodiesNeverCrash) {
  const std::vector<float> x = {1, 2, 3, 4};
  const BinaryBody binary = binary_body(
      {{"inputs", {binary_input("x", "FP32", {4}, 16), {{"name", "y"}, {"datatype", "INT64"},
                                                         {"shape", {2, 1}}, {"data", {{1}, {2}}}}}},
       {"outputs", {{{"name", "x"}, {"parameters", {{"binary_data", true}}}}}}},
      {bytes_of(x)});
  std::mt19937 rng(42);
  for (int round = 0; round < 3000; ++round) {
    std::string text = binary.text;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) text[rng() % text.size()] = static_cast<char>(rng() % 256);
    if (rng() % 4 == 0) text.resize(rng() % text.size());
    std::optional<size_t> header;
    if (rng() % 2 == 0) header = rng() % 3 == 0 ? rng() % (text.size() + 8) : binary.header_length;
    auto result = decode_infer_request(body_of(text), header);
    if (auto* decoded = std::get_if<DecodedInferRequest>(&result)) {
      for (const auto& input : decoded->request.inputs) {
        EXPECT_GE(input.tensor.numel(), 0);
      }
    }
  }
}

}  // namespace
}  // namespace recinfer::serve::http
