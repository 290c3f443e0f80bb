"""DLRM (after facebookresearch/dlrm dlrm_s_pytorch.py): bottom MLP on dense features,
one nn.EmbeddingBag(mode='sum') per sparse feature fed with flat indices + offsets,
dot interaction (BMM of the 27 vectors with themselves, strict lower triangle picked with
an index gather, as the reference does), top MLP ending in a sigmoid.

Graph inputs, in order: dense (batch, 13) float32, then for table k = 0..25
indices_k (n_k,) int64 and offsets_k (batch,) int64. Output: prob (batch, 1) float32.
"""
from typing import List

import numpy as np
import torch

from .common import ZooSpec, bags, mlp

NUM_TABLES = 26
NUM_DENSE = 13


class DLRM(torch.nn.Module):
    def __init__(self, rows: int, emb_dim: int, bottom_hidden: List[int], top_hidden: List[int],
                 cheap_init_bound: float = 0.0):
        super().__init__()
        self.bottom = mlp([NUM_DENSE] + bottom_hidden + [emb_dim], final='relu')
        if cheap_init_bound > 0:
            # The default N(0,1) init of 166M floats is slow; uniform fill is ~10× faster.
            self.tables = torch.nn.ModuleList(
                torch.nn.utils.skip_init(torch.nn.EmbeddingBag, rows, emb_dim, mode='sum')
                for _ in range(NUM_TABLES))
            with torch.no_grad():
                for t in self.tables:
                    t.weight.uniform_(-cheap_init_bound, cheap_init_bound)
        else:
            self.tables = torch.nn.ModuleList(
                torch.nn.EmbeddingBag(rows, emb_dim, mode='sum') for _ in range(NUM_TABLES))
        num_vectors = NUM_TABLES + 1
        interactions = num_vectors * (num_vectors - 1) // 2
        self.top = mlp([emb_dim + interactions] + top_hidden + [1], final='sigmoid')

    def interact_features(self, x: torch.Tensor, ly: List[torch.Tensor]) -> torch.Tensor:
        (batch_size, d) = x.shape
        T = torch.cat([x] + ly, dim=1).view((batch_size, -1, d))
        Z = torch.bmm(T, torch.transpose(T, 1, 2))
        _, ni, nj = Z.shape
        li = torch.tensor([i for i in range(ni) for j in range(i)])
        lj = torch.tensor([j for i in range(nj) for j in range(i)])
        Zflat = Z[:, li, lj]
        return torch.cat([x, Zflat], dim=1)

    def forward(self, dense: torch.Tensor, *sparse: torch.Tensor) -> torch.Tensor:
        x = self.bottom(dense)
        ly = [table(sparse[2 * k], sparse[2 * k + 1]) for k, table in enumerate(self.tables)]
        return self.top(self.interact_features(x, ly))


def _io_names():
    names = ['dense']
    axes = {'dense': {0: 'batch'}, 'prob': {0: 'batch'}}
    for k in range(NUM_TABLES):
        names += [f'indices_{k}', f'offsets_{k}']
        axes[f'indices_{k}'] = {0: f'num_indices_{k}'}
        axes[f'offsets_{k}'] = {0: 'batch'}
    return names, axes


def _make_inputs(seed: int, batch: int, rows: int, min_bag: int, max_bag: int,
                 empty_table: int = -1):
    """Seeded inputs; table `empty_table` (if >= 0) gets only empty bags (zero indices)."""
    def make() -> List[np.ndarray]:
        rng = np.random.default_rng(seed)
        # Criteo-like dense features: log(1 + count).
        dense = np.log1p(rng.exponential(10.0, size=(batch, NUM_DENSE))).astype(np.float32)
        arrays = [dense]
        for k in range(NUM_TABLES):
            if k == empty_table:
                arrays += list(bags(rng, batch, rows, 0, 0))
            else:
                arrays += list(bags(rng, batch, rows, min_bag, max_bag))
        return arrays
    return make


def dlrm_small() -> ZooSpec:
    rows, emb_dim = 1000, 16

    def build() -> torch.nn.Module:
        torch.manual_seed(1)
        return DLRM(rows, emb_dim, bottom_hidden=[64], top_hidden=[64]).eval()

    names, axes = _io_names()
    return ZooSpec(
        name='dlrm_small',
        description='DLRM, 26 EmbeddingBag(sum) tables × 1000 × 16, bottom 13→64→16, '
                    'dot interaction, top 367→64→1 + sigmoid; set 0: batch 16, 0–4 ids per bag; '
                    'set 1: batch 5, 0–7 ids per bag, table 3 with no ids at all',
        build=build,
        input_sets=[_make_inputs(seed=101, batch=16, rows=rows, min_bag=0, max_bag=4),
                    _make_inputs(seed=111, batch=5, rows=rows, min_bag=0, max_bag=7, empty_table=3)],
        input_names=names, output_names=['prob'], dynamic_axes=axes)


def dlrm_bench() -> ZooSpec:
    rows, emb_dim = 100_000, 64

    def build() -> torch.nn.Module:
        torch.manual_seed(2)
        # Entries ~U(±sqrt(3/64)) (variance 1/emb_dim) keep the interactions O(1).
        return DLRM(rows, emb_dim, bottom_hidden=[256], top_hidden=[256],
                    cheap_init_bound=(3.0 / emb_dim) ** 0.5).eval()

    names, axes = _io_names()
    return ZooSpec(
        name='dlrm_bench',
        description='DLRM, 26 EmbeddingBag(sum) tables × 100000 × 64 (≈666 MB external data), '
                    'bottom 13→256→64, dot interaction, top 415→256→1 + sigmoid; batch 128, '
                    '1–6 ids per bag',
        build=build,
        input_sets=[_make_inputs(seed=202, batch=128, rows=rows, min_bag=1, max_bag=6)],
        input_names=names, output_names=['prob'], dynamic_axes=axes)
