#include "tooling/tensor_compare.h"

#include <cmath>

#include <fmt/format.h>

#include "core/half.h"

namespace recinfer::tooling {

namespace {

double element_as_double(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::kFloat32: return t.data<float>()[i];
    case DType::kFloat64: return t.data<double>()[i];
    case DType::kInt64: return static_cast<double>(t.data<int64_t>()[i]);
    case DType::kInt32: return t.data<int32_t>()[i];
    case DType::kInt16: return t.data<int16_t>()[i];
    case DType::kInt8: return t.data<int8_t>()[i];
    case DType::kUint64: return static_cast<double>(t.data<uint64_t>()[i]);
    case DType::kUint32: return t.data<uint32_t>()[i];
    case DType::kUint16: return t.data<uint16_t>()[i];
    case DType::kUint8: return t.data<uint8_t>()[i];
    case DType::kBool: return t.data<bool>()[i] ? 1.0 : 0.0;
    case DType::kFloat16: return half_to_float(t.data<uint16_t>()[i]);
    case DType::kBFloat16: return bfloat16_to_float(t.data<uint16_t>()[i]);
    default: return 0.0;
  }
}

bool exact_equal(const Tensor& a, const Tensor& b, int64_t i) {
  const size_t size = dtype_size(a.dtype());
  return std::memcmp(static_cast<const char*>(a.raw()) + i * static_cast<int64_t>(size),
                     static_cast<const char*>(b.raw()) + i * static_cast<int64_t>(size), size) == 0;
}

// True when ref value i is equal to another value in its last-axis row.
bool tied_in_row(const Tensor& values, int64_t i) {
  const int64_t row = values.rank() == 0 ? 1 : values.shape()[values.rank() - 1];
  const int64_t start = i / row * row;
  const double v = element_as_double(values, i);
  for (int64_t j = start; j < start + row; ++j) {
    if (j != i && element_as_double(values, j) == v) return true;
  }
  return false;
}

}  // namespace

CompareResult compare_tensor(const Tensor& got, const Tensor& ref, const Tolerance& tol) {
  CompareResult r;
  if (got.dtype() != ref.dtype()) {
    r.ok = false;
    r.message = fmt::format("dtype {} != reference {}", dtype_name(got.dtype()), dtype_name(ref.dtype()));
    return r;
  }
  if (got.shape() != ref.shape()) {
    r.ok = false;
    r.message = fmt::format("shape {} != reference {}", got.shape().to_string(), ref.shape().to_string());
    return r;
  }
  const bool is_float = dtype_is_float(ref.dtype());
  for (int64_t i = 0; i < ref.numel(); ++i) {
    if (!is_float) {
      if (!exact_equal(got, ref, i)) {
        r.ok = false;
        r.message = fmt::format("element {}: {} != reference {}", i, element_as_double(got, i),
                                element_as_double(ref, i));
        return r;
      }
      continue;
    }
    const double g = element_as_double(got, i);
    const double e = element_as_double(ref, i);
    if (std::isnan(e) && std::isnan(g)) continue;
    if (std::isinf(e) && g == e) continue;
    const double err = std::fabs(g - e);
    if (!(err <= tol.atol + tol.rtol * std::fabs(e))) {
      r.ok = false;
      r.message = fmt::format("element {}: {} vs reference {} (|err| {:.3g} > {:.3g})", i, g, e,
                              err, tol.atol + tol.rtol * std::fabs(e));
      return r;
    }
    r.max_abs_error = std::max(r.max_abs_error, err);
  }
  return r;
}

CompareResult compare_outputs(const std::vector<Tensor>& got, const std::vector<Tensor>& ref,
                              const Tolerance& tol) {
  CompareResult total;
  if (got.size() != ref.size()) {
    total.ok = false;
    total.message = fmt::format("{} outputs, reference has {}", got.size(), ref.size());
    return total;
  }
  for (size_t k = 0; k < ref.size(); ++k) {
    CompareResult r = compare_tensor(got[k], ref[k], tol);
    if (!r.ok && ref[k].dtype() == DType::kInt64 && got[k].shape() == ref[k].shape()) {
      // TopK ties: find a float output of the same shape that holds the values.
      for (size_t v = 0; v < ref.size() && !r.ok; ++v) {
        if (v == k || !dtype_is_float(ref[v].dtype()) || ref[v].shape() != ref[k].shape()) continue;
        if (!compare_tensor(got[v], ref[v], tol).ok) continue;
        bool explained = true;
        int swaps = 0;
        for (int64_t i = 0; i < ref[k].numel() && explained; ++i) {
          if (got[k].data<int64_t>()[i] == ref[k].data<int64_t>()[i]) continue;
          explained = tied_in_row(ref[v], i);
          ++swaps;
        }
        if (explained) {
          r = CompareResult{};
          r.tie_swaps = swaps;
        }
      }
    }
    total.max_abs_error = std::max(total.max_abs_error, r.max_abs_error);
    total.tie_swaps += r.tie_swaps;
    if (!r.ok) {
      total.ok = false;
      total.message = fmt::format("output {}: {}", k, r.message);
      return total;
    }
  }
  return total;
}

}  // namespace recinfer::tooling
