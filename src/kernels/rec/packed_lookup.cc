// PackedLookup (ai.recinfer): the per-feature embedding lookups of a model that packs every
// feature into one float tensor X (batch, F) — `emb_i(X[:, c_i].long())` for each feature i,
// concatenated — in one step: for each row and feature, the float in column c_i is converted to
// an id with Cast's semantics (truncation toward zero, NaN -> 0; see elementwise/convert.h),
// indexed into table i with Gather's rules (negative ids in [-R, 0) wrap, anything outside
// [-R, R) is an error naming the feature, its column, the row and the value), and the row is
// copied into that feature's slot of the output row, which is the features' rows back to back.
#include <cstring>

#include "kernels/elementwise/convert.h"
#include "kernels/embedding/index_check.h"
#include "kernels/rec/rec_common.h"
#include "kernels/rec/rec_kernels.h"

namespace recinfer::kernels {

using namespace rec;  // NOLINT(google-build-using-namespace)

namespace {

// Minimum bytes copied per parallel chunk, so that small batches stay on one thread.
constexpr int64_t kMinChunkBytes = 32 * 1024;
constexpr int64_t kOnnxInt32 = 6;
constexpr int64_t kOnnxInt64 = 7;

// Everything compute needs, fixed by the node's attributes and the input shapes.
struct Layout {
  int64_t batch = 0, width = 0;  // X's shape
  int num_features = 0;
  bool int32_ids = false;        // Cast to int32 (narrows modulo 2^32) rather than int64
  int64_t out_row_bytes = 0;
};

int64_t row_bytes_of(const Tensor& table) {
  return table.shape().product(1, table.rank()) * static_cast<int64_t>(dtype_size(table.dtype()));
}

Layout layout_of(const KernelContext& ctx) {
  Layout l;
  const Tensor& x = *ctx.input(0);
  l.batch = x.shape()[0];
  l.width = x.shape()[1];
  l.num_features = ctx.num_inputs() - 1;
  l.int32_ids = ctx.node().attr_int("to", kOnnxInt64) == kOnnxInt32;
  for (int f = 0; f < l.num_features; ++f) l.out_row_bytes += row_bytes_of(*ctx.input(f + 1));
  return l;
}

// The id Cast(x, to) would give.
template <typename TX>
int64_t id_of(TX x, bool int32_ids) {
  return int32_ids ? float_to_int<int32_t>(x) : float_to_int<int64_t>(x);
}

double packed_value(const Tensor& x, int64_t flat) {
  return x.dtype() == DType::kFloat64 ? x.data<double>()[flat] : x.data<float>()[flat];
}

Status bad_id_error(const KernelContext& ctx, const Layout& l, int64_t position) {
  const int64_t row = position / l.num_features;
  const int feature = static_cast<int>(position % l.num_features);
  const int64_t column = ctx.node().attr_ints("columns")[static_cast<size_t>(feature)];
  const Tensor& x = *ctx.input(0);
  const Tensor& table = *ctx.input(feature + 1);
  const double value = packed_value(x, row * l.width + column);
  const int64_t id = x.dtype() == DType::kFloat64 ? id_of(value, l.int32_ids)
                                                  : id_of(static_cast<float>(value), l.int32_ids);
  return ctx.error(StatusCode::kOutOfRange,
                   "feature {} (column {} of packed input {}): value {} at row {} is id {}, out of "
                   "range [{}, {}) for table {}",
                   feature, column, x.shape().to_string(), value, row, id, -table.shape()[0],
                   table.shape()[0], table.shape().to_string());
}

template <typename TX>
void lookup_rows(const KernelContext& ctx, const Layout& l, const int64_t* columns,
                 char* out, int64_t begin, int64_t end, embedding::BadIndexTracker& bad) {
  const TX* x = ctx.input(0)->data<TX>();
  for (int64_t b = begin; b < end; ++b) {
    char* dst = out + b * l.out_row_bytes;
    for (int f = 0; f < l.num_features; ++f) {
      const Tensor& table = *ctx.input(f + 1);
      const int64_t row_bytes = row_bytes_of(table);
      int64_t row = 0;
      if (embedding::wrap_index(id_of(x[b * l.width + columns[f]], l.int32_ids), table.shape()[0],
                                &row)) {
        std::memcpy(dst, static_cast<const char*>(table.raw()) + row * row_bytes,
                    static_cast<size_t>(row_bytes));
      } else {
        bad.report(b * l.num_features + f);
      }
      dst += row_bytes;
    }
  }
}

class PackedLookupKernel final : public Kernel {
 public:
  Status prepare(const PrepareContext& ctx) override {
    columns_ = ctx.node.attr_ints("columns");
    return Status::ok();
  }

  Status compute(KernelContext& ctx) const override {
    const Layout l = layout_of(ctx);
    if (l.batch == 0) return Status::ok();
    const int64_t grain =
        l.out_row_bytes >= kMinChunkBytes ? 1 : kMinChunkBytes / std::max<int64_t>(l.out_row_bytes, 1);
    embedding::BadIndexTracker bad;
    const bool doubles = ctx.input(0)->dtype() == DType::kFloat64;
    auto* out = static_cast<char*>(ctx.output(0).raw());
    ctx.parallel_for(l.batch, grain, [&](int64_t begin, int64_t end) {
      if (doubles) {
        lookup_rows<double>(ctx, l, columns_.data(), out, begin, end, bad);
      } else {
        lookup_rows<float>(ctx, l, columns_.data(), out, begin, end, bad);
      }
    });
    if (bad.any()) return bad_id_error(ctx, l, bad.first());
    return Status::ok();
  }

