#include "kernels/registry.h"
#include "kernels/rnn/rnn_kernels.h"

namespace recinfer::kernels {

void register_rnn_kernels(KernelRegistry& registry) {
  registry.add(ir::OpType::kRNN, {.infer = &infer_rnn, .make = &make_rnn, .make_reference = &make_rnn_reference,
                                  .op_class = OpClass::kMatmul, .work = &rnn_work});
  registry.add(ir::OpType::kGRU, {.infer = &infer_gru, .make = &make_gru, .make_reference = &make_gru_reference,
                                  .op_class = OpClass::kMatmul, .work = &rnn_work});
  registry.add(ir::OpType::kLSTM, {.infer = &infer_lstm, .make = &make_lstm, .make_reference = &make_lstm_reference,
                                   .op_class = OpClass::kMatmul, .work = &rnn_work});
}

}  // namespace recinfer::kernels
