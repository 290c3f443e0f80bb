#include "tooling/batching.h"

#include <cstring>
#include <map>

#include <fmt/format.h>

namespace recinfer::tooling {

namespace {

// The symbolic leading dimension of an input ("" when fixed, unnamed or rank 0).
std::string leading_symbol(const TensorSpec& spec) {
  if (!spec.has_shape || spec.dims.empty() || spec.dims[0] >= 0) return "";
  return spec.dim_names.empty() ? "" : spec.dim_names[0];
}

std::string name_suffix(const std::string& name) {
  const size_t bar = name.rfind('_');
  return bar == std::string::npos ? "" : name.substr(bar + 1);
}

std::string choose_batch_symbol(const std::vector<TensorSpec>& specs) {
  std::map<std::string, int> count;
  std::vector<std::string> order;
  for (const TensorSpec& spec : specs) {
    const std::string sym = leading_symbol(spec);
    if (sym.empty()) continue;
    if (sym == "batch" || sym == "batch_size") return sym;
    if (count[sym]++ == 0) order.push_back(sym);
  }
  std::string best;
  for (const std::string& sym : order) {
    if (best.empty() || count[sym] > count[best]) best = sym;
  }
  return best;
}

bool is_offsets_candidate(const TensorSpec& spec, const std::string& batch) {
  return spec.dtype == DType::kInt64 && spec.dims.size() == 1 && leading_symbol(spec) == batch;
}

// Bytes of one leading-dimension row.
size_t row_bytes(const Tensor& t) {
  return static_cast<size_t>(t.rank() > 0 ? t.shape().product(1, t.rank()) : 1) *
         dtype_size(t.dtype());
}

Result<Tensor> with_rows(const Tensor& like, int64_t rows) {
  Shape shape = like.shape();
  shape[0] = rows;
  return Tensor::allocate(like.dtype(), shape);
}

Status check_offsets(const std::string& name, const Tensor& offsets, int64_t values) {
  const int64_t* o = offsets.data<int64_t>();
  const int64_t b = offsets.numel();
  if (b > 0 && o[0] != 0) {
    return invalid_argument("offsets input '{}' must start at 0, starts at {}", name, o[0]);
  }
  for (int64_t r = 0; r < b; ++r) {
    const int64_t end = r + 1 < b ? o[r + 1] : values;
    if (o[r] < 0 || end < o[r] || end > values) {
      return invalid_argument(
          "offsets input '{}': row {} spans [{}, {}), not a non-decreasing range within its {} "
          "values",
          name, r, o[r], end, values);
    }
  }
  return Status::ok();
}

}  // namespace

Result<BatchLayout> detect_batch_layout(const std::vector<TensorSpec>& specs) {
  BatchLayout layout;
  layout.batch_symbol = choose_batch_symbol(specs);
  layout.roles.assign(specs.size(), BatchRole::kFixed);
  for (const TensorSpec& spec : specs) layout.names.push_back(spec.name);
  const std::string& batch = layout.batch_symbol;
  if (batch.empty()) return layout;
  for (size_t i = 0; i < specs.size(); ++i) {
    for (size_t d = 1; d < specs[i].dim_names.size(); ++d) {
      if (specs[i].dim_names[d] == batch) {
        return unsupported("input '{}' has the batch dimension '{}' at axis {}; only a leading "
                           "batch dimension can be re-batched",
                           specs[i].name, batch, d);
      }
    }
    if (leading_symbol(specs[i]) == batch) layout.roles[i] = BatchRole::kBatchRows;
  }
  // Ragged values grouped by their own leading symbol, in input order.
  std::map<std::string, int> bag_of_symbol;
  for (size_t i = 0; i < specs.size(); ++i) {
    const std::string sym = leading_symbol(specs[i]);
    if (sym.empty() || sym == batch) continue;
    auto [it, fresh] = bag_of_symbol.emplace(sym, static_cast<int>(layout.bags.size()));
    if (fresh) layout.bags.emplace_back();
    layout.bags[static_cast<size_t>(it->second)].values.push_back(static_cast<int>(i));
    layout.roles[i] = BatchRole::kBagValues;
  }
  for (BatchLayout::Bag& bag : layout.bags) {
    const TensorSpec& first = specs[static_cast<size_t>(bag.values.front())];
    const std::string key = name_suffix(first.name);
    int by_name = -1, by_order = -1;
    for (size_t i = 0; i < specs.size(); ++i) {
      if (layout.roles[i] != BatchRole::kBatchRows || !is_offsets_candidate(specs[i], batch)) continue;
      if (!key.empty() && name_suffix(specs[i].name) == key &&
          specs[i].name.find("offset") != std::string::npos && by_name < 0) {
        by_name = static_cast<int>(i);
      }
      if (by_order < 0 && static_cast<int>(i) > bag.values.front()) by_order = static_cast<int>(i);
    }
    bag.offsets = by_name >= 0 ? by_name : by_order;
    if (bag.offsets < 0) {
      return unsupported("input '{}' has its own leading dimension '{}' (ragged values) but no "
                         "int64 ({}) offsets input pairs with it",
                         first.name, leading_symbol(first), batch);
    }
    layout.roles[static_cast<size_t>(bag.offsets)] = BatchRole::kBagOffsets;
  }
  return layout;
}

std::string BatchLayout::describe() const {
  if (batch_symbol.empty()) return "no batch dimension";
  int rows = 0, fixed = 0;
  for (BatchRole role : roles) {
    rows += role == BatchRole::kBatchRows;
    fixed += role == BatchRole::kFixed;
  }
  return fmt::format("batch '{}': {} row inputs, {} EmbeddingBag groups (offsets + ragged values), "
                     "{} fixed inputs",
                     batch_symbol, rows, bags.size(), fixed);
}

Result<int64_t> batch_size(const BatchLayout& layout, const std::vector<Tensor>& inputs) {
  if (inputs.size() != layout.roles.size()) {
    return invalid_argument("the model takes {} inputs, got {}", layout.roles.size(), inputs.size());
  }
  int64_t b = -1;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const BatchRole role = layout.roles[i];
    if (role != BatchRole::kBatchRows && role != BatchRole::kBagOffsets) continue;
    if (inputs[i].rank() < 1) {
      return invalid_argument("input '{}' has no batch dimension", layout.names[i]);
    }
    if (b >= 0 && inputs[i].shape()[0] != b) {
      return invalid_argument("inputs disagree on the batch size: {} before, {} in input '{}'", b,
                              inputs[i].shape()[0], layout.names[i]);
    }
    b = inputs[i].shape()[0];
  }
  return b < 0 ? 1 : b;
}

