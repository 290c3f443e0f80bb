// Entry points of the rnn family (RNN, GRU, LSTM), used by register.cc.
#pragma once

#include <memory>
#include <span>

#include "ir/graph.h"
#include "kernels/kernel.h"
#include "kernels/registry.h"

namespace recinfer::kernels {

Status infer_rnn(InferContext& ctx);
Status infer_gru(InferContext& ctx);
Status infer_lstm(InferContext& ctx);
std::unique_ptr<Kernel> make_rnn(const ir::Node& node);
std::unique_ptr<Kernel> make_gru(const ir::Node& node);
std::unique_ptr<Kernel> make_lstm(const ir::Node& node);
std::unique_ptr<Kernel> make_rnn_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_gru_reference(const ir::Node& node);
std::unique_ptr<Kernel> make_lstm_reference(const ir::Node& node);
// 2·seq·batch·dirs·gates·H·(input + H): the input projection plus the recurrent products.
OpWork rnn_work(std::span<const ShapeInfo> in, std::span<const ShapeInfo> out);

}  // namespace recinfer::kernels
