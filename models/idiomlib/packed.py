"""Family `packed`: every feature packed into one float tensor X (batch, F), as DeepCTR-Torch
does — sparse ids are stored as floats and sliced back out with X[:, a:b].long() — written as
per-field slices looked up in per-field nn.Embeddings, as a per-field loop + torch.cat, as one
shared table with per-field offsets (pytorch-fm's FeaturesEmbedding), and with a multi-valued
(varlen) field mean-pooled under its padding mask (DeepCTR's SequencePoolingLayer).

X columns: 0..5 sparse field ids (field f in [0, FIELDS[f])), 6..9 dense, [10..14 a 0-padded
varlen field of ids in [1, 120) for packed_varlen]. Output: prob (batch, 1).
"""
import numpy as np
import torch

from .base import axes, floats, idiom, init_tables, mlp

FAMILY = 'packed'
FIELDS = (50, 120, 80, 200, 60, 90)
DIM, DENSE, VARLEN, VAR_ROWS = 8, 4, 5, 120
S = len(FIELDS)


def _inputs(varlen=False):
    def make(rng, s):
        batch = (16, 5)[s]
        sparse = np.stack([rng.integers(0, n, size=batch) for n in FIELDS], axis=1)
        cols = [sparse.astype(np.float32), floats(rng, (batch, DENSE))]
        if varlen:
            lengths = rng.integers(1, VARLEN + 1, size=(batch, 1))
            seq = np.where(np.arange(VARLEN)[None, :] < lengths,
                           rng.integers(1, VAR_ROWS, size=(batch, VARLEN)), 0)
            cols.append(seq.astype(np.float32))
        return [np.concatenate(cols, axis=1)]
    return make


class PerFieldSlices(torch.nn.Module):
    """DeepCTR-Torch input_from_feature_columns: X[:, idx[0]:idx[1]].long() per field → (B, 1, D)."""
    def __init__(self):
        super().__init__()
        self.embedding_dict = torch.nn.ModuleDict({f'C{f}': torch.nn.Embedding(n, DIM) for f, n in enumerate(FIELDS)})
        init_tables(*self.embedding_dict.values())
        self.feature_index = {f'C{f}': (f, f + 1) for f in range(S)}
        self.dnn = mlp([S * DIM + DENSE, 32, 1], final='sigmoid')

    def forward(self, X):
        sparse = [self.embedding_dict[name](X[:, a:b].long()) for name, (a, b) in self.feature_index.items()]
        dense = [X[:, S + i:S + i + 1] for i in range(DENSE)]
        sparse_flat = torch.flatten(torch.cat(sparse, dim=-1), start_dim=1)
        return self.dnn(torch.cat([sparse_flat] + dense, dim=-1))


class LoopCat(torch.nn.Module):
    """A per-field loop: torch.cat([emb[i](X[:, i].long()) for i in range(S)], 1)."""
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.ModuleList(torch.nn.Embedding(n, DIM) for n in FIELDS)
        init_tables(*self.emb)
        self.dnn = mlp([S * DIM + DENSE, 32, 1], final='sigmoid')

    def forward(self, X):
        fields = torch.cat([self.emb[i](X[:, i].long()) for i in range(S)], 1)
        return self.dnn(torch.cat([fields, X[:, S:]], 1))


class SharedTableOffsets(torch.nn.Module):
    """pytorch-fm FeaturesEmbedding: one table, ids + per-field offsets; FM + linear + MLP."""
    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(sum(FIELDS), DIM)
        self.linear = torch.nn.Embedding(sum(FIELDS), 1)
        init_tables(self.embedding, self.linear)
        self.register_buffer('offsets', torch.tensor((0, *np.cumsum(FIELDS)[:-1]), dtype=torch.long))
        self.dnn = mlp([S * DIM + DENSE, 32, 1], final='none')

    def forward(self, X):
        x = X[:, :S].long() + self.offsets.unsqueeze(0)
        e = self.embedding(x)                                          # (B, S, D)
        fm = 0.5 * (e.sum(1) ** 2 - (e ** 2).sum(1)).sum(1, keepdim=True)
        deep = self.dnn(torch.cat([e.view(-1, S * DIM), X[:, S:S + DENSE]], 1))
        return torch.sigmoid(self.linear(x).sum(1) + fm + deep)


class Varlen(PerFieldSlices):
    """+ a multi-valued field: X[:, a:b].long() → Embedding(padding) → mean over mask != 0."""
    def __init__(self):
        super().__init__()
        self.var_emb = torch.nn.Embedding(VAR_ROWS, DIM)
        init_tables(self.var_emb)
        self.dnn = mlp([(S + 1) * DIM + DENSE, 32, 1], final='sigmoid')

    def forward(self, X):
        sparse = [self.embedding_dict[name](X[:, a:b].long()) for name, (a, b) in self.feature_index.items()]
        seq = X[:, S + DENSE:S + DENSE + VARLEN].long()
        mask = (seq != 0).unsqueeze(-1).float()                        # (B, L, 1)
        pooled = (self.var_emb(seq) * mask).sum(1, keepdim=True) / (mask.sum(1, keepdim=True) + 1e-8)
        flat = torch.flatten(torch.cat(sparse + [pooled], dim=-1), start_dim=1)
        return self.dnn(torch.cat([flat, X[:, S:S + DENSE]], dim=-1))


io = axes(X='batch', prob='batch')

SPECS = [
    idiom('packed_field_slices', FAMILY, 'DeepCTR-Torch: embedding_dict[f](X[:, a:b].long()) per field, dense X[:, i:i+1]',
          '6 sparse fields + 4 dense packed in one float tensor → MLP', PerFieldSlices, _inputs(),
          ['X'], ['prob'], io, opsets=(11, 14)),
    idiom('packed_loop_cat', FAMILY, 'torch.cat([emb[i](X[:, i].long()) for i in range(S)], 1)',
          'per-field loop over columns → MLP', LoopCat, _inputs(), ['X'], ['prob'], io, opsets=(13, 17)),
    idiom('packed_shared_table', FAMILY, 'one table: emb(X[:, :S].long() + field_offsets) (pytorch-fm)',
          'shared 600-row table, FM + linear + MLP', SharedTableOffsets, _inputs(), ['X'], ['prob'], io,
          opsets=(11, 17)),
    idiom('packed_varlen', FAMILY, 'varlen field X[:, a:b].long() → (emb(seq) * (seq != 0)).sum(1) / mask.sum(1)',
          '6 sparse + 4 dense + a 5-long 0-padded multi-valued field, masked mean → MLP', Varlen,
          _inputs(varlen=True), ['X'], ['prob'], io, opsets=(14, 17), fusible=True),
]
