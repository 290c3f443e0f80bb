"""DeepFM: one nn.Embedding per field (10 fields × 1000 × 16) plus a 1-wide first-order
embedding per field, the FM second-order term 0.5·((Σe)² − Σe²), a deep MLP over the
concatenated field embeddings, sigmoid of the sum.

Input: sparse_ids (batch, 10) int64, column f indexes field f's table.
Output: prob (batch, 1) float32.
"""
from typing import List

import numpy as np
import torch

from .common import ZooSpec, mlp

NUM_FIELDS = 10
ROWS = 1000
EMB_DIM = 16


class DeepFM(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embeddings = torch.nn.ModuleList(torch.nn.Embedding(ROWS, EMB_DIM) for _ in range(NUM_FIELDS))
        self.first_order = torch.nn.ModuleList(torch.nn.Embedding(ROWS, 1) for _ in range(NUM_FIELDS))
        for table in list(self.embeddings) + list(self.first_order):
            torch.nn.init.normal_(table.weight, std=0.1)   # the usual small init: FM term stays O(1)
        self.bias = torch.nn.Parameter(torch.zeros(1))
        self.deep = mlp([NUM_FIELDS * EMB_DIM, 64, 32, 1], final='none')

    def forward(self, sparse_ids: torch.Tensor) -> torch.Tensor:
        e = torch.stack([emb(sparse_ids[:, f]) for f, emb in enumerate(self.embeddings)], dim=1)
        first = torch.cat([lin(sparse_ids[:, f]) for f, lin in enumerate(self.first_order)], dim=1)
        linear = first.sum(dim=1, keepdim=True) + self.bias                 # (B, 1)
        square_of_sum = e.sum(dim=1) ** 2                                   # (B, D)
        sum_of_square = (e * e).sum(dim=1)                                  # (B, D)
        fm = 0.5 * (square_of_sum - sum_of_square).sum(dim=1, keepdim=True)  # (B, 1)
        deep = self.deep(e.flatten(1))                                      # (B, 1)
        return torch.sigmoid(linear + fm + deep)


def deepfm() -> ZooSpec:
    def build() -> torch.nn.Module:
        torch.manual_seed(4)
        return DeepFM().eval()

    def make_inputs(seed: int, batch: int):
        def make() -> List[np.ndarray]:
            rng = np.random.default_rng(seed)
            return [rng.integers(0, ROWS, size=(batch, NUM_FIELDS), dtype=np.int64)]
        return make

    return ZooSpec(
        name='deepfm',
        description='DeepFM, 10 fields × Embedding(1000, 16) + first-order Embedding(1000, 1), '
                    'FM second-order term, deep 160→64→32→1, sigmoid; set 0: batch 64, set 1: batch 7',
        build=build, input_sets=[make_inputs(404, 64), make_inputs(414, 7)],
        input_names=['sparse_ids'], output_names=['prob'],
        dynamic_axes={'sparse_ids': {0: 'batch'}, 'prob': {0: 'batch'}})
