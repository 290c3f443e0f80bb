#include "runtime/instance.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>

#include "profiler/recorder.h"

namespace recinfer::runtime {

namespace {

inline uint64_t now_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

bool cap_restricts(int cap, int threads) { return cap > 0 && cap < threads; }

}  // namespace

struct Instance::Entry {
  PlanKey key;
  std::shared_ptr<const Plan> plan;
  std::unique_ptr<Executor> executor;
  InputLayout layout;
  Tensor staging;                          // this instance's copy of the request's inputs
  std::vector<Tensor> staged;              // views into staging, one per input
  std::vector<const Tensor*> staged_ptrs;  // &staged[i]
  std::vector<const Tensor*> bound_ptrs;   // zero-copy binding: &request input i
  std::vector<int> step_caps;
  uint64_t last_used = 0;
};

void InstanceCounters::reset() {
  for (auto* c : {&inferences, &failed, &copies, &bytes, &staging_ns, &busy_ns, &executors}) {
    c->store(0, std::memory_order_relaxed);
  }
  staging_time.reset();
}

Instance::Instance(std::shared_ptr<const CompiledGraph> graph, PlanCache& plans,
                   InstanceConfig config)
    : graph_(std::move(graph)), plans_(plans), config_(std::move(config)),
      capped_(cap_restricts(config_.core_limit.matmul, config_.threads) ||
              cap_restricts(config_.core_limit.vector, config_.threads)),
      pool_(config_.threads, config_.cpus), parallel_(pool_) {}

Instance::~Instance() = default;

Result<std::unique_ptr<Instance::Entry>> Instance::make_entry(const std::vector<Tensor>& inputs) {
  auto entry = std::make_unique<Entry>();
  entry->key = PlanKey::of(inputs, graph_->ragged_inputs());
  RI_ASSIGN_OR_RETURN(entry->plan, plans_.get(inputs));
  RI_ASSIGN_OR_RETURN(entry->executor, Executor::create(graph_, entry->plan));
  entry->layout = InputLayout::of(inputs);
  RI_ASSIGN_OR_RETURN(entry->staging, Tensor::allocate(DType::kUint8,
                                                       Shape{static_cast<int64_t>(entry->layout.total)}));
  auto* base = entry->staging.data<uint8_t>();
  entry->staged.reserve(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    entry->staged.emplace_back(inputs[i].dtype(), inputs[i].shape(),
                               base + entry->layout.offsets[i], entry->staging.owner());
  }
  for (const Tensor& t : entry->staged) entry->staged_ptrs.push_back(&t);
  entry->bound_ptrs.assign(inputs.size(), nullptr);
  if (capped_) entry->step_caps = step_thread_caps(*entry->plan, *graph_, config_.core_limit);
  counters_.executors.fetch_add(1, std::memory_order_relaxed);
  return entry;
}

// A ragged input's length differs between the requests an entry serves: lay the staging
// block out again for this request, reallocating it only when it is too small.
Status Instance::fit_staging(Entry& e, const std::vector<Tensor>& inputs) {
  bool same = true;
  for (size_t i = 0; i < inputs.size() && same; ++i) same = e.staged[i].shape() == inputs[i].shape();
  if (same) return Status::ok();
  e.layout.assign(inputs);
  if (e.layout.total > e.staging.bytes()) {
    RI_ASSIGN_OR_RETURN(e.staging, Tensor::allocate(DType::kUint8,
                                                    Shape{static_cast<int64_t>(e.layout.total)}));
  }
  auto* base = e.staging.data<uint8_t>();
  for (size_t i = 0; i < inputs.size(); ++i) {
    e.staged[i] = Tensor(inputs[i].dtype(), inputs[i].shape(), base + e.layout.offsets[i],
                         e.staging.owner());
  }
  return Status::ok();
}

Result<Instance::Entry*> Instance::entry_for(const std::vector<Tensor>& inputs) {
  ++tick_;
  if (last_ != nullptr && last_->key.matches(inputs)) {
    last_->last_used = tick_;
    return last_;
  }
  for (auto& e : entries_) {
    if (e->key.matches(inputs)) {
      e->last_used = tick_;
      last_ = e.get();
      return last_;
    }
  }
  RI_ASSIGN_OR_RETURN(std::unique_ptr<Entry> entry, make_entry(inputs));
  entry->last_used = tick_;
  if (entries_.size() >= std::max<size_t>(1, config_.max_executors)) {
    auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                   [](const auto& a, const auto& b) {
                                     return a->last_used < b->last_used;
                                   });
    entries_.erase(oldest);
  }
  entries_.push_back(std::move(entry));
  last_ = entries_.back().get();
  return last_;
}

Status Instance::prepare(const std::vector<Tensor>& inputs) {
  return entry_for(inputs).status();
}

