"""Multi-hot features with per-id weights: nn.EmbeddingBag(mode='sum') with
per_sample_weights for three tables, concatenated with dense features, then an MLP.

Inputs, in order: dense (batch, 8) float32, then for table k = 0..2 indices_k (n_k,) int64,
offsets_k (batch,) int64, weights_k (n_k,) float32. Output: prob (batch, 1) float32.
"""
from typing import List

import numpy as np
import torch

from .common import ZooSpec, bags, mlp

TABLES = [(500, 16), (800, 16), (300, 8)]   # (rows, dim)
NUM_DENSE = 8


class WeightedBag(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.tables = torch.nn.ModuleList(
            torch.nn.EmbeddingBag(rows, dim, mode='sum') for rows, dim in TABLES)
        self.mlp = mlp([NUM_DENSE + sum(dim for _, dim in TABLES), 32, 16, 1], final='sigmoid')

    def forward(self, dense: torch.Tensor, *sparse: torch.Tensor) -> torch.Tensor:
        pooled = [table(sparse[3 * k], sparse[3 * k + 1], per_sample_weights=sparse[3 * k + 2])
                  for k, table in enumerate(self.tables)]
        return self.mlp(torch.cat([dense] + pooled, dim=1))


def weighted_bag() -> ZooSpec:
    def build() -> torch.nn.Module:
        torch.manual_seed(5)
        return WeightedBag().eval()

    def make_inputs(seed: int, batch: int, max_bag: int):
        def make() -> List[np.ndarray]:
            rng = np.random.default_rng(seed)
            arrays = [rng.standard_normal((batch, NUM_DENSE)).astype(np.float32)]
            for rows, _ in TABLES:
                indices, offsets = bags(rng, batch, rows, min_bag=0, max_bag=max_bag)
                weights = rng.uniform(0.0, 1.0, size=indices.shape).astype(np.float32)
                arrays += [indices, offsets, weights]
            return arrays
        return make

    names = ['dense']
    axes = {'dense': {0: 'batch'}, 'prob': {0: 'batch'}}
    for k in range(len(TABLES)):
        names += [f'indices_{k}', f'offsets_{k}', f'weights_{k}']
        axes.update({f'indices_{k}': {0: f'num_indices_{k}'}, f'offsets_{k}': {0: 'batch'},
                     f'weights_{k}': {0: f'num_indices_{k}'}})
    return ZooSpec(
        name='weighted_bag',
        description='3 EmbeddingBag(sum, per_sample_weights) tables 500×16, 800×16, 300×8 + '
                    '8 dense features, MLP 48→32→16→1 + sigmoid; set 0: batch 32, 0–6 ids per bag; '
                    'set 1: batch 3, 0–9 ids per bag',
        build=build, input_sets=[make_inputs(505, 32, 6), make_inputs(515, 3, 9)],
        input_names=names, output_names=['prob'], dynamic_axes=axes)
