#include "kernels/conv/einsum_plan.h"

#include <limits>

namespace recinfer::kernels::conv {
namespace {

struct Order {
  int count = 0;
  int8_t label[kEinsumMaxViewDims] = {};
  void push(int l) { label[count++] = static_cast<int8_t>(l); }
};

// The labels of `view` that are in `mask`, in the view's order.
Order filter(const LabelView& view, LabelMask mask) {
  Order order;
  for (int i = 0; i < view.rank; ++i) {
    if ((mask & label_bit(view.label[i])) != 0) order.push(view.label[i]);
  }
  return order;
}

// `primary`'s order for the labels it has, then the rest in `fallback`'s order.
Order filter2(const LabelView& primary, const LabelView& fallback, LabelMask mask) {
  Order order = filter(primary, mask);
  const Order rest = filter(fallback, mask & ~primary.mask());
  for (int i = 0; i < rest.count; ++i) order.push(rest.label[i]);
  return order;
}

Order concat(const Order& x, const Order& y, const Order& z) {
  Order order = x;
  for (int i = 0; i < y.count; ++i) order.push(y.label[i]);
  for (int i = 0; i < z.count; ++i) order.push(z.label[i]);
  return order;
}

int64_t numel(const LabelView& view) {
  int64_t n = 1;
  for (int i = 0; i < view.rank; ++i) n *= view.dim[i];
  return n;
}

int64_t extent(const LabelView& view, const Order& order) {
  int64_t n = 1;
  for (int i = 0; i < order.count; ++i) n *= view.dim[view.find(order.label[i])];
  return n;
}

// Whether `view` is exactly `order`, row-major contiguous (no other labels to sum away).
bool contiguous(const LabelView& view, const Order& order) {
  if (view.rank != order.count) return false;
  int64_t stride = 1;
  for (int i = order.count - 1; i >= 0; --i) {
    const int axis = view.find(order.label[i]);
    if (view.stride[axis] != stride) return false;
    stride *= view.dim[axis];
  }
  return true;
}

bool same_order(const LabelView& view, const Order& order) {
  if (view.rank != order.count) return false;
  for (int i = 0; i < order.count; ++i) {
    if (view.label[i] != order.label[i]) return false;
  }
  return true;
}

EinsumGather make_gather(const LabelView& view, const Order& order, EinsumBuffer src, EinsumBuffer dst) {
  EinsumGather g;
  g.src = src;
  g.dst = dst;
  LabelMask kept = 0;
  for (int i = 0; i < order.count; ++i) {
    const int axis = view.find(order.label[i]);
    g.dim[g.rank] = view.dim[axis];
    g.stride[g.rank] = view.stride[axis];
    ++g.rank;
    kept |= label_bit(order.label[i]);
  }
  for (int i = 0; i < view.rank; ++i) {
    if ((kept & label_bit(view.label[i])) != 0) continue;
    g.red_dim[g.red_rank] = view.dim[i];
    g.red_stride[g.red_rank] = view.stride[i];
    ++g.red_rank;
  }
  return g;
}

LabelView contiguous_view(const LabelView& sizes_x, const LabelView& sizes_y, const Order& order) {
  LabelView view;
  for (int i = 0; i < order.count; ++i) {
    const int l = order.label[i];
    const int ax = sizes_x.find(l);
    view.push(l, ax >= 0 ? sizes_x.dim[ax] : sizes_y.dim[sizes_y.find(l)], 0);
  }
  int64_t stride = 1;
  for (int i = view.rank - 1; i >= 0; --i) {
    view.stride[i] = stride;
    stride *= view.dim[i];
  }
  return view;
}

// One candidate layout of a contraction and what it costs in copied elements.
struct Candidate {
  Order batch, rows, cols, k;
  bool swap = false;  // rows come from Y: the product is Y·X
  int64_t cost = 0;
};

class Planner {
 public:
  explicit Planner(const EinsumDims& dims) : dims_(dims) {}

  Result<EinsumPlan> run() {
    LabelView x = dims_.operands[0];
    EinsumBuffer x_buffer{EinsumBuffer::kInput, 0};
    const int n = dims_.num_operands;
    for (int s = 1; s < n; ++s) {
      LabelMask keep = dims_.out.mask();
      for (int later = s + 1; later < n; ++later) keep |= dims_.operands[later].mask();
      RI_RETURN_IF_ERROR(contract(x, x_buffer, s, keep, s == n - 1));
    }
    if (n == 1 || plan_.final_gather) {
      // The only operand, or a last product whose order is not the output's.
      const Order out_order = filter(dims_.out, dims_.out.mask());
      plan_.final = make_gather(x, out_order, x_buffer, {EinsumBuffer::kOutput, 0});
      plan_.final_gather = true;
      plan_.copied_elements += numel(x);
    }
    return plan_;
  }

