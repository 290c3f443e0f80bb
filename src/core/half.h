// float16 (IEEE binary16) and bfloat16 storage: conversions to and from float/double.
// Narrowing rounds to nearest, ties to even (IEEE default, what numpy's astype(float16) and
// ONNX Runtime's bfloat16 do); values past the largest finite one round to infinity; NaN stays
// NaN (quiet, sign kept). Widening is exact. Rounding is done once from double, so converting a
// double never rounds twice.
#pragma once

#include <cstdint>

namespace recinfer {

uint16_t double_to_half(double value);
uint16_t double_to_bfloat16(double value);
inline uint16_t float_to_half(float value) { return double_to_half(value); }
inline uint16_t float_to_bfloat16(float value) { return double_to_bfloat16(value); }
float half_to_float(uint16_t bits);
float bfloat16_to_float(uint16_t bits);

}  // namespace recinfer
