// Comparisons that stay a strict weak order with NaN present (std::sort on raw `<` with NaNs is
// undefined behaviour): NaN ranks above every number and NaNs are equivalent, like numpy's sort.
#pragma once

#include <type_traits>

namespace recinfer::kernels::reduce {

// NaN test that compiles to `false` for integer and bool types.
template <typename T>
constexpr bool is_nan(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    return v != v;
  } else {
    return false;
  }
}

template <typename T>
bool value_less(T a, T b) {
  if (is_nan(b)) return !is_nan(a);
  if (is_nan(a)) return false;
  return a < b;
}

}  // namespace recinfer::kernels::reduce
