#include "tooling/request_generator.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace recinfer::tooling {
namespace {

// Splits "kind:rest" (rest may be empty).
std::pair<std::string, std::string> split_kind(const std::string& text) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos) return {text, ""};
  return {text.substr(0, colon), text.substr(colon + 1)};
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    parts.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

template <typename T>
bool parse_number(const std::string& text, T* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end && !text.empty();
}

// The batch size: the batch symbol's value in `dims` (else the default dim).
int64_t batch_of(const BatchLayout& layout, const RandomInputOptions& base) {
  auto it = base.dims.find(layout.batch_symbol);
  return it != base.dims.end() ? it->second : base.default_dim;
}

const std::string& ragged_symbol(const TensorSpec& spec) {
  static const std::string none;
  return spec.dim_names.empty() ? none : spec.dim_names[0];
}

}  // namespace

Result<IdTraffic> IdTraffic::parse(const std::string& text) {
  auto [kind, rest] = split_kind(text);
  IdTraffic t;
  if (kind == "uniform") {
    t.kind = Kind::kUniform;
    if (!rest.empty() && !parse_number(rest, &t.seed)) {
      return invalid_argument("--ids uniform:SEED: '{}' is not a seed", rest);
    }
    return t;
  }
  if (kind == "zipf") {
    t.kind = Kind::kZipf;
    const auto parts = split_commas(rest);
    if (rest.empty() || parts.size() > 2 || !parse_number(parts[0], &t.skew) || t.skew < 0 ||
        !std::isfinite(t.skew)) {
      return invalid_argument("--ids zipf:S[,SEED] needs a skew S >= 0, got '{}'", text);
    }
    if (parts.size() == 2 && !parse_number(parts[1], &t.seed)) {
      return invalid_argument("--ids zipf:S,SEED: '{}' is not a seed", parts[1]);
    }
    return t;
  }
  return invalid_argument("--ids '{}': expected zipf:S[,SEED] or uniform[:SEED]", text);
}

std::string IdTraffic::describe() const {
  if (kind == Kind::kZipf) return fmt::format("zipf s={} seed {}", skew, seed);
  return fmt::format("uniform seed {}", seed);
}

Result<BagLengths> BagLengths::parse(const std::string& text) {
  auto [kind, rest] = split_kind(text);
  const auto parts = split_commas(rest);
  BagLengths l;
  if (kind == "fixed" && parts.size() == 1 && parse_number(parts[0], &l.a) && l.a >= 0) {
    l.kind = Kind::kFixed;
    l.b = l.a;
    return l;
  }
  if (kind == "uniform" && parts.size() == 2 && parse_number(parts[0], &l.a) &&
      parse_number(parts[1], &l.b) && l.a >= 0 && l.b >= l.a) {
    l.kind = Kind::kUniform;
    return l;
  }
  if (kind == "poisson" && parts.size() == 1 && parse_number(parts[0], &l.mean) && l.mean > 0 &&
      std::isfinite(l.mean)) {
    l.kind = Kind::kPoisson;
    return l;
  }
  return invalid_argument(
      "--bag-length '{}': expected fixed:N, uniform:A,B (0 <= A <= B) or poisson:MEAN (> 0)", text);
}

std::string BagLengths::describe() const {
  switch (kind) {
    case Kind::kFixed: return fmt::format("fixed:{}", a);
    case Kind::kUniform: return fmt::format("uniform:{},{}", a, b);
    case Kind::kPoisson: return fmt::format("poisson:{}", mean);
  }
  return "";
}

int64_t BagLengths::draw(std::mt19937_64& rng) const {
  switch (kind) {
    case Kind::kFixed: return a;
    case Kind::kUniform: return std::uniform_int_distribution<int64_t>(a, b)(rng);
    case Kind::kPoisson: return std::poisson_distribution<int64_t>(mean)(rng);
  }
  return a;
}

