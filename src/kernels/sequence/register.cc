#include "kernels/registry.h"
#include "kernels/sequence/sequence_ops.h"
#include "kernels/sequence/tfidf_vectorizer.h"

namespace recinfer::kernels {

void register_sequence_kernels(KernelRegistry& registry) {
  registry.add(ir::OpType::kTopK, {&infer_top_k, &make_top_k, &make_top_k_reference});
  registry.add(ir::OpType::kUnique, {&infer_unique, &make_unique_kernel, nullptr});
  registry.add(ir::OpType::kNonZero, {&infer_non_zero, &make_non_zero, nullptr});
  registry.add(ir::OpType::kTfIdfVectorizer,
               {&infer_tfidf_vectorizer, &make_tfidf_vectorizer, nullptr});
}

}  // namespace recinfer::kernels