 private:
  Status contract(LabelView& x, EinsumBuffer& x_buffer, int s, LabelMask keep, bool last) {
    const LabelView& y = dims_.operands[s];
    const LabelMask xs = x.mask(), ys = y.mask();
    const LabelMask batch = xs & ys & keep, k = xs & ys & ~keep;
    const LabelMask m = xs & ~ys & keep, n = ys & ~xs & keep;
    const Order batch_orders[3] = {filter(x, batch), filter(y, batch), filter2(dims_.out, x, batch)};
    const Order k_orders[2] = {filter(x, k), filter(y, k)};
    const Order m_orders[2] = {filter(x, m), filter2(dims_.out, x, m)};
    const Order n_orders[2] = {filter(y, n), filter2(dims_.out, y, n)};
    Candidate best;
    best.cost = std::numeric_limits<int64_t>::max();
    for (const Order& bo : batch_orders) {
      for (const Order& ko : k_orders) {
        for (const Order& mo : m_orders) {
          for (const Order& no : n_orders) {
            for (const bool swap : {false, true}) {
              Candidate c{bo, swap ? no : mo, swap ? mo : no, ko, swap, 0};
              const LabelView& a = swap ? y : x;
              const LabelView& b = swap ? x : y;
              if (!contiguous(a, concat(c.batch, c.rows, c.k)) && !contiguous(a, concat(c.batch, c.k, c.rows))) c.cost += numel(a);
              if (!contiguous(b, concat(c.batch, c.k, c.cols)) && !contiguous(b, concat(c.batch, c.cols, c.k))) c.cost += numel(b);
              if (last && !same_order(dims_.out, concat(c.batch, c.rows, c.cols))) {
                c.cost += extent(x, c.batch) * extent(swap ? y : x, c.rows) * extent(swap ? x : y, c.cols);
              }
              if (c.cost < best.cost) best = c;
            }
          }
        }
      }
    }
    const Order result_order = concat(best.batch, best.rows, best.cols);
    if (result_order.count > kEinsumMaxViewDims) {
      return unsupported("einsum intermediate product has more than {} dims", kEinsumMaxViewDims);
    }
    EinsumStep& step = plan_.steps[plan_.num_steps++];
    const LabelView& a = best.swap ? y : x;
    const LabelView& b = best.swap ? x : y;
    const EinsumBuffer a_src = best.swap ? EinsumBuffer{EinsumBuffer::kInput, s} : x_buffer;
    const EinsumBuffer b_src = best.swap ? x_buffer : EinsumBuffer{EinsumBuffer::kInput, s};
    step.batch = extent(x, best.batch);
    step.m = extent(a, best.rows);
    step.n = extent(b, best.cols);
    step.k = extent(x, best.k);
    bind_operand(a, a_src, concat(best.batch, best.rows, best.k), concat(best.batch, best.k, best.rows),
                 step.m * step.k, &step.gather_a, &step.a_gather, &step.a);
    bind_operand(b, b_src, concat(best.batch, best.k, best.cols), concat(best.batch, best.cols, best.k),
                 step.k * step.n, &step.gather_b, &step.b_gather, &step.b);
    const LabelView result = contiguous_view(a, b, result_order);
    if (last && same_order(dims_.out, result_order)) {
      step.y = {EinsumBuffer::kOutput, 0};
    } else {
      step.y = allocate(numel(result));
      plan_.final_gather = last;
    }
    x = result;
    x_buffer = step.y;
    return Status::ok();
  }

  // Uses the operand in place when it is one of the two layouts, else gathers it into the first.
  void bind_operand(const LabelView& view, EinsumBuffer src, const Order& plain, const Order& transposed,
                    int64_t matrix, bool* gather, EinsumGather* spec, EinsumGemmOperand* operand) {
    operand->batch_stride = matrix;
    if (contiguous(view, plain) || contiguous(view, transposed)) {
      operand->buffer = src;
      operand->trans = !contiguous(view, plain);
      return;
    }
    *gather = true;
    operand->buffer = allocate(extent(view, plain));
    operand->trans = false;
    *spec = make_gather(view, plain, src, operand->buffer);
    plan_.copied_elements += numel(view);
  }

  EinsumBuffer allocate(int64_t elements) {
    const EinsumBuffer buffer{EinsumBuffer::kScratch, plan_.scratch_elements};
    constexpr int64_t kAlign = 16;  // 64 bytes of float: aligned rows for oneDNN
    plan_.scratch_elements += (elements + kAlign - 1) / kAlign * kAlign;
    return buffer;
  }

  const EinsumDims& dims_;
  EinsumPlan plan_;
};

}  // namespace

Result<EinsumPlan> plan_einsum(const EinsumDims& dims) { return Planner(dims).run(); }

}  // namespace recinfer::kernels::conv
