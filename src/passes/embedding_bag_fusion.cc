#include "passes/embedding_bag_fusion.h"

#include <fmt/format.h>

#include <algorithm>

#include "kernels/op_runner.h"
#include "passes/graph_edit.h"
#include "passes/graph_query.h"
#include "passes/node_rewrite_pass.h"

namespace recinfer::passes {
namespace {

using ir::kNoValue;
using ir::OpType;
using ir::ValueId;

struct BagMatch {
  ValueId table = kNoValue, indices = kNoValue, starts = kNoValue, ends = kNoValue,
          weights = kNoValue;
  std::string mode;
};

// Matches one Loop. Body values are translated to the enclosing graph through the captures.
class LoopMatcher {
 public:
  LoopMatcher(const GraphQuery& outer, const ir::Node& loop, const ir::Graph& body)
      : outer_(outer), loop_(loop), body_(body), q_(body, outer, loop) {}

  std::optional<BagMatch> match() {
    if (loop_.num_declared_inputs != 2 || loop_.outputs.size() != 1 || body_.inputs.size() != 2 ||
        body_.outputs.size() != 2 || loop_.input(0) == kNoValue) {
      return fail("expected a Loop with a trip count, no loop-carried values and one scan output "
                  "(got {} inputs, {} outputs)", loop_.num_declared_inputs, loop_.outputs.size());
    }
    if (loop_.input(1) != kNoValue && outer_.constant_scalar(loop_.input(1)) != 1.0) {
      return fail("the initial condition is not constant true");
    }
    if (!always_true(body_.outputs[0])) return fail("the body's condition is not always true");
    BagMatch m;
    const ir::Node* reduce = q_.producer(body_.outputs[1]);
    if (reduce == nullptr || reduce->attr_int("keepdims", 1) != 0 ||
        q_.axes(*reduce) != std::vector<int64_t>{0}) {
      return fail("the scan output is not a Reduce over axis 0 without keepdims (produced by {})",
                  reduce ? reduce->describe() : "no node");
    }
    if (reduce->op == OpType::kReduceSum) m.mode = "sum";
    else if (reduce->op == OpType::kReduceMean) m.mode = "mean";
    else if (reduce->op == OpType::kReduceMax) m.mode = "max";
    else return fail("{} is not ReduceSum/ReduceMean/ReduceMax", reduce->describe());

    const ir::Node* gather = q_.producer(reduce->input(0), OpType::kGather);
    ValueId local_weights = kNoValue;
    const ir::Node* weights_slice = nullptr;
    if (const ir::Node* mul = q_.producer(reduce->input(0), OpType::kMul)) {
      if (m.mode != "sum") return fail("per-sample weights with mode {}", m.mode);
      for (int side = 0; side < 2 && gather == nullptr; ++side) {
        gather = q_.producer(mul->input(side), OpType::kGather);
        const ir::Node* unsq = q_.producer(mul->input(1 - side), OpType::kUnsqueeze);
        if (gather == nullptr || unsq == nullptr) {
          gather = nullptr;
          continue;
        }
        auto axes = q_.axes(*unsq);
        weights_slice = q_.producer(unsq->input(0), OpType::kSlice);
        if (!axes || (*axes != std::vector<int64_t>{1} && *axes != std::vector<int64_t>{-1}) ||
            weights_slice == nullptr) {
          gather = nullptr;
          continue;
        }
        local_weights = weights_slice->input(0);
      }
    }
    if (gather == nullptr || gather->attr_int("axis", 0) != 0) {
      return fail("the reduced rows are not a Gather along axis 0 of a table (input of {})",
                  reduce->describe());
    }
    const ir::Node* ids_slice = q_.producer(gather->input(1), OpType::kSlice);
    if (ids_slice == nullptr || !is_axis0_slice(*ids_slice)) {
      return fail("the ids of {} are not a unit-step Slice along axis 0", gather->describe());
    }
    if (weights_slice != nullptr &&
        (!is_axis0_slice(*weights_slice) || weights_slice->input(1) != ids_slice->input(1) ||
         weights_slice->input(2) != ids_slice->input(2))) {
      return fail("the per-sample weights are not sliced by the same bounds as the ids");
    }
    auto starts = per_bag_bound(ids_slice->input(1));
    auto ends = per_bag_bound(ids_slice->input(2));
    auto table = outer_of(gather->input(0));
    auto indices = outer_of(ids_slice->input(0));
    if (!starts || !ends) {
      return fail("the bounds of {} are not Unsqueeze(Gather(bounds, iteration)) of outer "
                  "tensors", ids_slice->describe());
    }
    if (!table || !indices) return fail("the table or the ids are not outer-scope values");
    m.starts = *starts;
    m.ends = *ends;
    m.table = *table;
    m.indices = *indices;
    if (local_weights != kNoValue) {
      auto weights = outer_of(local_weights);
      if (!weights || outer_.rank(*weights) != 1) return fail("the weights are not 1-D");
      m.weights = *weights;
    }
    if (outer_.rank(m.table) != 2) return fail("the table is not known to be 2-D");
    if (outer_.rank(m.indices) != 1) {
      return fail("the ids '{}' are not known to be 1-D", outer_.graph().value(m.indices).name);
    }
    if (!trip_count_is_length_of(loop_.input(0), m.ends)) {
      return fail("the trip count is not the length of the bag ends");
    }
    return m;
  }