Status check_bags(const BatchLayout& layout, const std::vector<Tensor>& inputs) {
  if (inputs.size() != layout.roles.size()) {
    return invalid_argument("the model takes {} inputs, got {}", layout.roles.size(), inputs.size());
  }
  for (const BatchLayout::Bag& bag : layout.bags) {
    const Tensor& offsets = inputs[static_cast<size_t>(bag.offsets)];
    const std::string& offsets_name = layout.names[static_cast<size_t>(bag.offsets)];
    if (offsets.dtype() != DType::kInt64 || offsets.rank() != 1) {
      return invalid_argument("offsets input '{}' must be int64 of rank 1, got {}{}", offsets_name,
                              dtype_name(offsets.dtype()), offsets.shape().to_string());
    }
    const Tensor& first = inputs[static_cast<size_t>(bag.values.front())];
    const int64_t num_values = first.rank() > 0 ? first.shape()[0] : 0;
    for (int v : bag.values) {
      const Tensor& values = inputs[static_cast<size_t>(v)];
      if (values.rank() < 1 || values.shape()[0] != num_values) {
        return invalid_argument("inputs '{}' and '{}' of one EmbeddingBag disagree on the number "
                                "of values: {} vs shape {}",
                                layout.names[static_cast<size_t>(bag.values.front())],
                                layout.names[static_cast<size_t>(v)], num_values,
                                values.shape().to_string());
      }
    }
    RI_RETURN_IF_ERROR(check_offsets(offsets_name, offsets, num_values));
  }
  return Status::ok();
}

