// Model loading end to end, the way `recinfer run` does it: ModelProto bytes -> Session::load
// (parse, verify, graph passes, kernel prepare) -> inference on small random inputs, one thread.
// Any Status error is a pass; crashes, sanitizer reports, leaks and hangs are findings.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.h"
#include "onnx_mutator.h"
#include "recinfer/session.h"
#include "tooling/test_data.h"

namespace {

using recinfer::Status;
using recinfer::Tensor;
using recinfer::TensorSpec;

using recinfer::fuzz::report;

// A fixed dimension of 10^9 is legal in a model; inputs that big are skipped rather than made
// (the loader was still exercised).
constexpr int64_t kMaxInputElements = int64_t{1} << 16;

// The input's shape with symbolic dims set to `symbolic`; false when absent or too big.
bool input_shape(const TensorSpec& spec, int64_t symbolic, recinfer::Shape* shape,
                 int64_t* budget) {
  if (!spec.has_shape || !recinfer::Shape::fits(spec.dims.size())) return false;
  int64_t n = 1;
  for (int64_t d : spec.dims) {
    const int64_t dim = d < 0 ? symbolic : d;
    if (dim != 0 && n > *budget / dim) return false;
    n *= dim;
    shape->push_back(dim);
  }
  *budget -= n;
  return true;
}

void run_once(recinfer::Session& session, int64_t symbolic) {
  std::vector<Tensor> inputs;
  int64_t budget = kMaxInputElements;
  for (const TensorSpec& spec : session.inputs()) {
    recinfer::Shape shape;
    if (!input_shape(spec, symbolic, &shape, &budget)) return report("inputs", Status::ok());
    recinfer::tooling::RandomInputOptions options;
    options.seed = 7;
    options.default_dim = symbolic;
    // Small non-negative ints: valid ids, offsets and indices for most tables, so the run
    // reaches the kernels instead of stopping at the first bounds check.
    options.int_high = 2;
    auto random = recinfer::tooling::random_inputs({spec}, options);
    // Dtypes random_inputs does not make (uint8, float16, ...) get zeros.
    auto t = random.is_ok() ? Tensor((*random)[0]) : Tensor::allocate(spec.dtype, shape);
    if (!t.is_ok()) return report("inputs", t.status());
    inputs.push_back(std::move(t).value());
  }
  std::vector<Tensor> outputs;
  report("run", session.run(inputs, outputs));
}

}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size,
                                          unsigned int seed) {
  return recinfer::fuzz::mutate_model(data, size, max_size, seed);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Session has no from-bytes entry point; a file in a private tmpfs folder is cheap and also
  // makes the run identical to the CLI's (external data resolves next to it).
  const std::string path = std::string(recinfer::fuzz::scratch_dir()) + "/model.onnx";
  recinfer::fuzz::write_file(path, data, size);
  recinfer::SessionOptions options;
  options.num_threads = 1;
  auto session = recinfer::Session::load(path, options);
  report("load", session.is_ok() ? Status::ok() : session.status());
  if (!session.is_ok()) return 0;
  run_once(**session, 1);
  // A second size compiles a second plan (plan cache, ragged inputs) and is large enough for the
  // zoo's TopK over 50 candidates.
  run_once(**session, 64);
  return 0;
}
