#include "tooling/batch_concat.h"

#include <cstring>

#include <fmt/format.h>

namespace recinfer::tooling {

namespace {

size_t row_bytes(const Tensor& t) {
  return static_cast<size_t>(t.rank() > 0 ? t.shape().product(1, t.rank()) : 1) *
         dtype_size(t.dtype());
}

bool same_tensor(const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype() || !(a.shape() == b.shape())) return false;
  return a.bytes() == 0 || a.raw() == b.raw() || std::memcmp(a.raw(), b.raw(), a.bytes()) == 0;
}

// Every part's tensor `i` has the same dtype and trailing dims as part 0's.
Status check_trailing(const BatchLayout& layout, const std::vector<const std::vector<Tensor>*>& parts,
                      size_t i) {
  const Tensor& first = (*parts[0])[i];
  for (size_t p = 1; p < parts.size(); ++p) {
    const Tensor& t = (*parts[p])[i];
    bool same = t.dtype() == first.dtype() && t.rank() == first.rank();
    for (int d = 1; same && d < t.rank(); ++d) same = t.shape()[d] == first.shape()[d];
    if (!same) {
      return invalid_argument("input '{}': request {} has {}{}, request 0 has {}{}; they cannot "
                              "share a batch",
                              layout.names[i], p, dtype_name(t.dtype()), t.shape().to_string(),
                              dtype_name(first.dtype()), first.shape().to_string());
    }
  }
  return Status::ok();
}

Result<Tensor> allocate_rows(const Tensor& like, int64_t rows) {
  Shape shape = like.shape();
  shape[0] = rows;
  return Tensor::allocate(like.dtype(), shape);
}

// Stacks the rows of every part, then repeats the last real row up to padded_rows.
Result<Tensor> stack_rows(const std::vector<const std::vector<Tensor>*>& parts, size_t i,
                          int64_t padded_rows) {
  RI_ASSIGN_OR_RETURN(Tensor out, allocate_rows((*parts[0])[i], padded_rows));
  const size_t bytes = row_bytes(out);
  auto* dst = static_cast<uint8_t*>(out.raw());
  int64_t written = 0;
  for (const std::vector<Tensor>* part : parts) {
    const Tensor& t = (*part)[i];
    const size_t count = static_cast<size_t>(t.shape()[0]) * bytes;
    if (count) std::memcpy(dst + static_cast<size_t>(written) * bytes, t.raw(), count);
    written += t.shape()[0];
  }
  for (int64_t r = written; r < padded_rows && written > 0 && bytes; ++r) {
    std::memcpy(dst + static_cast<size_t>(r) * bytes,
                dst + static_cast<size_t>(written - 1) * bytes, bytes);
  }
  return out;
}

}  // namespace

bool same_fixed_inputs(const BatchLayout& layout, const std::vector<Tensor>& a,
                       const std::vector<Tensor>& b) {
  if (a.size() != layout.roles.size() || b.size() != layout.roles.size()) return false;
  for (size_t i = 0; i < layout.roles.size(); ++i) {
    if (layout.roles[i] == BatchRole::kFixed && !same_tensor(a[i], b[i])) return false;
  }
  return true;
}

