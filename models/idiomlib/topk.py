"""Family `topk`: top-k over candidate scores with invalid candidates masked out, written the ways
PyTorch users write it: masked_fill(-inf), where(mask, s, -1e9), a mask from lengths, and
sort + slice. Scores are dot products of a user vector with candidate embeddings; every row has
at least k valid candidates, so the masked values never reach the top k, and the candidates of
a row are distinct (no exact ties).

Inputs: user (batch,) int64, cand (batch, C) int64 with 0 = padding (or cand + lengths).
Outputs: values (batch, k) float32, indices (batch, k) int64.
"""
import numpy as np
import torch

from .base import axes, idiom, ids, init_tables

FAMILY = 'topk'
USERS, ITEMS, DIM, K = 100, 400, 16, 5


def _inputs(with_lengths=False):
    def make(rng, s):
        batch, ncand = (8, 3)[s], (40, 17)[s]
        lengths = rng.integers(K, ncand + 1, size=batch).astype(np.int64)
        cand = np.zeros((batch, ncand), dtype=np.int64)
        for b, n in enumerate(lengths):   # distinct candidates per row: no exact score ties
            cand[b, :n] = rng.choice(np.arange(1, ITEMS), size=n, replace=False)
        return [ids(rng, USERS, (batch,)), cand] + ([lengths] if with_lengths else [])
    return make


class Scores(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.user = torch.nn.Embedding(USERS, DIM)
        self.item = torch.nn.Embedding(ITEMS, DIM)
        init_tables(self.user, self.item, std=0.5)

    def scores(self, user, cand):
        return (self.item(cand) * self.user(user).unsqueeze(1)).sum(-1)     # (B, C)


class MaskedFillInf(Scores):
    def forward(self, user, cand):
        return self.scores(user, cand).masked_fill(~(cand != 0), float('-inf')).topk(K)


class WhereNeg(Scores):
    def forward(self, user, cand):
        s = torch.where(cand != 0, self.scores(user, cand), torch.tensor(-1e9))
        return torch.topk(s, K, dim=-1)


class Lengths(Scores):
    def forward(self, user, cand, lengths):
        mask = torch.arange(cand.shape[1]).unsqueeze(0) < lengths.unsqueeze(1)
        s = self.scores(user, cand).masked_fill(~mask, -1e9)
        values, indices = s.topk(K, dim=1, largest=True, sorted=True)
        return values, indices


class SortSlice(Scores):
    def forward(self, user, cand):
        s = self.scores(user, cand).masked_fill(cand == 0, float('-inf'))
        values, indices = torch.sort(s, dim=-1, descending=True)
        return values[:, :K], indices[:, :K]


io = axes(user='batch', cand='batch,num_candidates', lengths='batch', values='batch', indices='batch')

SPECS = [
    idiom('topk_masked_fill_inf', FAMILY, "scores.masked_fill(~mask, float('-inf')).topk(k)",
          'user · candidate scores, padding candidates → -inf, top 5', MaskedFillInf, _inputs(),
          ['user', 'cand'], ['values', 'indices'], io, opsets=(11, 14)),
    idiom('topk_where', FAMILY, 'torch.where(mask, scores, torch.tensor(-1e9)).topk(k)',
          'padding candidates → -1e9 with where, top 5', WhereNeg, _inputs(),
          ['user', 'cand'], ['values', 'indices'], io, opsets=(13, 17)),
    idiom('topk_lengths', FAMILY, 'mask = arange(C) < lengths[:, None]; masked_fill(~mask, -1e9).topk(k)',
          'candidates padded after a per-row length, top 5', Lengths, _inputs(True),
          ['user', 'cand', 'lengths'], ['values', 'indices'], io, opsets=(11, 17)),
    idiom('topk_sort_slice', FAMILY, 'torch.sort(s, descending=True) then [:, :k]',
          'full sort (exported as TopK over all C) and a slice, top 5', SortSlice, _inputs(),
          ['user', 'cand'], ['values', 'indices'], io, opsets=(11, 14),
          notes='the indices output is a Slice of TopK indices, so checkers compare it exactly'),
]
