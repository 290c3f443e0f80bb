#include "onnx/tensor_proto.h"

#include "core/huge_pages.h"

#include <fcntl.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <onnx/onnx_pb.h>

#include "onnx/dtype_map.h"

namespace recinfer::onnx_io {

namespace fs = std::filesystem;

namespace {

bool parse_uint(const std::string& text, uint64_t* out) {
  if (text.empty() || text.size() > 19) return false;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

// Copies a typed field's values into the tensor. Integer narrowing only (int32_data holds the
// small integer types widened): typed_field() never pairs a floating field with an integer dtype.
template <typename Field>
Status copy_field(const Field& field, Tensor& tensor, const std::string& name) {
  if (static_cast<int64_t>(field.size()) != tensor.numel()) {
    return invalid_argument("tensor '{}' declares shape {} ({} elements) but holds {} values", name,
                            tensor.shape().to_string(), tensor.numel(), field.size());
  }
  auto fill = [&](auto* out) {
    using T = std::remove_pointer_t<decltype(out)>;
    for (int i = 0; i < field.size(); ++i) out[i] = static_cast<T>(field.Get(i));
  };
  switch (tensor.dtype()) {
    case DType::kFloat32: fill(tensor.data<float>()); break;
    case DType::kFloat64: fill(tensor.data<double>()); break;
    case DType::kInt64: fill(tensor.data<int64_t>()); break;
    case DType::kInt32: fill(tensor.data<int32_t>()); break;
    case DType::kInt16: fill(tensor.data<int16_t>()); break;
    case DType::kInt8: fill(tensor.data<int8_t>()); break;
    case DType::kUint64: fill(tensor.data<uint64_t>()); break;
    case DType::kUint32: fill(tensor.data<uint32_t>()); break;
    case DType::kUint16: fill(tensor.data<uint16_t>()); break;
    case DType::kUint8: fill(tensor.data<uint8_t>()); break;
    case DType::kBool: fill(tensor.data<bool>()); break;
    // float16/bfloat16 are stored as their bit patterns in int32_data.
    case DType::kFloat16:
    case DType::kBFloat16: fill(tensor.data<uint16_t>()); break;
    default:
      return unsupported("tensor '{}': cannot read dtype {}", name, dtype_name(tensor.dtype()));
  }
  return Status::ok();
}

// ONNX keeps each dtype's values in one typed field: the small integer types, bool and the
// 16-bit floats (as bit patterns) widened in int32_data, uint32/uint64 in uint64_data. Values in
// any other field are an error rather than a conversion (a float in an int16 tensor may not be
// representable; ONNX Runtime refuses them too).
struct TypedField {
  const char* name;
  int64_t size;
};
TypedField typed_field(const onnx::TensorProto& proto, DType dtype) {
  switch (dtype) {
    case DType::kFloat32: return {"float_data", proto.float_data_size()};
    case DType::kFloat64: return {"double_data", proto.double_data_size()};
    case DType::kInt64: return {"int64_data", proto.int64_data_size()};
    case DType::kUint32:
    case DType::kUint64: return {"uint64_data", proto.uint64_data_size()};
    default: return {"int32_data", proto.int32_data_size()};
  }
}

Result<Tensor> external_tensor(const onnx::TensorProto& proto, DType dtype, const Shape& shape,
                               size_t expected_bytes, ExternalDataResolver* resolver) {
  const std::string& name = proto.name();
  if (resolver == nullptr) {
    return invalid_argument("tensor '{}' uses external data, which is not allowed here", name);
  }
  std::string location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
  for (const auto& entry : proto.external_data()) {
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset") {
      if (!parse_uint(entry.value(), &offset)) {
        return invalid_argument("tensor '{}': external data offset '{}' is not a number", name,
                                entry.value());
      }
    } else if (entry.key() == "length") {
      uint64_t v = 0;
      if (!parse_uint(entry.value(), &v)) {
        return invalid_argument("tensor '{}': external data length '{}' is not a number", name,
                                entry.value());
      }
      length = v;
    }
  }
  if (location.empty()) return invalid_argument("tensor '{}': external data has no location", name);
  if (length && *length != expected_bytes) {
    return invalid_argument("tensor '{}' declares shape {} of {} ({} bytes) but external length is {}",
                            name, shape.to_string(), dtype_name(dtype), expected_bytes, *length);
  }
  RI_ASSIGN_OR_RETURN(auto file, resolver->map(location, name));
  if (offset > file->size() || expected_bytes > file->size() - offset) {
    return invalid_argument(
        "tensor '{}': external data [{}, {}) is past the end of '{}' ({} bytes)", name, offset,
        offset + expected_bytes, location, file->size());
  }
  const char* begin = file->data() + offset;
  if (expected_bytes >= kHugePageTableBytes) {
    // Big tables are gathered from at random: worth a copy onto huge pages (core/huge_pages.h).
    return copy_to_huge_pages(dtype, shape, begin, expected_bytes);
  }
  if (reinterpret_cast<uintptr_t>(begin) % kTensorAlignment == 0) {
    // Zero-copy: the tensor views the mapping and keeps it alive.
    return Tensor(dtype, shape, const_cast<char*>(begin), std::shared_ptr<void>(file, nullptr));
  }
  RI_ASSIGN_OR_RETURN(Tensor copy,
                      Tensor::allocate(dtype, shape, resolver->policy().max_tensor_bytes));
  if (expected_bytes > 0) std::memcpy(copy.raw(), begin, expected_bytes);
  return copy;
}

}  // namespace

Result<std::shared_ptr<MappedFile>> ExternalDataResolver::map(const std::string& location,
                                                              const std::string& tensor) {
  fs::path rel(location);
  if (rel.is_absolute()) {
    return invalid_argument("tensor '{}': external data path '{}' is absolute (refused)", tensor,
                            location);
  }
  for (const auto& part : rel) {
    if (part == "..") {
      return invalid_argument("tensor '{}': external data path '{}' escapes the model folder",
                              tensor, location);
    }
  }
  auto cached = files_.find(location);
  if (cached != files_.end()) return cached->second;
  std::error_code ec;
  fs::path dir = fs::weakly_canonical(fs::path(model_dir_.empty() ? "." : model_dir_), ec);
  fs::path full = fs::weakly_canonical(dir / rel, ec);
  if (ec) return io_error("tensor '{}': cannot resolve external data '{}'", tensor, location);
  // Symlinks are resolved above; the real file must still lie inside the model folder.
  auto [dir_end, full_it] = std::mismatch(dir.begin(), dir.end(), full.begin(), full.end());
  if (dir_end != dir.end()) {
    return invalid_argument("tensor '{}': external data '{}' resolves outside the model folder",
                            tensor, location);
  }
  RI_ASSIGN_OR_RETURN(auto file, MappedFile::open(full.string()));
  if (file->link_count() > 1 && !policy_.allow_hardlinks) {
    return invalid_argument(
        "tensor '{}': external data '{}' has {} hard links; a hard link can reach a file outside "
        "the model folder, which the folder check cannot see (refused; pass --allow-hardlinks, or "
        "set allow_external_hardlinks, if the links are intended)",
        tensor, location, file->link_count());
  }
  files_.emplace(location, file);
  return file;
}

Result<Tensor> tensor_from_proto(const onnx::TensorProto& proto, ExternalDataResolver* resolver) {
  const std::string& name = proto.name();
  const DType dtype = dtype_from_onnx(proto.data_type());
  if (dtype == DType::kUndefined) {
    return unsupported("tensor '{}' has unsupported data type {}", name, proto.data_type());
  }
  if (dtype == DType::kString) return unsupported("tensor '{}' has dtype string", name);
  if (!Shape::fits(static_cast<size_t>(proto.dims_size()))) {
    return unsupported("tensor '{}' has rank {} (max {})", name, proto.dims_size(), Shape::kMaxRank);
  }
  Shape shape;
  for (int64_t d : proto.dims()) {
    if (d < 0) return invalid_argument("tensor '{}' has negative dimension {}", name, d);
    shape.push_back(d);
  }
  int64_t numel = 0;
  const auto elem = static_cast<int64_t>(dtype_size(dtype));
  if (!shape.checked_numel(&numel, INT64_MAX / elem)) {
    return invalid_argument("tensor '{}' shape {} overflows", name, shape.to_string());
  }
  const size_t expected_bytes = static_cast<size_t>(numel * elem);
  const uint64_t max_bytes =
      resolver != nullptr ? resolver->policy().max_tensor_bytes : Limits::kDefaultMaxTensorBytes;
  if (expected_bytes > max_bytes) {
    return invalid_argument(
        "tensor '{}' declares shape {} of {} ({}), more than the tensor limit {} (raise with "
        "--max-tensor-bytes)",
        name, shape.to_string(), dtype_name(dtype), format_bytes(expected_bytes),
        format_bytes(max_bytes));
  }

  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    return external_tensor(proto, dtype, shape, expected_bytes, resolver);
  }
  if (proto.has_raw_data()) {
    if (proto.raw_data().size() != expected_bytes) {
      return invalid_argument("tensor '{}' declares shape {} of {} ({} bytes) but has {} bytes",
                              name, shape.to_string(), dtype_name(dtype), expected_bytes,
                              proto.raw_data().size());
    }
    RI_ASSIGN_OR_RETURN(Tensor t, Tensor::allocate(dtype, shape, max_bytes));
    if (expected_bytes > 0) std::memcpy(t.raw(), proto.raw_data().data(), expected_bytes);
    if (dtype == DType::kBool) {
      auto* b = t.data<uint8_t>();  // normalise to 0/1 so bool reads are well-defined
      for (int64_t i = 0; i < numel; ++i) b[i] = b[i] != 0;
    }
    return t;
  }
  // Typed fields: check the count, and that it is the dtype's field, before allocating.
  const int64_t held = int64_t{proto.float_data_size()} + proto.double_data_size() +
                       proto.int32_data_size() + proto.int64_data_size() + proto.uint64_data_size();
  if (held != numel) {
    return invalid_argument("tensor '{}' declares shape {} ({} elements) but holds {} values", name,
                            shape.to_string(), numel, held);
  }
  const TypedField field = typed_field(proto, dtype);
  if (field.size != numel) {
    return invalid_argument("tensor '{}' of {} holds its values in the wrong field (ONNX keeps {} "
                            "in {})", name, dtype_name(dtype), dtype_name(dtype), field.name);
  }
  RI_ASSIGN_OR_RETURN(Tensor t, Tensor::allocate(dtype, shape, max_bytes));
  if (numel == 0) return t;
  switch (dtype) {
    case DType::kFloat32: RI_RETURN_IF_ERROR(copy_field(proto.float_data(), t, name)); break;
    case DType::kFloat64: RI_RETURN_IF_ERROR(copy_field(proto.double_data(), t, name)); break;
    case DType::kInt64: RI_RETURN_IF_ERROR(copy_field(proto.int64_data(), t, name)); break;
    case DType::kUint32:
    case DType::kUint64: RI_RETURN_IF_ERROR(copy_field(proto.uint64_data(), t, name)); break;
    default: RI_RETURN_IF_ERROR(copy_field(proto.int32_data(), t, name)); break;
  }
  return t;
}

