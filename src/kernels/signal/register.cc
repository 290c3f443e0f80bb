#include "kernels/registry.h"
#include "kernels/signal/signal_kernels.h"

namespace recinfer::kernels {

void register_signal_kernels(KernelRegistry& registry) {
  registry.add(ir::OpType::kHannWindow, {&infer_window, &make_hann_window, nullptr});
  registry.add(ir::OpType::kHammingWindow, {&infer_window, &make_hamming_window, nullptr});
  registry.add(ir::OpType::kBlackmanWindow, {&infer_window, &make_blackman_window, nullptr});
  registry.add(ir::OpType::kDFT, {&infer_dft, &make_dft, nullptr});
  registry.add(ir::OpType::kSTFT, {&infer_stft, &make_stft, nullptr});
  registry.add(ir::OpType::kMelWeightMatrix,
               {&infer_mel_weight_matrix, &make_mel_weight_matrix, nullptr});
}

}  // namespace recinfer::kernels
