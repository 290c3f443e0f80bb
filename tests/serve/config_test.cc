#include "serve/model_config.h"

#include <gtest/gtest.h>

#include "serve/batcher_buckets.h"

namespace recinfer::serve {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string parse_error(const std::string& json) {
  auto parsed = parse_model_config(json, "m/config.json", "m");
  EXPECT_FALSE(parsed.is_ok()) << json;
  return parsed.is_ok() ? "" : parsed.status().message();
}

TEST(ConfigTest, EmptyObjectGivesTheDefaults) {
  auto config = parse_model_config("{}", "m/config.json", "m");
  ASSERT_TRUE(config.is_ok()) << config.status().to_string();
  EXPECT_EQ(config->name, "m");
  EXPECT_EQ(config->max_batch_size, ModelConfig::kFromModel);
  EXPECT_TRUE(config->dynamic_batching.enabled);
  EXPECT_EQ(config->dynamic_batching.max_queue_delay_us, 100u);
  EXPECT_TRUE(config->dynamic_batching.preferred_batch_sizes.empty());
  EXPECT_EQ(config->instances, 1);
  EXPECT_EQ(config->cores_per_instance, 0);
  EXPECT_FALSE(config->core_limit.active());
  EXPECT_TRUE(config->batched_input);
  EXPECT_EQ(config->queue.max_queue_size, 1024u);
  EXPECT_EQ(config->queue.default_timeout_us, 0u);
  EXPECT_TRUE(config->queue.allow_timeout_override);
  EXPECT_TRUE(config->optimize);
}

TEST(ConfigTest, ParsesEveryKey) {
  auto config = parse_model_config(R"({
    "name": "m", "max_batch_size": 32,
    "dynamic_batching": {"max_queue_delay_us": 500, "preferred_batch_sizes": [16, 8]},
    "instances": 2, "cores_per_instance": 3, "core_limit": "2|1", "batched_input": false,
    "queue": {"max_queue_size": 10, "default_timeout_us": 2000, "allow_timeout_override": false},
    "warmup_batch_sizes": [3], "optimize": false, "disabled_passes": ["fuse_gemm"]})",
                                   "m/config.json", "m");
  ASSERT_TRUE(config.is_ok()) << config.status().to_string();
  EXPECT_EQ(config->max_batch_size, 32);
  EXPECT_EQ(config->dynamic_batching.max_queue_delay_us, 500u);
  EXPECT_EQ(config->dynamic_batching.preferred_batch_sizes, (std::vector<int64_t>{8, 16}));
  EXPECT_EQ(config->instances, 2);
  EXPECT_EQ(config->cores_per_instance, 3);
  EXPECT_EQ(config->core_limit.to_string(), "2|1");
  EXPECT_FALSE(config->batched_input);
  EXPECT_EQ(config->queue.max_queue_size, 10u);
  EXPECT_EQ(config->queue.default_timeout_us, 2000u);
  EXPECT_FALSE(config->queue.allow_timeout_override);
  EXPECT_EQ(config->warmup_batch_sizes, (std::vector<int64_t>{3}));
  EXPECT_FALSE(config->optimize);
  EXPECT_EQ(config->disabled_passes, (std::vector<std::string>{"fuse_gemm"}));
  const EngineOptions options = engine_options(*config, 40);
  EXPECT_EQ(options.instances, 2);
  EXPECT_EQ(options.cores_per_instance, 3);
  EXPECT_EQ(options.staging, InputStaging::kPerTensor);
  EXPECT_GE(options.max_plans, 40);
  EXPECT_FALSE(options.optimize);
}

TEST(ConfigTest, DynamicBatchingCanBeSwitchedOff) {
  auto config = parse_model_config(R"({"dynamic_batching": false})", "m/config.json", "m");
  ASSERT_TRUE(config.is_ok());
  EXPECT_FALSE(config->dynamic_batching.enabled);
}