Result<std::vector<Tensor>> concat_batches(const BatchLayout& layout,
                                           const std::vector<const std::vector<Tensor>*>& parts,
                                           int64_t padded_rows) {
  if (parts.empty()) return invalid_argument("concat_batches: no requests to join");
  for (const std::vector<Tensor>* part : parts) {
    if (part->size() != layout.roles.size()) {
      return invalid_argument("the model takes {} inputs, a request has {}", layout.roles.size(),
                              part->size());
    }
  }
  int64_t total = 0;
  for (const std::vector<Tensor>* part : parts) {
    RI_ASSIGN_OR_RETURN(const int64_t rows, batch_size(layout, *part));
    total += rows;
  }
  if (padded_rows < total) {
    return invalid_argument("concat_batches: {} rows do not fit a batch of {}", total, padded_rows);
  }
  std::vector<Tensor> out(layout.roles.size());
  for (size_t i = 0; i < layout.roles.size(); ++i) {
    switch (layout.roles[i]) {
      case BatchRole::kFixed:
        for (size_t p = 1; p < parts.size(); ++p) {
          if (!same_tensor((*parts[0])[i], (*parts[p])[i])) {
            return invalid_argument("fixed input '{}' (no batch dimension) differs between "
                                    "request 0 and request {}; they cannot share a batch",
                                    layout.names[i], p);
          }
        }
        out[i] = (*parts[0])[i];
        break;
      case BatchRole::kBatchRows: {
        RI_RETURN_IF_ERROR(check_trailing(layout, parts, i));
        RI_ASSIGN_OR_RETURN(out[i], stack_rows(parts, i, padded_rows));
        break;
      }
      case BatchRole::kBagOffsets:
      case BatchRole::kBagValues:
        break;  // per bag group below
    }
  }
  for (const BatchLayout::Bag& bag : layout.bags) {
    const auto off = static_cast<size_t>(bag.offsets);
    RI_ASSIGN_OR_RETURN(Tensor offsets, Tensor::allocate(DType::kInt64, Shape{padded_rows}));
    int64_t* o = offsets.data<int64_t>();
    int64_t row = 0, base = 0;
    for (const std::vector<Tensor>* part : parts) {
      const Tensor& src = (*part)[off];
      const Tensor& values = (*part)[static_cast<size_t>(bag.values.front())];
      for (int64_t r = 0; r < src.shape()[0]; ++r) o[row++] = base + src.data<int64_t>()[r];
      base += values.rank() > 0 ? values.shape()[0] : 0;
    }
    for (; row < padded_rows; ++row) o[row] = base;  // empty padding bags
    out[off] = std::move(offsets);
    for (int v : bag.values) {
      const auto vi = static_cast<size_t>(v);
      RI_RETURN_IF_ERROR(check_trailing(layout, parts, vi));
      RI_ASSIGN_OR_RETURN(out[vi], stack_rows(parts, vi, base));
    }
  }
  return out;
}

Result<std::vector<std::vector<Tensor>>> split_outputs(const std::vector<Tensor>& outputs,
                                                       const std::vector<bool>& row_outputs,
                                                       int64_t batch_rows,
                                                       const std::vector<int64_t>& rows) {
  if (row_outputs.size() != outputs.size()) {
    return internal_error("split_outputs: {} outputs but {} row flags", outputs.size(),
                          row_outputs.size());
  }
  int64_t total = 0;
  for (int64_t r : rows) total += r;
  if (total > batch_rows) {
    return internal_error("split_outputs: {} request rows exceed the batch of {}", total, batch_rows);
  }
  std::vector<std::vector<Tensor>> split(rows.size(), std::vector<Tensor>(outputs.size()));
  for (size_t k = 0; k < outputs.size(); ++k) {
    const Tensor& out = outputs[k];
    if (!row_outputs[k]) {
      for (auto& part : split) part[k] = out;
      continue;
    }
    if (out.rank() < 1 || out.shape()[0] != batch_rows) {
      return internal_error("output {} has shape {}, expected a leading batch dimension of {}", k,
                            out.shape().to_string(), batch_rows);
    }
    const size_t bytes = row_bytes(out);
    int64_t start = 0;
    for (size_t p = 0; p < rows.size(); ++p) {
      Shape shape = out.shape();
      shape[0] = rows[p];
      auto* base = static_cast<uint8_t*>(const_cast<void*>(out.raw()));
      Tensor view(out.dtype(), shape, base + static_cast<size_t>(start) * bytes, out.owner());
      if (out.owner() == nullptr) {
        // Storage this view cannot keep alive: copy the rows out.
        RI_ASSIGN_OR_RETURN(view, view.clone());
      }
      split[p][k] = std::move(view);
      start += rows[p];
    }
  }
  return split;
}

}  // namespace recinfer::tooling
