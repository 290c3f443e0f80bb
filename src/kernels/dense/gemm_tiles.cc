#include "kernels/dense/gemm_tiles.h"

#include <algorithm>

#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>

namespace recinfer::kernels::dense {
namespace {

// Below this many multiply-adds per tile, handing work to another thread costs more than it saves.
constexpr double kMinTileWork = 64.0 * 1024.0;
// Tiles per worker: more than one, so a worker delayed by another process does not hold up the op.
constexpr int64_t kTilesPerThread = 2;
// Column blocks are multiples of this, so oneDNN's vectorised N loop has no ragged block per tile.
constexpr int64_t kColumnQuantum = 16;

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

Tile TilePlan::tile(int64_t index) const {
  Tile t;
  const int64_t per_matrix = m_tiles * n_tiles;
  t.batch = index / per_matrix;
  const int64_t within = index - t.batch * per_matrix;
  const int64_t mi = within / n_tiles;
  const int64_t ni = within - mi * n_tiles;
  t.m_begin = mi * m_block;
  t.m_end = std::min(m, t.m_begin + m_block);
  t.n_begin = ni * n_block;
  t.n_end = std::min(n, t.n_begin + n_block);
  return t;
}

TilePlan plan_tiles(int64_t batch, int64_t m, int64_t n, int64_t k, int num_threads) {
  TilePlan plan;
  plan.batch = batch;
  plan.m = m;
  plan.n = n;
  if (batch <= 0 || m <= 0 || n <= 0) {
    plan.m_tiles = plan.n_tiles = 0;
    return plan;
  }
  // Work in double: batch * m * n * k can exceed int64 for absurd (but valid) shapes.
  const double work = static_cast<double>(batch) * static_cast<double>(m) *
                      static_cast<double>(n) * static_cast<double>(std::max<int64_t>(k, 1));
  const double by_work = std::max(1.0, work / kMinTileWork);
  const int64_t by_threads = std::max<int64_t>(1, num_threads) * kTilesPerThread;
  const int64_t wanted = num_threads <= 1 ? 1 : std::min<int64_t>(by_threads, static_cast<int64_t>(by_work));
  // Whole matrices per tile when the batch alone feeds the workers.
  const int64_t per_matrix = batch >= wanted ? 1 : ceil_div(wanted, batch);
  plan.m_tiles = std::min(m, per_matrix);
  plan.n_tiles = 1;
  if (plan.m_tiles < per_matrix) {
    // M is tiny (a single request, a GEMV): split the columns as well.
    plan.n_tiles = std::min(ceil_div(n, kColumnQuantum), ceil_div(per_matrix, plan.m_tiles));
  }
  plan.m_block = ceil_div(m, plan.m_tiles);
  plan.m_tiles = ceil_div(m, plan.m_block);
  plan.n_block = ceil_div(n, plan.n_tiles);
  if (plan.n_tiles > 1) plan.n_block = ceil_div(plan.n_block, kColumnQuantum) * kColumnQuantum;
  plan.n_tiles = ceil_div(n, plan.n_block);
  const double tile_work = work / static_cast<double>(plan.count());
  plan.grain = std::max<int64_t>(1, static_cast<int64_t>(kMinTileWork / tile_work));
  return plan;
}

int sgemm_tile(const GemmOperands<float>& ops, const Tile& tile, float alpha, float beta) {
  return sgemm_tile(ops, tile, alpha, beta, 0, ops.k);
}

int sgemm_tile(const GemmOperands<float>& ops, const Tile& tile, float alpha, float beta,
               int64_t k_begin, int64_t k_end) {
  const int64_t lda = ops.lda();
  const int64_t ldb = ops.ldb();
  // A row block of op(A) starts at row m_begin of A, or at column m_begin when A is transposed;
  // a column block of op(B) likewise; a K range moves along the other dimension. Leading
  // dimensions stay those of the full matrices.
  const float* a = ops.trans_a ? ops.a + k_begin * lda + tile.m_begin
                               : ops.a + tile.m_begin * lda + k_begin;
  const float* b = ops.trans_b ? ops.b + tile.n_begin * ldb + k_begin
                               : ops.b + k_begin * ldb + tile.n_begin;
  float* y = ops.y + tile.m_begin * ops.ldy() + tile.n_begin;
  const dnnl_status_t status =
      dnnl_sgemm(ops.trans_a ? 'T' : 'N', ops.trans_b ? 'T' : 'N', tile.m_end - tile.m_begin,
                 tile.n_end - tile.n_begin, k_end - k_begin, alpha, a, lda, b, ldb, beta, y,
                 ops.ldy());
  return static_cast<int>(status);
}

const char* sgemm_status_name(int status) {
  return dnnl_status2str(static_cast<dnnl_status_t>(status));
}

}  // namespace recinfer::kernels::dense
