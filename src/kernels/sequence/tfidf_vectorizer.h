// TfIdfVectorizer over int32/int64 id sequences (string pools are not supported: string op).
#pragma once

#include <memory>

#include "kernels/kernel.h"

namespace recinfer::kernels {

Status infer_tfidf_vectorizer(InferContext& ctx);
std::unique_ptr<Kernel> make_tfidf_vectorizer(const ir::Node& node);

}  // namespace recinfer::kernels