Result<RequestGenerator> RequestGenerator::create(const std::vector<TensorSpec>& specs,
                                                  std::vector<int64_t> id_rows,
                                                  const IdTraffic& ids, const BagLengths* bags,
                                                  const RandomInputOptions& base) {
  if (id_rows.size() != specs.size()) {
    return invalid_argument("{} id ranges for {} inputs", id_rows.size(), specs.size());
  }
  auto layout = detect_batch_layout(specs);
  if (!layout.is_ok()) return layout.status();
  RequestGenerator g;
  g.specs_ = specs;
  g.layout_ = std::move(layout).value();
  g.ids_ = ids;
  g.has_bags_ = bags != nullptr;
  if (bags) g.bags_ = *bags;
  g.base_ = base;
  g.batch_ = batch_of(g.layout_, base);
  g.rng_.seed(ids.seed * 0x2545f4914f6cdd1dULL + base.seed);
  const double skew = ids.kind == IdTraffic::Kind::kZipf ? ids.skew : 0.0;
  for (size_t i = 0; i < specs.size(); ++i) {
    const bool integer = specs[i].dtype == DType::kInt64 || specs[i].dtype == DType::kInt32;
    const bool offsets = g.layout_.roles[i] == BatchRole::kBagOffsets;
    if (integer && !offsets && id_rows[i] > 0) {
      // Each table gets its own hot rows (its own rank-to-row bijection).
      g.samplers_.push_back(std::make_unique<ZipfRows>(id_rows[i], skew, ids.seed * 7919 + i));
    } else {
      g.samplers_.push_back(nullptr);
    }
  }
  return g;
}

Result<std::vector<Tensor>> RequestGenerator::next() {
  RandomInputOptions options = base_;
  options.seed = rng_();
  // Bag lengths: drawn per bag, so each ragged input's length is their sum.
  std::vector<std::vector<int64_t>> lengths(layout_.bags.size());
  if (has_bags_) {
    for (size_t b = 0; b < layout_.bags.size(); ++b) {
      const BatchLayout::Bag& bag = layout_.bags[b];
      if (bag.offsets < 0 || bag.values.empty()) continue;
      int64_t total = 0;
      lengths[b].resize(static_cast<size_t>(batch_));
      for (int64_t& l : lengths[b]) total += (l = bags_.draw(rng_));
      options.dims[ragged_symbol(specs_[static_cast<size_t>(bag.values.front())])] = total;
    }
  }
  auto inputs = random_inputs(specs_, options);
  if (!inputs.is_ok()) return inputs.status();
  std::vector<Tensor>& tensors = *inputs;
  for (size_t b = 0; b < lengths.size(); ++b) {
    if (lengths[b].empty()) continue;
    Tensor& offsets = tensors[static_cast<size_t>(layout_.bags[b].offsets)];
    if (offsets.dtype() != DType::kInt64 || offsets.numel() != batch_) continue;
    int64_t start = 0;
    for (int64_t r = 0; r < batch_; ++r) {
      offsets.data<int64_t>()[r] = start;
      start += lengths[b][static_cast<size_t>(r)];
    }
  }
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (!samplers_[i]) continue;
    Tensor& t = tensors[i];
    const ZipfRows& rows = *samplers_[i];
    if (t.dtype() == DType::kInt64) {
      for (int64_t k = 0; k < t.numel(); ++k) t.data<int64_t>()[k] = rows(rng_);
    } else {
      for (int64_t k = 0; k < t.numel(); ++k) t.data<int32_t>()[k] = static_cast<int32_t>(rows(rng_));
    }
  }
  return std::move(inputs).value();
}

std::string RequestGenerator::describe() const {
  int count = 0;
  int64_t lo = INT64_MAX, hi = 0;
  for (const auto& s : samplers_) {
    if (!s) continue;
    ++count;
    lo = std::min(lo, s->rows());
    hi = std::max(hi, s->rows());
  }
  std::string text = ids_.describe();
  text += count ? fmt::format(" over {} id inputs (tables of {}..{} rows)", count, lo, hi)
                : " (no input indexes a constant table: ids drawn as for --random)";
  if (has_bags_) text += "; bag lengths " + bags_.describe();
  return text;
}

}  // namespace recinfer::tooling
