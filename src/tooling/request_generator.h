// Fresh, realistic requests for benchmarks and the load generator: every call draws new ids for
// every id input (over the rows of the table it indexes, tooling/id_ranges.h) from a uniform or
// Zipf distribution, and new bag lengths for EmbeddingBag inputs, instead of reusing one input
// set whose rows stay in cache. Everything else is random as in tooling/test_data.h.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "recinfer/session.h"
#include "tooling/batching.h"
#include "tooling/test_data.h"
#include "tooling/zipf.h"

namespace recinfer::tooling {

// `--ids`: "zipf:S[,SEED]" (skew S >= 0; ~1.05 is typical of production click logs),
// "uniform[:SEED]".
struct IdTraffic {
  enum class Kind { kUniform, kZipf };
  Kind kind = Kind::kUniform;
  double skew = 0;
  uint64_t seed = 1;

  static Result<IdTraffic> parse(const std::string& text);
  std::string describe() const;  // "zipf s=1.05 seed 1"
};

// `--bag-length`: "fixed:N", "uniform:A,B" (inclusive), "poisson:MEAN" (N, A >= 0).
struct BagLengths {
  enum class Kind { kFixed, kUniform, kPoisson };
  Kind kind = Kind::kFixed;
  int64_t a = 1, b = 1;
  double mean = 1;

  static Result<BagLengths> parse(const std::string& text);
  std::string describe() const;
  int64_t draw(std::mt19937_64& rng) const;
};

class RequestGenerator {
 public:
  // `id_rows`: per input, the rows of the table it indexes (0 = not an id input: drawn as
  // random_inputs does). `base`: dims (the batch size among them), seed and limits as for
  // random_inputs. `bags`: null = bag sizes from base.dims, spread evenly as random_inputs does.
  static Result<RequestGenerator> create(const std::vector<TensorSpec>& specs,
                                         std::vector<int64_t> id_rows, const IdTraffic& ids,
                                         const BagLengths* bags, const RandomInputOptions& base);

  // A fresh request.
  Result<std::vector<Tensor>> next();

  // "zipf s=1.05 seed 1 over 26 id inputs (tables of 100000..100000 rows); bag lengths
  // uniform:1,40".
  std::string describe() const;

 private:
  RequestGenerator() = default;

  std::vector<TensorSpec> specs_;
  BatchLayout layout_;
  std::vector<std::unique_ptr<ZipfRows>> samplers_;  // per input; null = not an id input
  IdTraffic ids_;
  bool has_bags_ = false;
  BagLengths bags_;
  RandomInputOptions base_;
  int64_t batch_ = 1;
  std::mt19937_64 rng_;
};

}  // namespace recinfer::tooling