Result<std::vector<Tensor>> select_rows(const BatchLayout& layout, const std::vector<Tensor>& inputs,
                                        const std::vector<int64_t>& rows) {
  RI_ASSIGN_OR_RETURN(const int64_t b, batch_size(layout, inputs));
  if (layout.batch_symbol.empty()) return unsupported("the model has no batch dimension to re-batch");
  for (int64_t s : rows) {
    if (s < 0 || s >= b) return out_of_range("source row {} outside the batch of {}", s, b);
  }
  const auto n = static_cast<int64_t>(rows.size());
  std::vector<Tensor> out(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (layout.roles[i] == BatchRole::kFixed) out[i] = inputs[i];
    if (layout.roles[i] != BatchRole::kBatchRows) continue;
    RI_ASSIGN_OR_RETURN(out[i], with_rows(inputs[i], n));
    const size_t bytes = row_bytes(inputs[i]);
    const auto* src = static_cast<const uint8_t*>(inputs[i].raw());
    auto* dst = static_cast<uint8_t*>(out[i].raw());
    for (int64_t r = 0; r < n; ++r) {
      const auto s = static_cast<size_t>(rows[static_cast<size_t>(r)]);
      if (bytes) std::memcpy(dst + static_cast<size_t>(r) * bytes, src + s * bytes, bytes);
    }
  }
  RI_RETURN_IF_ERROR(check_bags(layout, inputs));
  for (const BatchLayout::Bag& bag : layout.bags) {
    const Tensor& offsets = inputs[static_cast<size_t>(bag.offsets)];
    const Tensor& first = inputs[static_cast<size_t>(bag.values.front())];
    const int64_t num_values = first.rank() > 0 ? first.shape()[0] : 0;
    const int64_t* o = offsets.data<int64_t>();
    auto bag_end = [&](int64_t s) { return s + 1 < b ? o[s + 1] : num_values; };
    int64_t total = 0;
    for (int64_t s : rows) total += bag_end(s) - o[s];
    RI_ASSIGN_OR_RETURN(Tensor new_offsets, Tensor::allocate(DType::kInt64, Shape{n}));
    int64_t running = 0;
    for (int64_t r = 0; r < n; ++r) {
      const int64_t s = rows[static_cast<size_t>(r)];
      new_offsets.data<int64_t>()[r] = running;
      running += bag_end(s) - o[s];
    }
    out[static_cast<size_t>(bag.offsets)] = new_offsets;
    for (int v : bag.values) {
      const Tensor& values = inputs[static_cast<size_t>(v)];
      RI_ASSIGN_OR_RETURN(Tensor copy, with_rows(values, total));
      const size_t bytes = row_bytes(values);
      const auto* src = static_cast<const uint8_t*>(values.raw());
      auto* dst = static_cast<uint8_t*>(copy.raw());
      for (int64_t s : rows) {
        const size_t count = static_cast<size_t>(bag_end(s) - o[s]) * bytes;
        if (count) std::memcpy(dst, src + static_cast<size_t>(o[s]) * bytes, count);
        dst += count;
      }
      out[static_cast<size_t>(v)] = std::move(copy);
    }
  }
  return out;
}

Result<std::vector<Tensor>> rebatch(const BatchLayout& layout, const std::vector<Tensor>& inputs,
                                    int64_t target) {
  if (target < 1) return invalid_argument("batch size must be at least 1, got {}", target);
  RI_ASSIGN_OR_RETURN(const int64_t b, batch_size(layout, inputs));
  if (b < 1) return invalid_argument("the given inputs hold an empty batch; cannot re-batch");
  std::vector<int64_t> rows(static_cast<size_t>(target));
  for (int64_t r = 0; r < target; ++r) rows[static_cast<size_t>(r)] = r % b;
  return select_rows(layout, inputs, rows);
}

}  // namespace recinfer::tooling
