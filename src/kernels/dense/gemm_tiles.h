// Splitting matrix products into tiles for ctx.parallel_for, and computing one tile.
// Kernels never start threads and oneDNN must not either (its OpenMP pool would fight the
// runtime's workers), so each tile is one single-threaded product over a row block of M, or a
// column block of N when M is too small to feed all workers. Batched MatMul tiles over
// (batch, rows, cols) at once.
#pragma once

#include <cstdint>

#include "kernels/dense/dense_scalar.h"
#include "recinfer/status.h"

namespace recinfer::kernels::dense {

struct Tile {
  int64_t batch = 0;
  int64_t m_begin = 0, m_end = 0;
  int64_t n_begin = 0, n_end = 0;
};

struct TilePlan {
  int64_t batch = 1;
  int64_t m = 0, n = 0;
  int64_t m_block = 1, n_block = 1;
  int64_t m_tiles = 0, n_tiles = 0;
  int64_t grain = 1;  // tiles per parallel chunk (> 1 when each tile is a tiny whole matrix)

  int64_t count() const { return batch * m_tiles * n_tiles; }
  Tile tile(int64_t index) const;
};

// Plans tiles for `batch` products of (m x k) * (k x n) on `num_threads` workers: one tile when
// the work is small, a few tiles per worker otherwise (for balance on shared cores).
TilePlan plan_tiles(int64_t batch, int64_t m, int64_t n, int64_t k, int num_threads);

// One row-major product Y = op(A) * op(B), where op(A) is m x k and op(B) is k x n. The leading
// dimensions follow from the shapes: A is stored (m, k), or (k, m) when trans_a; likewise B.
template <typename T>
struct GemmOperands {
  const T* a = nullptr;
  const T* b = nullptr;
  T* y = nullptr;
  int64_t m = 0, n = 0, k = 0;
  bool trans_a = false, trans_b = false;

  int64_t lda() const { return trans_a ? m : k; }
  int64_t ldb() const { return trans_b ? k : n; }
  int64_t ldy() const { return n; }
  T a_at(int64_t i, int64_t kk) const { return trans_a ? a[kk * m + i] : a[i * k + kk]; }
  T b_at(int64_t kk, int64_t j) const { return trans_b ? b[j * k + kk] : b[kk * n + j]; }
};

// Y[tile] = alpha * op(A)[tile rows] * op(B)[tile cols] + beta * Y[tile] through oneDNN on the
// calling thread. Requires k > 0. Returns the oneDNN status (0 = dnnl_success).
int sgemm_tile(const GemmOperands<float>& ops, const Tile& tile, float alpha, float beta);
// The same over rows [k_begin, k_end) of op(B) (columns of op(A)) only.
int sgemm_tile(const GemmOperands<float>& ops, const Tile& tile, float alpha, float beta,
               int64_t k_begin, int64_t k_end);
// Name of a oneDNN status for error messages.
const char* sgemm_status_name(int status);

// Y[tile] = op(A) * op(B) for any dense dtype, cache-friendly naive loops: i-k-j when B is
// stored (k, n) so the inner loop streams rows of B and Y; dot products when B is transposed
// so both operands are read contiguously.
template <typename T>
void naive_gemm_tile(const GemmOperands<T>& ops, const Tile& tile) {
  for (int64_t i = tile.m_begin; i < tile.m_end; ++i) {
    T* y_row = ops.y + i * ops.ldy();
    if (!ops.trans_b) {
      for (int64_t j = tile.n_begin; j < tile.n_end; ++j) y_row[j] = T(0);
      for (int64_t kk = 0; kk < ops.k; ++kk) {
        const T a = ops.a_at(i, kk);
        const T* b_row = ops.b + kk * ops.n;
        for (int64_t j = tile.n_begin; j < tile.n_end; ++j) y_row[j] = mul_add(y_row[j], a, b_row[j]);
      }
    } else {
      for (int64_t j = tile.n_begin; j < tile.n_end; ++j) {
        const T* b_row = ops.b + j * ops.k;
        T acc = T(0);
        for (int64_t kk = 0; kk < ops.k; ++kk) acc = mul_add(acc, ops.a_at(i, kk), b_row[kk]);
        y_row[j] = acc;
      }
    }
  }
}

}  // namespace recinfer::kernels::dense
