"""DCN-v2 (Deep & Cross Network v2): 13 dense features and 8 sparse fields × Embedding(1000, 16)
concatenated into x0 (141 wide); three cross layers written as the paper's formula with
explicit parameters, x_{l+1} = x0 * (x_l @ W_l + b_l) + x_l (exports as MatMul + Add, not Gemm),
in parallel with a deep MLP 141→256→128; both concatenated into a Linear + sigmoid.
MLP-dominated on purpose: the dense products are most of the work.

Inputs: dense (batch, 13) float32, sparse_ids (batch, 8) int64 (column f indexes field f).
Output: prob (batch, 1) float32.
"""
from typing import List

import numpy as np
import torch

from .common import ZooSpec, mlp

DENSE = 13
FIELDS = 8
ROWS = 1000
EMB_DIM = 16
WIDTH = DENSE + FIELDS * EMB_DIM
CROSS_LAYERS = 3


class DCNv2(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embeddings = torch.nn.ModuleList(torch.nn.Embedding(ROWS, EMB_DIM) for _ in range(FIELDS))
        for table in self.embeddings:
            torch.nn.init.normal_(table.weight, std=0.1)
        self.cross_w = torch.nn.ParameterList(
            torch.nn.Parameter(torch.randn(WIDTH, WIDTH) * WIDTH ** -0.5) for _ in range(CROSS_LAYERS))
        self.cross_b = torch.nn.ParameterList(
            torch.nn.Parameter(torch.zeros(WIDTH)) for _ in range(CROSS_LAYERS))
        self.deep = mlp([WIDTH, 256, 128])
        self.head = torch.nn.Linear(WIDTH + 128, 1)

    def forward(self, dense: torch.Tensor, sparse_ids: torch.Tensor) -> torch.Tensor:
        fields = [emb(sparse_ids[:, f]) for f, emb in enumerate(self.embeddings)]
        x0 = torch.cat([dense] + fields, dim=1)                          # (B, 141)
        x = x0
        for w, b in zip(self.cross_w, self.cross_b):
            x = x0 * (x @ w + b) + x                                     # MatMul + Add
        return torch.sigmoid(self.head(torch.cat([x, self.deep(x0)], dim=1)))


def dcn() -> ZooSpec:
    def build() -> torch.nn.Module:
        torch.manual_seed(6)
        return DCNv2().eval()

    def make_inputs(seed: int, batch: int):
        def make() -> List[np.ndarray]:
            rng = np.random.default_rng(seed)
            dense = np.log1p(rng.exponential(3.0, size=(batch, DENSE))).astype(np.float32)
            return [dense, rng.integers(0, ROWS, size=(batch, FIELDS), dtype=np.int64)]
        return make

    return ZooSpec(
        name='dcn',
        description='DCN-v2, 13 dense + 8 fields × Embedding(1000, 16), 3 cross layers '
                    'x0*(x@W+b)+x (MatMul + Add) on 141 features, deep 141→256→128, head + sigmoid; '
                    'set 0: batch 64, set 1: batch 5',
        build=build, input_sets=[make_inputs(606, 64), make_inputs(616, 5)],
        input_names=['dense', 'sparse_ids'], output_names=['prob'],
        dynamic_axes={'dense': {0: 'batch'}, 'sparse_ids': {0: 'batch'}, 'prob': {0: 'batch'}})
