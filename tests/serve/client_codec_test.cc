#include "serve/client/v2_client_codec.h"

#include <gtest/gtest.h>

#include <cstring>

#include <nlohmann/json.hpp>

namespace recinfer::serve::client {
namespace {

using json = nlohmann::json;

// The binary extension's layout (Open Inference Protocol, binary tensor data extension): a JSON
// header naming each input with its binary_data_size, then the raw bytes in input order.
TEST(ClientCodecTest, BinaryRequestLayout) {
  auto ids = Tensor::from_vector<int64_t>(Shape{2, 2}, {1, 2, 3, 4});
  auto x = Tensor::from_vector<float>(Shape{2}, {0.5f, -1.0f});
  auto req = encode_request({{"ids", *ids}, {"x", *x}}, true, "r1");
  ASSERT_TRUE(req.is_ok()) << req.status().message();
  ASSERT_TRUE(req->header_length.has_value());
  const json header = json::parse(req->body.substr(0, *req->header_length));
  EXPECT_EQ(header["id"], "r1");
  EXPECT_EQ(header["inputs"][0]["name"], "ids");
  EXPECT_EQ(header["inputs"][0]["datatype"], "INT64");
  EXPECT_EQ(header["inputs"][0]["shape"], json::array({2, 2}));
  EXPECT_EQ(header["inputs"][0]["parameters"]["binary_data_size"], 32);
  EXPECT_EQ(header["inputs"][1]["datatype"], "FP32");
  EXPECT_EQ(header["parameters"]["binary_data_output"], true);
  ASSERT_EQ(req->body.size(), *req->header_length + 32 + 8);
  int64_t third = 0;
  std::memcpy(&third, req->body.data() + *req->header_length + 16, 8);
  EXPECT_EQ(third, 3);
  float second = 0;
  std::memcpy(&second, req->body.data() + *req->header_length + 32 + 4, 4);
  EXPECT_EQ(second, -1.0f);
}

TEST(ClientCodecTest, JsonRequestCarriesDataArrays) {
  auto mask = Tensor::from_vector<bool>(Shape{3}, {true, false, true});
  auto req = encode_request({{"mask", *mask}}, false);
  ASSERT_TRUE(req.is_ok());
  EXPECT_FALSE(req->header_length.has_value());
  const json body = json::parse(req->body);
  EXPECT_EQ(body["inputs"][0]["datatype"], "BOOL");
  EXPECT_EQ(body["inputs"][0]["data"], json::array({true, false, true}));
}

// A response as a v2 server writes it: one JSON output, one binary output, server timings.
TEST(ClientCodecTest, DecodesMixedResponseAndServerTimings) {
  const std::string header = R"({"model_name":"m","outputs":[
      {"name":"a","datatype":"INT32","shape":[2],"data":[7,8]},
      {"name":"b","datatype":"FP32","shape":[1,2],"parameters":{"binary_data_size":8}}],
      "parameters":{"recinfer_queue_ns":1500,"recinfer_compute_ns":2500,"recinfer_batch_size":16}})";
  std::string body = header;
  const float values[2] = {1.5f, 2.5f};
  body.append(reinterpret_cast<const char*>(values), 8);
  auto r = decode_response(body, header.size());
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  ASSERT_EQ(r->outputs.size(), 2u);
  EXPECT_EQ(r->outputs[0].tensor.data<int32_t>()[1], 8);
  EXPECT_EQ(r->outputs[1].tensor.shape(), (Shape{1, 2}));
  EXPECT_EQ(r->outputs[1].tensor.data<float>()[1], 2.5f);
  ASSERT_TRUE(r->server.has_value());
  EXPECT_EQ(r->server->queue_ns, 1500u);
  EXPECT_EQ(r->server->compute_ns, 2500u);
  EXPECT_EQ(r->server->batch_size, 16);
}

TEST(ClientCodecTest, MalformedResponsesAreErrors) {
  EXPECT_FALSE(decode_response("not json", std::nullopt).is_ok());
  EXPECT_FALSE(decode_response("{}", 10).is_ok());  // header length past the body
  const std::string short_binary =
      R"({"outputs":[{"name":"b","datatype":"FP32","shape":[4],"parameters":{"binary_data_size":16}}]})";
  auto r = decode_response(short_binary + "abcd", short_binary.size());
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("output 'b'"), std::string::npos) << r.status().message();
  auto wrong_count = decode_response(
      R"({"outputs":[{"name":"c","datatype":"INT64","shape":[3],"data":[1,2]}]})", std::nullopt);
  ASSERT_FALSE(wrong_count.is_ok());
  auto error = decode_response(R"({"error":"queue full"})", std::nullopt);
  ASSERT_FALSE(error.is_ok());
  EXPECT_NE(error.status().message().find("queue full"), std::string::npos);
  auto deep = decode_response(
      R"({"outputs":[{"name":"d","datatype":"FP32","shape":[1,1,1,1,1,1,1,1,1],"data":[1]}]})",
      std::nullopt);
  EXPECT_FALSE(deep.is_ok());
}

}  // namespace
}  // namespace recinfer::serve::client