void tensor_to_proto(const Tensor& tensor, const std::string& name, onnx::TensorProto* proto) {
  proto->Clear();
  proto->set_name(name);
  proto->set_data_type(dtype_to_onnx(tensor.dtype()));
  for (int64_t d : tensor.shape()) proto->add_dims(d);
  proto->set_raw_data(tensor.raw(), tensor.bytes());
}

Result<NamedTensor> read_tensor_file(const std::string& path) {
  RI_ASSIGN_OR_RETURN(auto file, MappedFile::open(path));
  if (file->size() > static_cast<size_t>(INT_MAX)) return io_error("'{}' is too large", path);
  onnx::TensorProto proto;
  google::protobuf::io::ArrayInputStream stream(file->data(), static_cast<int>(file->size()));
  google::protobuf::io::CodedInputStream coded(&stream);
  coded.SetTotalBytesLimit(INT_MAX);
  if (!proto.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) {
    return invalid_argument("'{}' is not a valid TensorProto (truncated or corrupt)", path);
  }
  auto tensor = tensor_from_proto(proto, nullptr);
  if (!tensor.is_ok()) return tensor.status().with_context(path);
  return NamedTensor{proto.name(), std::move(tensor).value()};
}

Status write_tensor_file(const std::string& path, const Tensor& tensor, const std::string& name) {
  onnx::TensorProto proto;
  tensor_to_proto(tensor, name, &proto);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return io_error("cannot write '{}'", path);
  if (!proto.SerializeToOstream(&out)) return io_error("failed writing '{}'", path);
  return Status::ok();
}

}  // namespace recinfer::onnx_io
