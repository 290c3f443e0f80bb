// TensorProto parsing as for request and test-data files (input_<k>.pb): bytes -> TensorProto ->
// tensor_from_proto without an external-data resolver, like onnx_io::read_tensor_file.
// Oracle beyond the sanitizers: an accepted tensor survives tensor_to_proto -> tensor_from_proto
// with identical dtype, shape and bytes.
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <onnx/onnx_pb.h>

#include "fuzz_util.h"
#include "onnx/tensor_proto.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > static_cast<size_t>(INT_MAX)) return 0;
  // Same parser settings as read_tensor_file (which takes a path, not bytes).
  onnx::TensorProto proto;
  google::protobuf::io::ArrayInputStream stream(data, static_cast<int>(size));
  google::protobuf::io::CodedInputStream coded(&stream);
  coded.SetTotalBytesLimit(INT_MAX);
  if (!proto.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) return 0;

  auto tensor = recinfer::onnx_io::tensor_from_proto(proto, nullptr);
  if (!tensor.is_ok()) return 0;

  onnx::TensorProto again;
  recinfer::onnx_io::tensor_to_proto(*tensor, proto.name(), &again);
  auto back = recinfer::onnx_io::tensor_from_proto(again, nullptr);
  if (!back.is_ok()) __builtin_trap();
  if (back->dtype() != tensor->dtype() || !(back->shape() == tensor->shape()) ||
      back->bytes() != tensor->bytes() ||
      (tensor->bytes() > 0 && std::memcmp(back->raw(), tensor->raw(), tensor->bytes()) != 0)) {
    __builtin_trap();
  }
  return 0;
}
