// Node attributes, decoupled from protobuf.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "recinfer/tensor.h"

namespace recinfer::ir {

class Graph;

struct Attribute {
  enum class Kind { kInt, kFloat, kString, kInts, kFloats, kStrings, kTensor, kGraph };
  Kind kind = Kind::kInt;
  int64_t i = 0;
  float f = 0.0f;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<float> floats;
  std::vector<std::string> strings;
  Tensor tensor;
  std::shared_ptr<Graph> graph;
};

const char* attribute_kind_name(Attribute::Kind kind);

}  // namespace recinfer::ir
