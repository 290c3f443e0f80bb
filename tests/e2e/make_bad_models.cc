// Writes the malformed models of issue 12 into OUT_DIR (one folder each) for bad_input_e2e.sh,
// so the CLI-level checks need no python. Usage: recinfer_bad_models OUT_DIR
#include <cstdio>
#include <string>

#include "support/bad_models.h"

using namespace recinfer::testing;  // NOLINT(google-build-using-namespace)

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string out = argv[1];
  reduce_axes_model(onnx::AttributeProto::GRAPH).write(out + "/reduce_axes_typed_graph");
  reduce_axes_model(onnx::AttributeProto::UNDEFINED).write(out + "/reduce_axes_untyped");
  reduce_axes_model(onnx::AttributeProto::INTS).write(out + "/reduce_axes_ok");
  no_outputs_model().write(out + "/no_outputs");
  opset_model(0).write(out + "/opset_0");
  opset_model(-1).write(out + "/opset_minus_1");
  opset_model(int64_t{1} << 32).write(out + "/opset_2_pow_32");
  gemm_trans_model(3).write(out + "/gemm_transb_3");
  const std::string bag = out + "/embedding_bag";
  embedding_bag_model().write(bag);
  write_int64_inputs(bag + "/ok", {{0, 1, 2, 3, 1}, {0, 2, 5}});
  write_int64_inputs(bag + "/unsorted", {{0, 1, 2, 3, 1}, {0, 3, 1}});
  write_int64_inputs(bag + "/negative", {{0, 1, 2, 3, 1}, {-1, 2}});
  write_int64_inputs(bag + "/past_end", {{0, 1, 2, 3, 1}, {0, 9}});
  loop_model(int64_t{1} << 40).write(out + "/loop_2_pow_40");
  loop_model(100).write(out + "/loop_100");
  write_external_model(initializer_model({2}, true), out + "/external", {2});
  initializer_model({4, 4}, false).write(out + "/initializer_4x4");
  expand_model({int64_t{1} << 20, int64_t{1} << 20}).write(out + "/expand_4_tib");
  expand_model({1024, 1024}).write(out + "/expand_4_mib");
  return 0;
}