 private:
  std::vector<int64_t> columns_;
};

// Naive: checks every id first, then copies the output byte by byte, feature by feature.
class PackedLookupReference final : public Kernel {
 public:
  Status compute(KernelContext& ctx) const override {
    const Layout l = layout_of(ctx);
    const std::vector<int64_t> columns = ctx.node().attr_ints("columns");
    const Tensor& x = *ctx.input(0);
    auto* out = static_cast<unsigned char*>(ctx.output(0).raw());
    int64_t slot = 0;  // byte offset of the feature's slot within an output row
    for (int f = 0; f < l.num_features; ++f) {
      const Tensor& table = *ctx.input(f + 1);
      const auto* src = static_cast<const unsigned char*>(table.raw());
      const int64_t rows = table.shape()[0];
      const int64_t row_bytes = row_bytes_of(table);
      for (int64_t b = 0; b < l.batch; ++b) {
        const double value = packed_value(x, b * l.width + columns[static_cast<size_t>(f)]);
        int64_t id = x.dtype() == DType::kFloat64 ? id_of(value, l.int32_ids)
                                                  : id_of(static_cast<float>(value), l.int32_ids);
        if (id < 0) id += rows;
        if (id < 0 || id >= rows) return bad_id_error(ctx, l, b * l.num_features + f);
        for (int64_t e = 0; e < row_bytes; ++e) {
          out[b * l.out_row_bytes + slot + e] = src[id * row_bytes + e];
        }
      }
      slot += row_bytes;
    }
    return Status::ok();
  }
};

}  // namespace

Status infer_packed_lookup(InferContext& ctx) {
  RI_ASSIGN_OR_RETURN(const TensorInfo* x, ctx.required_input(0));
  if (x->dtype != DType::kFloat32 && x->dtype != DType::kFloat64) {
    return ctx.error(StatusCode::kInvalidArgument, "packed input must be float32 or float64, got {}",
                     dtype_name(x->dtype));
  }
  if (x->shape.rank() != 2) {
    return ctx.error(StatusCode::kInvalidArgument, "packed input must be (batch, F), got shape {}",
                     x->shape.to_string());
  }
  const int num_features = ctx.num_inputs() - 1;
  if (num_features < 1) return ctx.error(StatusCode::kInvalidArgument, "no tables");
  const std::vector<int64_t> columns = ctx.node().attr_ints("columns");
  if (columns.size() != static_cast<size_t>(num_features)) {
    return ctx.error(StatusCode::kInvalidArgument, "{} columns for {} tables", columns.size(),
                     num_features);
  }
  const int64_t to = ctx.node().attr_int("to", kOnnxInt64);
  if (to != kOnnxInt64 && to != kOnnxInt32) {
    return ctx.error(StatusCode::kInvalidArgument, "attribute to must be 7 (int64) or 6 (int32), got {}", to);
  }
  DType dtype = DType::kUndefined;
  int64_t row_elements = 0;
  for (int f = 0; f < num_features; ++f) {
    RI_ASSIGN_OR_RETURN(const TensorInfo* table, ctx.required_input(f + 1));
    RI_RETURN_IF_ERROR(embedding::check_gatherable_dtype(ctx, table->dtype));
    if (f == 0) dtype = table->dtype;
    if (table->dtype != dtype || table->shape.rank() < 1) {
      return ctx.error(StatusCode::kInvalidArgument,
                       "table {} must have rank >= 1 and dtype {}, got {} {}", f, dtype_name(dtype),
                       dtype_name(table->dtype), table->shape.to_string());
    }
    const int64_t column = columns[static_cast<size_t>(f)];
    if (column < 0 || column >= x->shape[1]) {
      return ctx.error(StatusCode::kInvalidArgument, "column {} of feature {} is outside packed input {}",
                       column, f, x->shape.to_string());
    }
    row_elements += table->shape.product(1, table->shape.rank());
  }
  const std::vector<int64_t> row_shape = ctx.node().attr_ints("row_shape");
  Shape out{x->shape[0]};
  int64_t product = 1;
  for (int64_t d : row_shape) {
    if (d < 0 || __builtin_mul_overflow(product, d, &product) ||
        !Shape::fits(static_cast<size_t>(out.rank() + 1))) {
      return ctx.error(StatusCode::kInvalidArgument, "bad row_shape dim {} (rank {})", d, out.rank());
    }
    out.push_back(d);
  }
  if (product != row_elements) {
    return ctx.error(StatusCode::kInvalidArgument,
                     "row_shape holds {} elements but the tables' rows hold {}", product, row_elements);
  }
  ctx.set_output(0, dtype, out);
  return Status::ok();
}

std::unique_ptr<Kernel> make_packed_lookup(const ir::Node& /*node*/) {
  return std::make_unique<PackedLookupKernel>();
}

std::unique_ptr<Kernel> make_packed_lookup_reference(const ir::Node& /*node*/) {
  return std::make_unique<PackedLookupReference>();
}

OpWork packed_lookup_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> /*out*/) {
  OpWork work;
  if (in.empty() || in[0].shape.rank() < 1) return work;
  for (size_t t = 1; t < in.size(); ++t) {
    work.gathers.push_back({static_cast<int>(t), static_cast<double>(in[0].shape[0])});
  }
  return work;
}

}  // namespace recinfer::kernels
