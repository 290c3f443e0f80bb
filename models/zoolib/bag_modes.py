"""nn.EmbeddingBag in mean and max modes (the other two pooling modes torch exports as Loops):
two mean tables and one max table, concatenated and fed to a small MLP.

Every bag holds at least one id: for an empty bag torch returns zeros, but the exported Loop
reduces an empty slice (ReduceMean → NaN, ReduceMax → -inf/error in ONNX Runtime), so the
export and torch disagree there; the zoo only keeps cases where they agree.

Inputs, in order: for table k = 0..2 indices_k (n_k,) int64, offsets_k (batch,) int64.
Output: score (batch, 1) float32.
"""
from typing import List

import numpy as np
import torch

from .common import ZooSpec, bags, mlp

TABLES = [(600, 16, 'mean'), (400, 8, 'mean'), (700, 16, 'max')]   # (rows, dim, mode)


class BagModes(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.tables = torch.nn.ModuleList(
            torch.nn.EmbeddingBag(rows, dim, mode=mode) for rows, dim, mode in TABLES)
        self.mlp = mlp([sum(dim for _, dim, _ in TABLES), 16, 1], final='none')

    def forward(self, *sparse: torch.Tensor) -> torch.Tensor:
        pooled = [table(sparse[2 * k], sparse[2 * k + 1]) for k, table in enumerate(self.tables)]
        return self.mlp(torch.cat(pooled, dim=1))


def bag_modes() -> ZooSpec:
    def build() -> torch.nn.Module:
        torch.manual_seed(7)
        return BagModes().eval()

    def make_inputs(seed: int, batch: int, max_bag: int):
        def make() -> List[np.ndarray]:
            rng = np.random.default_rng(seed)
            arrays: List[np.ndarray] = []
            for rows, _, _ in TABLES:
                arrays += list(bags(rng, batch, rows, min_bag=1, max_bag=max_bag))
            return arrays
        return make

    names: List[str] = []
    axes = {'score': {0: 'batch'}}
    for k in range(len(TABLES)):
        names += [f'indices_{k}', f'offsets_{k}']
        axes.update({f'indices_{k}': {0: f'num_indices_{k}'}, f'offsets_{k}': {0: 'batch'}})
    return ZooSpec(
        name='bag_modes',
        description='EmbeddingBag mean 600×16, mean 400×8, max 700×16 → MLP 40→16→1; '
                    'set 0: batch 24, 1–5 ids per bag; set 1: batch 4, 1–9 ids per bag',
        build=build, input_sets=[make_inputs(707, 24, 5), make_inputs(717, 4, 9)],
        input_names=names, output_names=['score'], dynamic_axes=axes)
