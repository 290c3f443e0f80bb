#include "serve/client/v2_client_codec.h"

#include <cstring>

#include <nlohmann/json.hpp>

namespace recinfer::serve::client {
namespace {

using json = nlohmann::json;

// One tensor's values as a flat JSON array.
Result<json> data_array(const Tensor& t) {
  json data = json::array();
  const int64_t n = t.numel();
  switch (t.dtype()) {
    case DType::kFloat32:
      for (int64_t i = 0; i < n; ++i) data.push_back(t.data<float>()[i]);
      break;
    case DType::kFloat64:
      for (int64_t i = 0; i < n; ++i) data.push_back(t.data<double>()[i]);
      break;
    case DType::kInt64:
      for (int64_t i = 0; i < n; ++i) data.push_back(t.data<int64_t>()[i]);
      break;
    case DType::kInt32:
      for (int64_t i = 0; i < n; ++i) data.push_back(t.data<int32_t>()[i]);
      break;
    case DType::kBool:
      for (int64_t i = 0; i < n; ++i) data.push_back(t.data<bool>()[i]);
      break;
    default:
      return unsupported("JSON data for dtype {} (use the binary extension)", dtype_name(t.dtype()));
  }
  return data;
}

Result<Tensor> tensor_from(const json& out, const std::string& name, DType dtype,
                           const Shape& shape, const char* bytes, size_t size) {
  auto t = Tensor::allocate(dtype, shape);
  if (!t.is_ok()) return t.status();
  if (bytes) {
    if (size != t->bytes()) {
      return invalid_argument("output '{}': {} binary bytes for shape {} of {}", name, size,
                              shape.to_string(), dtype_name(dtype));
    }
    if (size) std::memcpy(t->raw(), bytes, size);
    return std::move(t).value();
  }
  const json& data = out.at("data");
  if (!data.is_array() || static_cast<int64_t>(data.size()) != t->numel()) {
    return invalid_argument("output '{}': data does not hold {} values", name, t->numel());
  }
  for (size_t i = 0; i < data.size(); ++i) {
    switch (dtype) {
      case DType::kFloat32: t->data<float>()[i] = data[i].get<float>(); break;
      case DType::kFloat64: t->data<double>()[i] = data[i].get<double>(); break;
      case DType::kInt64: t->data<int64_t>()[i] = data[i].get<int64_t>(); break;
      case DType::kInt32: t->data<int32_t>()[i] = data[i].get<int32_t>(); break;
      case DType::kBool: t->data<bool>()[i] = data[i].get<bool>(); break;
      default: return unsupported("JSON data for dtype {}", dtype_name(dtype));
    }
  }
  return std::move(t).value();
}

}  // namespace

Result<EncodedRequest> encode_request(const std::vector<NamedTensor>& inputs, bool binary,
                                      const std::string& id) {
  json header = json::object();
  if (!id.empty()) header["id"] = id;
  json list = json::array();
  std::string tail;
  for (const NamedTensor& in : inputs) {
    const auto datatype = dtype_to_protocol(in.tensor.dtype());
    if (!datatype) return unsupported("input '{}': dtype {}", in.name, dtype_name(in.tensor.dtype()));
    json entry = {{"name", in.name}, {"datatype", *datatype}, {"shape", json::array()}};
    for (int d = 0; d < in.tensor.rank(); ++d) entry["shape"].push_back(in.tensor.shape()[d]);
    if (binary) {
      entry["parameters"] = {{"binary_data_size", in.tensor.bytes()}};
      tail.append(static_cast<const char*>(in.tensor.raw()), in.tensor.bytes());
    } else {
      RI_ASSIGN_OR_RETURN(entry["data"], data_array(in.tensor));
    }
    list.push_back(std::move(entry));
  }
  header["inputs"] = std::move(list);
  if (binary) header["parameters"] = {{"binary_data_output", true}};
  EncodedRequest req;
  req.body = header.dump();
  if (binary) {
    req.header_length = req.body.size();
    req.body += tail;
  }
  return req;
}

Result<DecodedResponse> decode_response(const std::string& body,
                                        std::optional<size_t> header_length) {
  const size_t json_size = header_length.value_or(body.size());
  if (json_size > body.size()) {
    return invalid_argument("response header length {} past the body's {} bytes", json_size,
                            body.size());
  }
  json header = json::parse(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(json_size),
                            nullptr, false);
  if (header.is_discarded() || !header.is_object()) {
    return invalid_argument("response is not a JSON object");
  }
  if (header.contains("error")) return invalid_argument("server error: {}", header["error"].dump());
  DecodedResponse out;
  size_t offset = json_size;
  try {
    for (const json& o : header.at("outputs")) {
      const std::string name = o.at("name").get<std::string>();
      const auto dtype = dtype_from_protocol(o.at("datatype").get<std::string>());
      if (!dtype) return invalid_argument("output '{}': unknown datatype {}", name, o["datatype"].dump());
      const json& dims = o.at("shape");
      if (!dims.is_array() || !Shape::fits(dims.size())) {
        return invalid_argument("output '{}': shape {} is not a list of at most {} dims", name,
                                dims.dump(), Shape::kMaxRank);
      }
      Shape shape;
      for (const json& d : dims) {
        const int64_t dim = d.get<int64_t>();
        if (dim < 0) return invalid_argument("output '{}': negative dim {}", name, dim);
        shape.push_back(dim);
      }
      const char* bytes = nullptr;
      size_t size = 0;
      if (o.contains("parameters") && o["parameters"].contains("binary_data_size")) {
        size = o["parameters"]["binary_data_size"].get<size_t>();
        if (size > body.size() - offset) {
          return invalid_argument("output '{}': {} binary bytes past the body", name, size);
        }
        bytes = body.data() + offset;
        offset += size;
      }
      RI_ASSIGN_OR_RETURN(Tensor t, tensor_from(o, name, *dtype, shape, bytes, size));
      out.outputs.push_back({name, std::move(t)});
    }
    if (header.contains("parameters")) {
      const json& p = header["parameters"];
      if (p.contains("recinfer_queue_ns") && p.contains("recinfer_compute_ns")) {
        InferTimings t;
        t.queue_ns = p["recinfer_queue_ns"].get<uint64_t>();
        t.compute_ns = p["recinfer_compute_ns"].get<uint64_t>();
        t.batch_size = p.value("recinfer_batch_size", int64_t{0});
        out.server = t;
      }
    }
  } catch (const json::exception& e) {
    return invalid_argument("malformed response: {}", e.what());
  }
  return out;
}

}  // namespace recinfer::serve::client