namespace {

// The profiler's view of a request: staging copies become events, and the step observer that
// applies core caps keeps working next to the recorder's.
struct RecordedCopies final : CopyObserver {
  explicit RecordedCopies(profiler::Recorder& r) : recorder(r) {}
  void on_copy(int64_t begin_ns, int64_t end_ns, size_t bytes) override {
    recorder.record(profiler::EventKind::kStagingCopy, begin_ns, end_ns, static_cast<int64_t>(bytes));
  }
  profiler::Recorder& recorder;
};

struct BothObservers final : StepObserver {
  BothObservers(StepObserver* a, StepObserver* b) : first(a), second(b) {}
  void on_step_begin(int step) override {
    first->on_step_begin(step);
    second->on_step_begin(step);
  }
  void on_step_planned(int step) override {
    first->on_step_planned(step);
    second->on_step_planned(step);
  }
  void on_step_end(int step) override {
    second->on_step_end(step);
    first->on_step_end(step);
  }
  StepObserver* first;
  StepObserver* second;
};

}  // namespace

Status Instance::run(const std::vector<Tensor>& inputs, std::vector<Tensor>& outputs,
                     int64_t submitted_ns) {
  const uint64_t start = now_ns();
  profiler::Recorder* const recorder = recorder_;
  if (recorder != nullptr) {
    recorder->begin_inference(config_.threads);
    if (submitted_ns > 0) {
      recorder->record(profiler::EventKind::kQueueWait, submitted_ns, static_cast<int64_t>(start));
    }
  }
  auto found = entry_for(inputs);
  if (!found.is_ok()) {
    counters_.failed.fetch_add(1, std::memory_order_relaxed);
    if (recorder != nullptr) recorder->cancel_inference();
    return found.status();
  }
  Entry& e = **found;
  if (Status fit = fit_staging(e, inputs); !fit.is_ok()) {
    counters_.failed.fetch_add(1, std::memory_order_relaxed);
    if (recorder != nullptr) recorder->cancel_inference();
    return fit;
  }

  const uint64_t staging_start = now_ns();
  const Tensor* const* ptrs = e.staged_ptrs.data();
  StagingCost cost;
  std::optional<RecordedCopies> recorded;
  if (recorder != nullptr) recorded.emplace(*recorder);
  CopyObserver* copies = recorded ? &*recorded : nullptr;
  if (config_.staging == InputStaging::kPerTensor) {
    cost = stage_per_tensor(e.layout, inputs, e.staging.data<uint8_t>(), copies);
  } else if (e.layout.is_packed(inputs)) {
    cost = stage_packed(e.layout, inputs, e.staging.data<uint8_t>(), copies);
  } else {
    for (size_t i = 0; i < inputs.size(); ++i) e.bound_ptrs[i] = &inputs[i];
    ptrs = e.bound_ptrs.data();
  }
  const uint64_t staged = now_ns();

  StepObserver* observer = nullptr;
  if (capped_) {
    parallel_.set_step_caps(e.step_caps.data());
    observer = &parallel_;
  }
  std::optional<BothObservers> both;
  if (recorder != nullptr) {
    recorder->begin_ops();
    pool_.set_work_observer(recorder);
    if (observer != nullptr) {
      both.emplace(observer, recorder);
      observer = &*both;
    } else {
      observer = recorder;
    }
  }
  Status st = e.executor->run(ptrs, inputs.size(), parallel_, observer);
  if (capped_) parallel_.set_step_caps(nullptr);
  if (recorder != nullptr) {
    pool_.set_work_observer(nullptr);
    if (st.is_ok()) {
      recorder->end_inference(*e.executor);
    } else {
      recorder->cancel_inference();
    }
  }
  if (st.is_ok()) st = copy_outputs(*e.executor, outputs);

  counters_.copies.fetch_add(cost.copies, std::memory_order_relaxed);
  counters_.bytes.fetch_add(cost.bytes, std::memory_order_relaxed);
  counters_.staging_ns.fetch_add(staged - staging_start, std::memory_order_relaxed);
  counters_.staging_time.add(staged - staging_start);
  counters_.busy_ns.fetch_add(now_ns() - start, std::memory_order_relaxed);
  (st.is_ok() ? counters_.inferences : counters_.failed).fetch_add(1, std::memory_order_relaxed);
  return st;
}

Status copy_outputs(const Executor& executor, std::vector<Tensor>& outputs) {
  if (outputs.size() != executor.num_outputs()) outputs.resize(executor.num_outputs());
  for (size_t o = 0; o < executor.num_outputs(); ++o) {
    const Tensor& src = executor.output(o);
    Tensor& dst = outputs[o];
    const bool reusable = dst.dtype() == src.dtype() && dst.shape() == src.shape() &&
                          dst.owner() != nullptr && dst.owner().use_count() == 1 &&
                          dst.raw() != nullptr;
    if (!reusable) {
      RI_ASSIGN_OR_RETURN(dst, Tensor::allocate(src.dtype(), src.shape()));
    }
    if (src.bytes() > 0) std::memcpy(dst.raw(), src.raw(), src.bytes());
  }
  return Status::ok();
}

}  // namespace recinfer::runtime
