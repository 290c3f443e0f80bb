// Entry points of the signal family (opset 17 spectral ops), used by register.cc.
#pragma once

#include <memory>

#include "kernels/kernel.h"

namespace recinfer::kernels {

// HannWindow, HammingWindow, BlackmanWindow: a generalised cosine window of `size` points.
Status infer_window(InferContext& ctx);
std::unique_ptr<Kernel> make_hann_window(const ir::Node& node);
std::unique_ptr<Kernel> make_hamming_window(const ir::Node& node);
std::unique_ptr<Kernel> make_blackman_window(const ir::Node& node);

// DFT: discrete Fourier transform along one axis of a real or complex ([..., 2]) signal.
Status infer_dft(InferContext& ctx);
std::unique_ptr<Kernel> make_dft(const ir::Node& node);

// STFT: DFTs of (windowed) frames of a batch of signals.
Status infer_stft(InferContext& ctx);
std::unique_ptr<Kernel> make_stft(const ir::Node& node);

// MelWeightMatrix: the triangular mel filter bank as a (dft_length/2 + 1, num_mel_bins) matrix.
Status infer_mel_weight_matrix(InferContext& ctx);
std::unique_ptr<Kernel> make_mel_weight_matrix(const ir::Node& node);

}  // namespace recinfer::kernels
