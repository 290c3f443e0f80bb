#include "profiler/recorder.h"

#include <algorithm>
#include <chrono>

namespace recinfer::profiler {

namespace {

TensorDesc describe_slot(const runtime::Executor& executor, int slot) {
  if (slot < 0) return {};
  const Tensor& t = executor.slot_tensor(slot);
  return TensorDesc{true, t.dtype(), t.shape()};
}

void describe_step(const runtime::Executor& executor, const runtime::Step& step,
                   std::vector<TensorDesc>& inputs, std::vector<TensorDesc>& outputs) {
  const ir::Node& node = executor.graph().graph().nodes[static_cast<size_t>(step.node)];
  inputs.clear();
  outputs.clear();
  for (int slot : step.input_slots) inputs.push_back(describe_slot(executor, slot));
  for (int o = 0; o < step.num_outputs; ++o) {
    const bool omitted = node.outputs[static_cast<size_t>(o)] == ir::kNoValue;
    outputs.push_back(omitted ? TensorDesc{} : describe_slot(executor, step.first_output_slot + o));
  }
}

Program describe_program(const runtime::Executor& executor) {
  Program program;
  const auto& nodes = executor.graph().graph().nodes;
  const auto& steps = executor.plan().steps;
  program.ops.resize(steps.size());
  for (size_t t = 0; t < steps.size(); ++t) {
    const ir::Node& node = nodes[static_cast<size_t>(steps[t].node)];
    OpInfo& op = program.ops[t];
    op.type = std::string(ir::op_name(node.op));
    op.name = node.name.empty() ? op.type + "_" + std::to_string(steps[t].node) : node.name;
    op.dynamic = steps[t].dynamic;
    describe_step(executor, steps[t], op.inputs, op.outputs);
  }
  return program;
}

}  // namespace

Recorder::Recorder(RecorderOptions options) : options_(options) {
  inferences_.reserve(static_cast<size_t>(std::max<int64_t>(0, options_.expected_inferences)));
}

int64_t Recorder::now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void Recorder::grow_buffers() {
  if (buffers_.size() < static_cast<size_t>(num_threads_)) {
    buffers_.resize(static_cast<size_t>(num_threads_));
  }
  for (Buffer& b : buffers_) {
    // Room for twice the busiest inference so far; the first one gets the initial size.
    const int64_t want = b.slots.empty() ? options_.initial_events_per_thread : 2 * b.peak;
    const auto free = static_cast<int64_t>(b.slots.size() - b.used);
    if (free < want) {
      b.slots.resize(std::max(2 * b.slots.size(), b.used + static_cast<size_t>(want)));
    }
  }
}

void Recorder::begin_inference(int num_threads) {
  num_threads_ = std::max(num_threads_, num_threads);
  // Workers are idle between runs, so their buffers may be grown here.
  grow_buffers();
  for (Buffer& b : buffers_) {
    b.mark_size = b.used;
    b.mark_dropped = b.dropped;
  }
  inference_first_op_ = next_op_;
  open_ = true;
  inference_begin_ns_ = now_ns();
}

void Recorder::begin_ops() {
  Event e;
  e.kind = EventKind::kStaging;
  e.begin_ns = inference_begin_ns_;
  e.end_ns = now_ns();
  e.inference = static_cast<int32_t>(inferences_.size());
  append(0, e);
}

void Recorder::end_inference(const runtime::Executor& executor) {
  const int64_t end = now_ns();
  current_op_.store(-1, std::memory_order_relaxed);
  InferenceRecord record;
  record.program = program_for(executor);
  record.begin_ns = inference_begin_ns_;
  record.end_ns = end;
  record.first_op = inference_first_op_;
  record.num_ops = next_op_ - inference_first_op_;
  const auto& steps = executor.plan().steps;
  for (size_t t = 0; t < steps.size(); ++t) {
    if (!steps[t].dynamic) continue;
    DynamicShapes& shapes = record.dynamic_shapes.emplace_back();
    shapes.step = static_cast<int>(t);
    describe_step(executor, steps[t], shapes.inputs, shapes.outputs);
  }
  inferences_.push_back(std::move(record));
  for (Buffer& b : buffers_) {
    const auto added = static_cast<int64_t>(b.used - b.mark_size);
    b.peak = std::max(b.peak, added + b.dropped - b.mark_dropped);
  }
  open_ = false;
}

void Recorder::cancel_inference() {
  if (!open_) return;
  current_op_.store(-1, std::memory_order_relaxed);
  for (Buffer& b : buffers_) {
    b.used = std::min(b.used, b.mark_size);
    b.dropped = b.mark_dropped;
  }
  next_op_ = inference_first_op_;
  open_ = false;
}

int Recorder::program_for(const runtime::Executor& executor) {
  const runtime::Plan* plan = &executor.plan();
  for (size_t i = 0; i < program_plans_.size(); ++i) {
    if (program_plans_[i] == plan) return static_cast<int>(i);
  }
  program_plans_.push_back(plan);
  programs_.push_back(describe_program(executor));
  return static_cast<int>(programs_.size()) - 1;
}

void Recorder::record(EventKind kind, int64_t begin_ns, int64_t end_ns, int64_t value) {
  if (!open_) grow_buffers();
  Event e;
  e.kind = kind;
  e.begin_ns = begin_ns;
  e.end_ns = end_ns;
  e.value = value;
  e.op = open_ ? current_op_.load(std::memory_order_relaxed) : -1;
  // Outside an inference (a queue wait before it), the event belongs to the next one.
  e.inference = static_cast<int32_t>(inferences_.size());
  append(0, e);
}

void Recorder::on_step_begin(int step) {
  current_op_.store(next_op_, std::memory_order_relaxed);
  step_begin_ns_ = now_ns();
}

void Recorder::on_step_planned(int step) {
  Event e;
  e.kind = EventKind::kReplan;
  e.begin_ns = step_begin_ns_;
  e.end_ns = now_ns();
  e.op = next_op_;
  e.value = step;
  append(0, e);
}

void Recorder::on_step_end(int step) {
  Event e;
  e.kind = EventKind::kOp;
  e.end_ns = now_ns();
  e.begin_ns = step_begin_ns_;
  e.op = next_op_++;
  e.value = step;
  append(0, e);
}

void Recorder::on_work(int thread, int64_t begin_ns, int64_t end_ns, int64_t chunks) {
  Event e;
  e.kind = EventKind::kWork;
  e.begin_ns = begin_ns;
  e.end_ns = end_ns;
  e.op = current_op_.load(std::memory_order_relaxed);
  e.value = chunks;
  e.thread = static_cast<int16_t>(thread);
  append(thread, e);
}

void Recorder::on_join_wait(int64_t begin_ns, int64_t end_ns) {
  Event e;
  e.kind = EventKind::kJoinWait;
  e.begin_ns = begin_ns;
  e.end_ns = end_ns;
  e.op = current_op_.load(std::memory_order_relaxed);
  append(0, e);
}

void Recorder::reset() {
  for (Buffer& b : buffers_) {
    b.used = 0;
    b.dropped = 0;
  }
  inferences_.clear();
  open_ = false;
  next_op_ = 0;
  inference_first_op_ = 0;
  current_op_.store(-1, std::memory_order_relaxed);
}

Profile Recorder::take() {
  Profile p;
  p.num_threads = num_threads_;
  p.origin_ns = inferences_.empty() ? 0 : inferences_.front().begin_ns;
  p.programs = std::move(programs_);
  p.inferences = std::move(inferences_);
  // Op instances are numbered in run order; an op whose event was dropped keeps zero times.
  p.ops.resize(static_cast<size_t>(next_op_));
  for (size_t i = 0; i < p.inferences.size(); ++i) {
    const InferenceRecord& inf = p.inferences[i];
    for (int64_t k = 0; k < inf.num_ops; ++k) {
      OpInstance& op = p.ops[static_cast<size_t>(inf.first_op + k)];
      op.inference = static_cast<int32_t>(i);
      op.step = static_cast<int32_t>(k);
    }
  }
  size_t total = 0;
  for (const Buffer& b : buffers_) total += b.used;
  p.events.reserve(total);
  for (Buffer& b : buffers_) {
    p.dropped_events += b.dropped;
    for (size_t i = 0; i < b.used; ++i) {
      Event& e = b.slots[i];
      if (e.op >= 0 && e.op < static_cast<int64_t>(p.ops.size())) {
        OpInstance& op = p.ops[static_cast<size_t>(e.op)];
        e.inference = op.inference;
        if (e.kind == EventKind::kOp) {
          op.begin_ns = e.begin_ns;
          op.end_ns = e.end_ns;
        } else if (e.kind == EventKind::kReplan) {
          op.replan_ns = e.end_ns - e.begin_ns;
        }
      }
      p.events.push_back(e);
    }
  }
  std::stable_sort(p.events.begin(), p.events.end(), [](const Event& a, const Event& b) {
    return a.thread != b.thread ? a.thread < b.thread : a.begin_ns < b.begin_ns;
  });
  reset();
  buffers_.clear();
  programs_.clear();
  program_plans_.clear();
  num_threads_ = 1;
  return p;
}

}  // namespace recinfer::profiler
