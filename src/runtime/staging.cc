#include "runtime/staging.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "recinfer/engine.h"

namespace recinfer {
namespace runtime {

InputLayout InputLayout::of(const std::vector<DType>& dtypes, const std::vector<Shape>& shapes) {
  InputLayout layout;
  layout.offsets.reserve(shapes.size());
  layout.sizes.reserve(shapes.size());
  for (size_t i = 0; i < shapes.size() && i < dtypes.size(); ++i) {
    layout.offsets.push_back(layout.total);
    const size_t bytes = static_cast<size_t>(shapes[i].numel()) * dtype_size(dtypes[i]);
    layout.sizes.push_back(bytes);
    layout.total += align_to_tensor(bytes);
  }
  return layout;
}

InputLayout InputLayout::of(const std::vector<Tensor>& tensors) {
  std::vector<DType> dtypes;
  std::vector<Shape> shapes;
  for (const Tensor& t : tensors) {
    dtypes.push_back(t.dtype());
    shapes.push_back(t.shape());
  }
  return of(dtypes, shapes);
}

void InputLayout::assign(const std::vector<Tensor>& tensors) {
  total = 0;
  for (size_t i = 0; i < tensors.size() && i < offsets.size(); ++i) {
    offsets[i] = total;
    sizes[i] = tensors[i].bytes();
    total += align_to_tensor(sizes[i]);
  }
}

bool InputLayout::is_packed(const std::vector<Tensor>& tensors) const {
  if (tensors.empty() || tensors.size() != offsets.size()) return false;
  const auto* base = static_cast<const uint8_t*>(tensors[0].raw());
  if (base == nullptr) return false;
  for (size_t i = 1; i < tensors.size(); ++i) {
    if (tensors[i].raw() != base + offsets[i]) return false;
  }
  return true;
}

namespace {

int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void copy(void* dst, const void* src, size_t bytes, CopyObserver* observer) {
  if (observer == nullptr) {
    std::memcpy(dst, src, bytes);
    return;
  }
  const int64_t begin = steady_ns();
  std::memcpy(dst, src, bytes);
  observer->on_copy(begin, steady_ns(), bytes);
}

}  // namespace

StagingCost stage_per_tensor(const InputLayout& layout, const std::vector<Tensor>& inputs,
                             uint8_t* staging, CopyObserver* observer) {
  StagingCost cost;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const size_t bytes = layout.sizes[i];
    if (bytes == 0) continue;
    copy(staging + layout.offsets[i], inputs[i].raw(), bytes, observer);
    ++cost.copies;
    cost.bytes += bytes;
  }
  return cost;
}

StagingCost stage_packed(const InputLayout& layout, const std::vector<Tensor>& inputs,
                         uint8_t* staging, CopyObserver* observer) {
  // Up to the end of the last tensor: the source need not hold the trailing alignment padding.
  const size_t span = layout.offsets.empty() ? 0 : layout.offsets.back() + layout.sizes.back();
  if (span == 0) return {};
  copy(staging, inputs[0].raw(), span, observer);
  return {1, span};
}

// Values below kSub have a bucket each; above, bucket = kSub * (log2 - kSubBits + 1) + the
// kSubBits bits after the leading one.
int DurationHistogram::bucket(uint64_t ns) {
  if (ns < kSub) return static_cast<int>(ns);
  const int log2 = 63 - __builtin_clzll(ns);  // >= kSubBits
  const int sub = static_cast<int>((ns >> (log2 - kSubBits)) & (kSub - 1));
  return std::min(kBuckets - 1, kSub * (log2 - kSubBits + 1) + sub);
}

void DurationHistogram::reset() {
  for (auto& c : counts_) c.store(0, std::memory_order_relaxed);
}

void DurationHistogram::merge_into(std::array<uint64_t, kBuckets>& into) const {
  for (size_t b = 0; b < counts_.size(); ++b) into[b] += counts_[b].load(std::memory_order_relaxed);
}

double DurationHistogram::percentile(const std::array<uint64_t, kBuckets>& counts, double p) {
  uint64_t total = 0;
  for (uint64_t c : counts) total += c;
  if (total == 0) return 0.0;
  const auto rank = static_cast<uint64_t>(static_cast<double>(total) * p / 100.0);
  uint64_t seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    seen += counts[static_cast<size_t>(b)];
    if (seen > rank || seen == total) {
      if (b < kSub) return b;
      // Bucket b covers 2^k * [1 + s/kSub, 1 + (s+1)/kSub): k = b/kSub + kSubBits - 1, s = b % kSub.
      return std::ldexp(1.0, b / kSub + kSubBits - 1) * (1.0 + (b % kSub + 0.5) / kSub);
    }
  }
  return 0.0;
}

}  // namespace runtime

Result<PackedRequest> PackedRequest::allocate(const std::vector<DType>& dtypes,
                                              const std::vector<Shape>& shapes) {
  if (dtypes.size() != shapes.size()) {
    return invalid_argument("PackedRequest: {} dtypes for {} shapes", dtypes.size(), shapes.size());
  }
  for (size_t i = 0; i < shapes.size(); ++i) {
    int64_t numel = 0;
    if (!shapes[i].checked_numel(&numel)) {
      return invalid_argument("PackedRequest: tensor {} has invalid shape {}", i,
                              shapes[i].to_string());
    }
  }
  const runtime::InputLayout layout = runtime::InputLayout::of(dtypes, shapes);
  PackedRequest request;
  RI_ASSIGN_OR_RETURN(request.buffer_,
                      Tensor::allocate(DType::kUint8, Shape{static_cast<int64_t>(layout.total)}));
  auto* base = request.buffer_.data<uint8_t>();
  for (size_t i = 0; i < shapes.size(); ++i) {
    request.tensors_.emplace_back(dtypes[i], shapes[i], base + layout.offsets[i],
                                  request.buffer_.owner());
  }
  return request;
}

Result<PackedRequest> PackedRequest::pack(const std::vector<Tensor>& tensors) {
  std::vector<DType> dtypes;
  std::vector<Shape> shapes;
  for (const Tensor& t : tensors) {
    dtypes.push_back(t.dtype());
    shapes.push_back(t.shape());
  }
  RI_ASSIGN_OR_RETURN(PackedRequest request, allocate(dtypes, shapes));
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (tensors[i].bytes() > 0 && tensors[i].raw() == nullptr) {
      return invalid_argument("PackedRequest: tensor {} has shape {} but no data", i,
                              tensors[i].shape().to_string());
    }
    if (tensors[i].bytes() > 0) {
      std::memcpy(request.tensors_[i].raw(), tensors[i].raw(), tensors[i].bytes());
    }
  }
  return request;
}

}  // namespace recinfer
