// The profiler's data model: timed events recorded per thread, the ops they refer to, and the
// collected Profile that the exporters (Chrome trace, op CSV, HTML) and the analysis read.
//
// Event kinds follow the seed's msprof view of one inference on one instance:
//   staging      - the host work before the first op (input checks, plan lookup, binding);
//   staging copy - one copy of request data into instance memory (bytes in `value`);
//   queue wait   - a request waiting for a free instance;
//   op           - one plan step on the instance's calling thread;
//   replan       - the shape inference + output allocation part of a dynamic op;
//   work         - one thread's share of a parallel job inside an op (chunks in `value`);
//   join wait    - the calling thread waiting for workers at the end of a parallel job.
// Today's Session binds inputs in place and has no request queue, so it records no staging
// copies and no queue waits; the multi-instance engine adds them with Recorder::record().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "recinfer/dtype.h"
#include "recinfer/shape.h"

namespace recinfer::profiler {

enum class EventKind : uint8_t {
  kStaging,
  kStagingCopy,
  kQueueWait,
  kOp,
  kReplan,
  kWork,
  kJoinWait,
};

std::string_view event_kind_name(EventKind kind);
char event_kind_code(EventKind kind);  // one letter, for compact exports (the HTML report)

struct Event {
  int64_t begin_ns = 0;  // steady_clock
  int64_t end_ns = 0;
  int64_t op = -1;    // global op-instance index (Profile::ops), -1 when outside any op
  int64_t value = 0;  // chunks (work), bytes (staging copy)
  int32_t inference = -1;
  int16_t thread = 0;  // 0 = the calling thread, 1.. = pool workers
  EventKind kind = EventKind::kOp;
};

struct TensorDesc {
  bool present = false;  // false for an omitted optional input
  DType dtype = DType::kUndefined;
  Shape shape;
};

struct OpInfo {
  std::string name;
  std::string type;
  bool dynamic = false;
  std::vector<TensorDesc> inputs;
  std::vector<TensorDesc> outputs;
};

// The ops of one plan (one per distinct set of input shapes).
struct Program {
  std::vector<OpInfo> ops;
};

// Shapes a dynamic op saw in one inference (static ops' shapes live in the Program).
struct DynamicShapes {
  int step = 0;
  std::vector<TensorDesc> inputs;
  std::vector<TensorDesc> outputs;
};

struct InferenceRecord {
  int program = 0;
  int16_t caller_thread = 0;  // the thread its ops ran on (0; an instance's in merged profiles)
  int64_t begin_ns = 0;
  int64_t end_ns = 0;
  int64_t first_op = 0;  // index of its first op instance
  int64_t num_ops = 0;
  std::vector<DynamicShapes> dynamic_shapes;
};

// One op instance: step `step` of inference `inference`, timed on the calling thread.
struct OpInstance {
  int32_t inference = 0;
  int32_t step = 0;
  int64_t begin_ns = 0;
  int64_t end_ns = 0;
  int64_t replan_ns = 0;  // dynamic ops: shape inference + allocation before compute
};

struct Profile {
  int num_threads = 1;
  int64_t origin_ns = 0;  // begin of the first inference; exported times are relative to it
  std::vector<Program> programs;
  std::vector<InferenceRecord> inferences;
  std::vector<OpInstance> ops;
  std::vector<Event> events;   // every recorded event, sorted by (thread, begin)
  int64_t dropped_events = 0;  // lost to full buffers (the summary warns)
  // Per thread; empty: thread 0 is the caller, the others workers. Merged profiles of several
  // engine instances name theirs "instance i ...".
  std::vector<std::string> thread_names;
  // Threads of one instance (merged profiles); 0: all num_threads serve every inference.
  int threads_per_instance = 0;
  int instance_threads() const { return threads_per_instance > 0 ? threads_per_instance : num_threads; }

  const OpInfo& op_info(const OpInstance& op) const {
    return programs[static_cast<size_t>(inferences[static_cast<size_t>(op.inference)].program)]
        .ops[static_cast<size_t>(op.step)];
  }
  // Input/output descriptions the op instance actually saw.
  const std::vector<TensorDesc>& inputs_of(const OpInstance& op) const;
  const std::vector<TensorDesc>& outputs_of(const OpInstance& op) const;
};

}  // namespace recinfer::profiler