  // Why the last match() failed.
  const std::string& why() const { return why_; }

 private:
  template <typename... Args>
  std::nullopt_t fail(fmt::format_string<Args...> format, Args&&... args) {
    why_ = fmt::format(format, std::forward<Args>(args)...);
    return std::nullopt;
  }

  // The enclosing graph's value a body value captures.
  std::optional<ValueId> outer_of(ValueId local) const {
    auto it = std::find(body_.captures.begin(), body_.captures.end(), local);
    if (it == body_.captures.end()) return std::nullopt;
    auto k = static_cast<size_t>(it - body_.captures.begin());
    return loop_.inputs[static_cast<size_t>(loop_.num_declared_inputs) + k];
  }

  // The body's condition output is constant true (maybe through Cast/Identity), or passes the
  // incoming condition through (which the Loop starts true).
  bool always_true(ValueId v) const {
    for (int depth = 0; depth < 4; ++depth) {
      if (v == body_.inputs[1]) return true;
      if (q_.constant(v) != nullptr) return q_.constant_scalar(v).value_or(0.0) != 0.0;
      const ir::Node* node = q_.producer(v);
      if (node == nullptr || (node->op != OpType::kCast && node->op != OpType::kIdentity)) {
        return false;
      }
      v = node->input(0);
    }
    return false;
  }

  // Slice(x, start, end, axes = [0] (or absent), steps = [1] (or absent)), inputs form.
  bool is_axis0_slice(const ir::Node& slice) const {
    if (slice.opset < 10) return false;
    ValueId axes = slice.input(3);
    ValueId steps = slice.input(4);
    if (axes != kNoValue && q_.constant_ints(axes) != std::vector<int64_t>{0}) return false;
    return steps == kNoValue || q_.constant_ints(steps) == std::vector<int64_t>{1};
  }

  // Unsqueeze(Gather(bounds, iteration, axis 0), axes [0]): the outer `bounds` tensor.
  std::optional<ValueId> per_bag_bound(ValueId v) const {
    const ir::Node* unsq = q_.producer(v, OpType::kUnsqueeze);
    if (unsq == nullptr || q_.axes(*unsq) != std::vector<int64_t>{0}) return std::nullopt;
    const ir::Node* gather = q_.producer(unsq->input(0), OpType::kGather);
    if (gather == nullptr || gather->attr_int("axis", 0) != 0 || gather->input(1) != body_.inputs[0]) {
      return std::nullopt;
    }
    return outer_of(gather->input(0));
  }

  // The trip count is Gather(Shape(ends), 0): one iteration per bag end.
  bool trip_count_is_length_of(ValueId trip, ValueId ends) const {
    const ir::Node* gather = outer_.producer(trip, OpType::kGather);
    if (gather == nullptr || gather->attr_int("axis", 0) != 0) return false;
    const Tensor* index = outer_.constant(gather->input(1));
    if (index == nullptr || index->rank() != 0 || outer_.constant_scalar(gather->input(1)) != 0.0) {
      return false;
    }
    const ir::Node* shape = outer_.producer(gather->input(0), OpType::kShape);
    return shape != nullptr && shape->input(0) == ends && shape->attr_int("start", 0) == 0;
  }

  const GraphQuery& outer_;
  const ir::Node& loop_;
  const ir::Graph& body_;
  GraphQuery q_;
  std::string why_;
};

class EmbeddingBagFusion final : public NodeRewritePass {
 public:
  std::string_view name() const override { return "embedding-bag-fusion"; }
  std::string_view summary() const override {
    return "Loop-based EmbeddingBag exports (sum/mean/max, per-sample weights) -> EmbeddingBag";
  }

 protected:
  std::optional<Rewrite> rewrite(const GraphQuery& query, const ir::Node& node) override {
    const ir::Graph* body = node.op == OpType::kLoop ? node.attr_graph("body") : nullptr;
    if (body == nullptr) return std::nullopt;
    LoopMatcher matcher(query, node, *body);
    auto m = matcher.match();
    if (!m) return miss("not an EmbeddingBag: {}", matcher.why());
    const ir::Graph& g = query.graph();
    return Rewrite{
        make_node(node.name, OpType::kEmbeddingBag,
                  {m->table, m->indices, m->starts, m->ends, m->weights}, node.outputs,
                  {{"mode", kernels::attr_string(m->mode)}}),
        fmt::format("{}: {} bag of '{}' over table '{}'{} (Loop body of {} nodes)", node.describe(),
                    m->mode, g.value(m->indices).name, g.value(m->table).name,
                    m->weights != kNoValue ? " with per-sample weights" : "", body->nodes.size())};
  }
};

}  // namespace

std::unique_ptr<Pass> make_embedding_bag_fusion() { return std::make_unique<EmbeddingBagFusion>(); }

}  // namespace recinfer::passes