TEST(ConfigTest, UnknownKeysNameTheKeyAndTheFile) {
  std::string message = parse_error(R"({"max_batch": 4})");
  EXPECT_TRUE(contains(message, "m/config.json")) << message;
  EXPECT_TRUE(contains(message, "unknown key 'max_batch'")) << message;
  message = parse_error(R"({"queue": {"max_size": 4}})");
  EXPECT_TRUE(contains(message, "unknown key 'queue.max_size'")) << message;
  message = parse_error(R"({"dynamic_batching": {"delay": 4}})");
  EXPECT_TRUE(contains(message, "unknown key 'dynamic_batching.delay'")) << message;
}

TEST(ConfigTest, BadValuesAreRefusedWithTheKey) {
  EXPECT_TRUE(contains(parse_error(R"({"instances": 0})"), "'instances' must be at least 1"));
  EXPECT_TRUE(contains(parse_error(R"({"instances": "two"})"), "'instances' must be an integer"));
  EXPECT_TRUE(contains(parse_error(R"({"max_batch_size": -3})"), "'max_batch_size' must be at least 0"));
  EXPECT_TRUE(contains(parse_error(R"({"cores_per_instance": 0})"), "'cores_per_instance'"));
  EXPECT_TRUE(contains(parse_error(R"({"core_limit": "3|x"})"), "'core_limit'"));
  EXPECT_TRUE(contains(parse_error(R"({"batched_input": 1})"), "'batched_input' must be true or false"));
  EXPECT_TRUE(contains(parse_error(R"({"warmup_batch_sizes": [0]})"), "'warmup_batch_sizes' must be at least 1"));
  EXPECT_TRUE(contains(parse_error(R"({"queue": {"default_timeout_us": -1}})"),
                       "'queue.default_timeout_us' must be at least 0"));
  EXPECT_TRUE(contains(parse_error(R"({"name": "other"})"), "must match"));
  EXPECT_TRUE(contains(parse_error(R"({"max_batch_size": 8,
      "dynamic_batching": {"preferred_batch_sizes": [4, 16]}})"),
                       "preferred_batch_sizes has 16, above max_batch_size 8"));
  EXPECT_TRUE(contains(parse_error(R"({"max_batch_size": 0,
      "dynamic_batching": {"preferred_batch_sizes": [4]}})"),
                       "max_batch_size is 0"));
  EXPECT_TRUE(contains(parse_error(R"({"max_batch_size": 8, "warmup_batch_sizes": [9]})"),
                       "warmup_batch_sizes has 9"));
  EXPECT_TRUE(contains(parse_error("{not json"), "not valid JSON"));
  EXPECT_TRUE(contains(parse_error("[1, 2]"), "must be a JSON object"));
}

TEST(ConfigTest, MaxBatchSizeComesFromTheModel) {
  ModelConfig batchable;
  ASSERT_TRUE(resolve_model_config(batchable, true, "f").is_ok());
  EXPECT_EQ(batchable.max_batch_size, ModelConfig::kDefaultMaxBatchSize);
  ModelConfig fixed;
  ASSERT_TRUE(resolve_model_config(fixed, false, "f").is_ok());
  EXPECT_EQ(fixed.max_batch_size, 0);
  ModelConfig forced;
  forced.max_batch_size = 8;
  Status status = resolve_model_config(forced, false, "f");
  ASSERT_FALSE(status.is_ok());
  EXPECT_TRUE(contains(status.message(), "no batch dimension")) << status.message();
}

TEST(ConfigTest, BucketsArePreferredSizesOrPowersOfTwo) {
  EXPECT_EQ(batch_buckets(12, {}), (std::vector<int64_t>{1, 2, 4, 8, 12}));
  EXPECT_EQ(batch_buckets(16, {}), (std::vector<int64_t>{1, 2, 4, 8, 16}));
  EXPECT_EQ(batch_buckets(16, {4, 8}), (std::vector<int64_t>{4, 8, 16}));
  EXPECT_TRUE(batch_buckets(0, {}).empty());
  const std::vector<int64_t> buckets = {4, 8, 16};
  EXPECT_EQ(bucket_for(buckets, 1), 4);
  EXPECT_EQ(bucket_for(buckets, 5), 8);
  EXPECT_EQ(bucket_for(buckets, 16), 16);
}

}  // namespace
}  // namespace recinfer::serve
