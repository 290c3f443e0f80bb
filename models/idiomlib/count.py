"""Family `count`: compare-and-count features (how often a candidate appears in the user's
history, whether it appears at all, how many distinct items the user touched), written the ways
PyTorch users write them. Int64 ids broadcast against each other; the counts feed a small
scoring head and are also returned as they are (exact integers / booleans).

hist (batch, L) int64 item ids with 0 = padding; cand (batch, C) int64 candidate ids, about
half of them drawn from the row's history so counts are non-zero.
"""
import numpy as np
import torch

from .base import axes, floats, idiom, ids, init_tables, padded

FAMILY = 'count'
ITEMS, DIM = 200, 8


def _inputs(rng, s):
    batch, length, ncand = (8, 3)[s], (30, 45)[s], (12, 7)[s]
    hist, lengths = padded(rng, batch, length, ITEMS, pad=0, low=1)
    cand = ids(rng, ITEMS, (batch, ncand), low=1)
    for b in range(batch):       # half of the candidates from the row's own history
        pick = rng.random(ncand) < 0.5
        cand[b, pick] = rng.choice(hist[b, :lengths[b]], size=int(pick.sum()))
    return [hist, cand]


class Head(torch.nn.Module):
    """score = cand_emb · w + a·log1p(feature)."""
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(ITEMS, DIM)
        init_tables(self.emb)
        self.w = torch.nn.Linear(DIM, 1)
        self.a = torch.nn.Parameter(torch.tensor(0.7))

    def score(self, cand, feature):
        return self.w(self.emb(cand)).squeeze(-1) + self.a * torch.log1p(feature.float())


class EqSum(Head):
    """(hist.unsqueeze(2) == cand.unsqueeze(1)).sum(1): (B, L, 1) vs (B, 1, C) int64 → int64 counts."""
    def forward(self, hist, cand):
        counts = (hist.unsqueeze(2) == cand.unsqueeze(1)).sum(1)
        return self.score(cand, counts), counts


class EqFloatSum(Head):
    """torch.eq(cand.unsqueeze(-1), hist.unsqueeze(1)).float().sum(-1): (B, C, L) → float counts."""
    def forward(self, hist, cand):
        counts = torch.eq(cand.unsqueeze(-1), hist.unsqueeze(1)).float().sum(-1)
        return self.score(cand, counts), counts


class EqAny(Head):
    """(cand.unsqueeze(2) == hist.unsqueeze(1)).any(-1): clicked-before flag (bool)."""
    def forward(self, hist, cand):
        seen = (cand.unsqueeze(2) == hist.unsqueeze(1)).any(-1)
        return self.score(cand, seen), seen


class UniqueCount(torch.nn.Module):
    """Distinct ids of one sequence via torch.unique (Unique): count of non-padding distinct ids,
    and per-candidate counts from return_counts (a sparse histogram)."""
    def __init__(self):
        super().__init__()
        self.scale = torch.nn.Parameter(torch.tensor(0.5))

    def forward(self, seq):
        values, counts = torch.unique(seq, return_counts=True)
        distinct = (values > 0).sum()
        top = (counts * (values > 0)).max()
        return torch.log1p(distinct.float()) * self.scale, distinct, top


def _unique_inputs(rng, s):
    length, valid = (40, 90)[s], (25, 31)[s]
    seq = np.zeros(length, dtype=np.int64)
    seq[:valid] = rng.integers(1, 30, size=valid)          # many repeats
    return [seq]


class SortDistinct(Head):
    """Distinct ids per row without unique: sort, count the changes between neighbours
    (sort → TopK; static shapes)."""
    def forward(self, hist, cand):
        s = torch.sort(hist, dim=-1).values
        changes = (s[:, 1:] != s[:, :-1]) & (s[:, 1:] > 0)
        distinct = changes.sum(-1) + (s[:, 0] > 0).long()
        feature = distinct.unsqueeze(1).expand(-1, cand.shape[1])
        return self.score(cand, feature), distinct


hc = axes(hist='batch,hist_len', cand='batch,num_candidates', scores='batch,num_candidates',
          counts='batch,num_candidates', seen='batch,num_candidates')

SPECS = [
    idiom('count_eq_sum', FAMILY, '(hist.unsqueeze(2) == cand.unsqueeze(1)).sum(1): int64 (B,L,1) vs (B,1,C)',
          'how often each candidate is in the history (int64 counts) → score',
          EqSum, _inputs, ['hist', 'cand'], ['scores', 'counts'], hc, opsets=(11, 14)),
    idiom('count_eq_float', FAMILY, 'torch.eq(cand.unsqueeze(-1), hist.unsqueeze(1)).float().sum(-1)',
          'the same count as float via Cast → ReduceSum over the last axis → score',
          EqFloatSum, _inputs, ['hist', 'cand'], ['scores', 'counts'], hc, opsets=(13, 17)),
    idiom('count_eq_any', FAMILY, '(cand.unsqueeze(2) == hist.unsqueeze(1)).any(-1)',
          'clicked-before flag per candidate (bool) → score', EqAny, _inputs, ['hist', 'cand'],
          ['scores', 'seen'], hc, opsets=(11, 17)),
    idiom('count_sort_distinct', FAMILY, 's = hist.sort(-1).values; ((s[:, 1:] != s[:, :-1]) & (s[:, 1:] > 0)).sum(-1)',
          'distinct history ids per row via sort + neighbour compare → score',
          SortDistinct, _inputs, ['hist', 'cand'], ['scores', 'distinct'],
          {**hc, 'distinct': {0: 'batch'}}, opsets=(11, 14)),
    idiom('count_unique', FAMILY, 'values, counts = torch.unique(seq, return_counts=True); (values > 0).sum()',
          'distinct non-padding ids of one sequence and the largest repeat count',
          UniqueCount, _unique_inputs, ['seq'], ['feature', 'distinct', 'max_count'],
          axes(seq='seq_len'), opsets=(11, 17)),
]
