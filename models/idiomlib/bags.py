"""Family `bag`: multi-hot pooling (EmbeddingBag) written the ways PyTorch users write it.

Every form pools embedding rows per sample; they differ in how ids and bag boundaries arrive
(1-D ids + offsets, offsets with a trailing end, (B, L) ids, one stacked tensor for all tables,
TorchRec-style jagged values + lengths, one input pair per table) and how the pooling is spelt
(nn.EmbeddingBag, F.embedding_bag, a Python loop over bags, a TorchScript loop, index_add /
scatter_add by segment id, Embedding + sum). All are fusible: an engine should run them with a
static plan whatever the exporter wrote (mostly Loop).

Empty bags appear only in sum mode: for an empty bag torch returns zeros, while the exported
Loop reduces an empty slice (mean → NaN, max → -inf), so mean/max bags hold >= 1 id.
"""
from typing import List

import numpy as np
import torch
import torch.nn.functional as F

from .base import axes, bags, idiom, ids, floats, init_tables, mlp

FAMILY = 'bag'


def _bag_inputs(tables, batches=(12, 4), max_bags=(4, 7), min_bag=0, dense=0, weights=False,
                last_offset=False):
    """Inputs per table (indices_t, offsets_t[, weights_t]) after an optional dense (B, dense)."""
    def make(rng: np.random.Generator, s: int) -> List[np.ndarray]:
        batch = batches[s]
        arrays = [floats(rng, (batch, dense))] if dense else []
        for rows in tables:
            indices, offsets = bags(rng, batch, rows, min_bag, max_bags[s])
            if last_offset:
                offsets = np.append(offsets, len(indices)).astype(np.int64)
            arrays += [indices, offsets]
            if weights:
                arrays.append(rng.uniform(0.0, 1.0, size=indices.shape).astype(np.float32))
        return arrays
    return make


def _bag_names(n, dense=False, weights=False, offsets_axis='batch'):
    names = ['dense'] if dense else []
    ax = {'dense': {0: 'batch'}} if dense else {}
    for t in range(n):
        names += [f'indices_{t}', f'offsets_{t}'] + ([f'weights_{t}'] if weights else [])
        ax.update(axes(**{f'indices_{t}': f'num_indices_{t}', f'offsets_{t}': offsets_axis}))
        if weights:
            ax.update(axes(**{f'weights_{t}': f'num_indices_{t}'}))
    return names, ax


class TwoBags(torch.nn.Module):
    """nn.EmbeddingBag tables 300×16 and 200×8 in `mode`, concatenated, Linear(24, 1)."""
    def __init__(self, mode: str, **kw):
        super().__init__()
        self.a = torch.nn.EmbeddingBag(300, 16, mode=mode, **kw)
        self.b = torch.nn.EmbeddingBag(200, 8, mode=mode, **kw)
        init_tables(self.a, self.b)
        self.out = torch.nn.Linear(24, 1)

    def forward(self, i0, o0, i1, o1):
        return self.out(torch.cat([self.a(i0, o0), self.b(i1, o1)], dim=1))


class WeightedBags(TwoBags):
    def __init__(self):
        super().__init__('sum')

    def forward(self, i0, o0, w0, i1, o1, w1):
        return self.out(torch.cat([self.a(i0, o0, per_sample_weights=w0),
                                   self.b(i1, o1, per_sample_weights=w1)], dim=1))


class PadMaskBags(TwoBags):
    """padding_idx=0 emulated: per_sample_weights = (ids != 0)."""
    def __init__(self):
        super().__init__('sum')

    def forward(self, i0, o0, i1, o1):
        return self.out(torch.cat([self.a(i0, o0, per_sample_weights=(i0 != 0).float()),
                                   self.b(i1, o1, per_sample_weights=(i1 != 0).float())], dim=1))


class PaddingIdxBags(TwoBags):
    def __init__(self):
        super().__init__('sum', padding_idx=0)


class Bag2D(torch.nn.Module):
    """(B, L) ids without offsets: every row one bag of L ids."""
    def __init__(self):
        super().__init__()
        self.bag = torch.nn.EmbeddingBag(400, 16, mode='mean')
        init_tables(self.bag)
        self.out = mlp([16 + 4, 8, 1], final='sigmoid')

    def forward(self, ids2d, dense):
        return self.out(torch.cat([self.bag(ids2d), dense], dim=1))


class EmbeddingSum2D(torch.nn.Module):
    """(B, L) ids, 0 = padding: nn.Embedding(padding_idx=0) (a zero row) + .sum(1) — no bag op."""
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(400, 16, padding_idx=0)
        init_tables(self.emb)
        with torch.no_grad():
            self.emb.weight[0].zero_()
        self.out = mlp([16 + 4, 8, 1], final='sigmoid')

    def forward(self, ids2d, dense):
        return self.out(torch.cat([self.emb(ids2d).sum(1), dense], dim=1))


STACKED_TABLES = (100, 200, 150)


class StackedBags(torch.nn.Module):
    """DLRM's reference code with a stacked lS_i / lS_o: idx (T, N), off (T, B); table t pools
    idx[t] with offsets off[t]."""
    def __init__(self):
        super().__init__()
        self.emb_l = torch.nn.ModuleList(torch.nn.EmbeddingBag(n, 8, mode='sum') for n in STACKED_TABLES)
        init_tables(*self.emb_l)
        self.top = mlp([8 * len(STACKED_TABLES) + 4, 16, 1], final='sigmoid')

    def forward(self, dense, idx, off):
        ly = [table(idx[k], off[k]) for k, table in enumerate(self.emb_l)]
        return self.top(torch.cat([dense] + ly, dim=1))


def _stacked_inputs(rng, s):
    batch, n = (10, 3)[s], (30, 11)[s]
    idx = np.stack([rng.integers(0, rows, size=n) for rows in STACKED_TABLES]).astype(np.int64)
    off = []
    for _ in STACKED_TABLES:   # batch sorted cut points in [0, n]: bags of any size, some empty
        cuts = np.sort(rng.integers(0, n + 1, size=batch - 1))
        off.append(np.concatenate([[0], cuts]))
    return [floats(rng, (batch, 4)), idx, np.stack(off).astype(np.int64)]


JAGGED_TABLES = (300, 120, 80)


class JaggedBags(torch.nn.Module):
    """TorchRec KeyedJaggedTensor layout: `values` holds every id of every (table, sample),
    table-major; `lengths` (T·B,) the count per (table, sample); offsets = cumsum(lengths);
    table t's bags are values[offsets[t·B] : offsets[(t+1)·B]] with offsets relative to that."""
    def __init__(self):
        super().__init__()
        self.tables = torch.nn.ModuleList(torch.nn.EmbeddingBag(n, 8, mode='sum') for n in JAGGED_TABLES)
        init_tables(*self.tables)
        self.out = mlp([8 * len(JAGGED_TABLES), 8, 1], final='none')

    def forward(self, values, lengths):
        num_tables = len(self.tables)
        batch = lengths.shape[0] // num_tables
        offsets = torch.cat([torch.zeros(1, dtype=torch.long), torch.cumsum(lengths, 0)])
        pooled = []
        for t, table in enumerate(self.tables):
            start = offsets[t * batch]
            end = offsets[(t + 1) * batch]
            pooled.append(table(values[start:end], offsets[t * batch:(t + 1) * batch] - start))
        return self.out(torch.cat(pooled, dim=1))


def _jagged_inputs(rng, s):
    batch, max_len = (9, 4)[s], (4, 6)[s]
    values, lengths = [], []
    for rows in JAGGED_TABLES:
        n = rng.integers(0, max_len + 1, size=batch)
        lengths.append(n)
        values.append(rng.integers(0, rows, size=int(n.sum())))
    return [np.concatenate(values).astype(np.int64), np.concatenate(lengths).astype(np.int64)]


PER_TABLE = ((500, 16, 'sum'), (250, 8, 'mean'), (60, 8, 'max'))


class PerTableBags(torch.nn.Module):
    """One (indices, offsets) input pair per table, a dict of tables keyed by feature name."""
    def __init__(self):
        super().__init__()
        self.tables = torch.nn.ModuleDict({f'f{t}': torch.nn.EmbeddingBag(r, d, mode=m)
                                           for t, (r, d, m) in enumerate(PER_TABLE)})
        init_tables(*self.tables.values())
        self.top = mlp([4 + sum(d for _, d, _ in PER_TABLE), 16, 1], final='sigmoid')

    def forward(self, dense, i0, o0, i1, o1, i2, o2):
        feats = {'f0': (i0, o0), 'f1': (i1, o1), 'f2': (i2, o2)}
        pooled = [self.tables[k](*v) for k, v in feats.items()]
        return self.top(torch.cat([dense] + pooled, dim=1))


class PythonLoopBags(torch.nn.Module):
    """The bag written by hand: torch.stack([emb(ids[off[i]:end[i]]).sum(0) for i in range(B)])
    (traced: the loop is unrolled to the traced batch, the slice bounds stay dynamic)."""
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(300, 16)
        init_tables(self.emb)
        self.out = torch.nn.Linear(16, 1)

    def forward(self, indices, offsets):
        ends = torch.cat([offsets[1:], torch.full((1,), indices.shape[0], dtype=torch.long)])
        pooled = torch.stack([self.emb(indices[offsets[i]:ends[i]]).sum(0)
                              for i in range(offsets.shape[0])])
        return self.out(pooled)


@torch.jit.script
def _scripted_bag_sum(weight: torch.Tensor, indices: torch.Tensor, offsets: torch.Tensor) -> torch.Tensor:
    batch = offsets.size(0)
    out = torch.zeros(batch, weight.size(1))
    for i in range(batch):
        end = indices.size(0) if i + 1 == batch else int(offsets[i + 1])
        out[i] = weight[indices[int(offsets[i]):end]].sum(0)
    return out


class ScriptedLoopBags(torch.nn.Module):
    """The hand-written loop as a @torch.jit.script function: the export keeps it a real Loop
    (trip count = batch) with an in-place row update."""
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(300, 16)
        init_tables(self.emb)
        self.out = torch.nn.Linear(16, 1)

    def forward(self, indices, offsets):
        return self.out(_scripted_bag_sum(self.emb.weight, indices, offsets))


class FunctionalBags(torch.nn.Module):
    """F.embedding_bag on raw weight Parameters (sum and max)."""
    def __init__(self):
        super().__init__()
        self.w0 = torch.nn.Parameter(torch.randn(250, 16) * 0.1)
        self.w1 = torch.nn.Parameter(torch.randn(90, 8) * 0.1)
        self.out = torch.nn.Linear(24, 1)

    def forward(self, i0, o0, i1, o1):
        return self.out(torch.cat([F.embedding_bag(i0, self.w0, o0, mode='sum'),
                                   F.embedding_bag(i1, self.w1, o1, mode='max')], dim=1))


class IndexAddBags(torch.nn.Module):
    """Segment sum: ids with their sample index (segment_ids, sorted or not), pooled by
    zeros(B, D).index_add(0, segment_ids, emb(ids)) (ScatterElements)."""
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(300, 16)
        init_tables(self.emb)
        self.out = mlp([16 + 4, 8, 1], final='none')

    def forward(self, dense, indices, segment_ids):
        pooled = torch.zeros(dense.shape[0], 16).index_add(0, segment_ids, self.emb(indices))
        return self.out(torch.cat([pooled, dense], dim=1))


class ScatterAddBags(IndexAddBags):
    """Segment sum with scatter_add over a repeated index (opset 16+: ScatterElements add)."""
    def forward(self, dense, indices, segment_ids):
        rows = self.emb(indices)
        index = segment_ids.unsqueeze(1).repeat(1, 16)
        pooled = torch.zeros(dense.shape[0], 16).scatter_add(0, index, rows)
        return self.out(torch.cat([pooled, dense], dim=1))


def _segment_inputs(rng, s):
    batch = (10, 4)[s]
    indices, offsets = bags(rng, batch, 300, 0, (4, 7)[s])
    sizes = np.diff(np.append(offsets, len(indices)))
    seg = np.repeat(np.arange(batch), sizes).astype(np.int64)
    perm = rng.permutation(len(seg))          # ids in any order: the index does the grouping
    return [floats(rng, (batch, 4)), indices[perm], seg[perm]]


def _bag2d_inputs(rng, s):
    batch, length = (12, 5)[s], (6, 9)[s]
    return [ids(rng, 400, (batch, length)), floats(rng, (batch, 4))]


def _padded2d_inputs(rng, s):
    batch, length = (12, 5)[s], (6, 9)[s]
    x = ids(rng, 400, (batch, length), low=1)
    keep = np.arange(length)[None, :] < rng.integers(0, length + 1, size=(batch, 1))
    return [np.where(keep, x, 0).astype(np.int64), floats(rng, (batch, 4))]


def _padmask_inputs(rng, s):
    arrays = _bag_inputs((300, 200))(rng, s)
    for k in (0, 2):   # about a quarter of the ids are the padding id 0
        arrays[k] = np.where(rng.uniform(size=arrays[k].shape) < 0.25, 0, arrays[k]).astype(np.int64)
    return arrays


names2, axes2 = _bag_names(2)
names2w, axes2w = _bag_names(2, weights=True)
names2l, axes2l = _bag_names(2, offsets_axis='batch_plus_1')
names3d, axes3d = _bag_names(3, dense=True)
axes_loop = axes(indices_0='num_indices_0')   # the traced loop fixes the batch

SPECS = [
    idiom('bag_sum', FAMILY, "nn.EmbeddingBag(mode='sum')(ids, offsets), 1-D ids + offsets",
          '2 sum bags 300×16, 200×8 → Linear; empty bags included',
          lambda: TwoBags('sum'), _bag_inputs((300, 200)), names2, ['score'],
          {**axes2, 'score': {0: 'batch'}}, opsets=(11, 13), fusible=True),
    idiom('bag_mean', FAMILY, "nn.EmbeddingBag(mode='mean')(ids, offsets)",
          '2 mean bags 300×16, 200×8 → Linear; every bag non-empty',
          lambda: TwoBags('mean'), _bag_inputs((300, 200), min_bag=1), names2, ['score'],
          {**axes2, 'score': {0: 'batch'}}, opsets=(14, 17), fusible=True),
    idiom('bag_max', FAMILY, "nn.EmbeddingBag(mode='max')(ids, offsets)",
          '2 max bags 300×16, 200×8 → Linear; every bag non-empty',
          lambda: TwoBags('max'), _bag_inputs((300, 200), min_bag=1), names2, ['score'],
          {**axes2, 'score': {0: 'batch'}}, opsets=(13, 17), fusible=True),
    idiom('bag_last_offset', FAMILY, "nn.EmbeddingBag(mode='sum', include_last_offset=True): offsets (B+1,)",
          '2 sum bags with offsets ending in len(ids); empty bags included',
          lambda: TwoBags('sum', include_last_offset=True),
          _bag_inputs((300, 200), last_offset=True), names2l, ['score'],
          {**axes2l, 'score': {0: 'batch'}}, opsets=(11, 14), fusible=True),
    idiom('bag_weighted', FAMILY, "nn.EmbeddingBag(mode='sum')(ids, offsets, per_sample_weights=w)",
          '2 weighted sum bags; empty bags included',
          WeightedBags, _bag_inputs((300, 200), weights=True), names2w, ['score'],
          {**axes2w, 'score': {0: 'batch'}}, opsets=(11, 17), fusible=True),
    idiom('bag_padding_idx', FAMILY, "nn.EmbeddingBag(mode='sum', padding_idx=0)",
          '2 sum bags skipping id 0', PaddingIdxBags, _padmask_inputs, names2, ['score'],
          {**axes2, 'score': {0: 'batch'}}, opsets=(14,), fusible=True,
          dropped='torch.onnx.export (1.13) raises "embedding_bag with padding_idx" at every opset; '
                  'bag_pad_weights is the workaround users write'),
    idiom('bag_pad_weights', FAMILY, "padding_idx emulated: EmbeddingBag(...)(ids, offsets, per_sample_weights=(ids != 0).float())",
          '2 sum bags, ~25% of ids are the pad id 0 (weight 0)',
          PadMaskBags, _padmask_inputs, names2, ['score'], {**axes2, 'score': {0: 'batch'}},
          opsets=(13, 17), fusible=True),
    idiom('bag_2d', FAMILY, "nn.EmbeddingBag(mode='mean')(ids2d) with (B, L) ids, no offsets",
          'mean bag 400×16 over fixed-length rows, + 4 dense → MLP',
          Bag2D, _bag2d_inputs, ['ids', 'dense'], ['prob'],
          axes(ids='batch,seq_len', dense='batch', prob='batch'), opsets=(13, 17), fusible=True,
          notes='exported as Range offsets + Loop even though every bag has L ids'),
    idiom('bag_embedding_sum_2d', FAMILY, 'nn.Embedding(padding_idx=0)(ids2d).sum(1): (B, L) ids, 0 = padding',
          'Embedding 400×16 with a zero pad row, sum over L, + 4 dense → MLP',
          EmbeddingSum2D, _padded2d_inputs, ['ids', 'dense'], ['prob'],
          axes(ids='batch,seq_len', dense='batch', prob='batch'), opsets=(11, 14), fusible=True),
    idiom('bag_stacked', FAMILY, 'DLRM stacked lS_i (T, N) / lS_o (T, B): emb_l[k](idx[k], off[k])',
          '3 sum bags 100/200/150×8 fed by rows of one stacked ids tensor and one stacked offsets '
          'tensor; + 4 dense → MLP', StackedBags, _stacked_inputs, ['dense', 'idx', 'off'], ['prob'],
          axes(dense='batch', idx=',ids_per_table', off=',batch', prob='batch'), opsets=(11, 14),
          fusible=True),
    idiom('bag_jagged', FAMILY, 'TorchRec KJT: values + lengths (T·B,), offsets = torch.cumsum(lengths), '
          'per-table slice values[off[t·B]:off[(t+1)·B]]',
          '3 sum bags 300/120/80×8 from one jagged values tensor → MLP; empty bags included',
          JaggedBags, _jagged_inputs, ['values', 'lengths'], ['score'],
          axes(values='num_values', lengths='num_lengths', score='batch'), opsets=(13, 17), fusible=True),
    idiom('bag_per_table', FAMILY, 'nn.ModuleDict of EmbeddingBags (sum/mean/max), one (ids, offsets) pair per table',
          'bags sum 500×16, mean 250×8, max 60×8 + 4 dense → MLP; every bag non-empty',
          PerTableBags, _bag_inputs((500, 250, 60), min_bag=1, dense=4), names3d, ['prob'],
          {**axes3d, 'prob': {0: 'batch'}}, opsets=(11, 14), fusible=True),
    idiom('bag_python_loop', FAMILY, 'torch.stack([emb(ids[off[i]:end[i]]).sum(0) for i in range(B)])',
          'hand-written sum bag over Embedding 300×16 → Linear',
          PythonLoopBags, _bag_inputs((300,), batches=(8, 8)), ['indices_0', 'offsets_0'], ['score'],
          axes_loop, opsets=(11, 14), fusible=True,
          notes='tracing unrolls the loop: batch is fixed at 8 (set 1 varies the ids per bag only)'),
    idiom('bag_scripted_loop', FAMILY, '@torch.jit.script loop: out[i] = weight[ids[off[i]:end]].sum(0)',
          'TorchScript sum bag over Embedding 300×16 → Linear',
          ScriptedLoopBags, _bag_inputs((300,)), ['indices_0', 'offsets_0'], ['score'],
          {**_bag_names(1)[1], 'score': {0: 'batch'}}, opsets=(11, 17), fusible=True),
    idiom('bag_functional', FAMILY, "F.embedding_bag(ids, weight, offsets, mode='sum'|'max')",
          'functional sum bag 250×16 and max bag 90×8 → Linear; every bag non-empty',
          FunctionalBags, _bag_inputs((250, 90), min_bag=1), names2, ['score'],
          {**axes2, 'score': {0: 'batch'}}, opsets=(11, 13), fusible=True),
    idiom('bag_index_add', FAMILY, 'zeros(B, D).index_add(0, segment_ids, emb(ids))',
          'segment sum of Embedding 300×16 rows by sample index (ids unordered) + 4 dense → MLP',
          IndexAddBags, _segment_inputs, ['dense', 'indices', 'segment_ids'], ['score'],
          axes(dense='batch', indices='num_indices', segment_ids='num_indices', score='batch'),
          opsets=(13, 17), fusible=True,
          dropped='the export is wrong: index_add becomes ScatterElements without reduction at every '
                  'opset (torch warns), so ids of the same sample overwrite instead of adding — ONNX '
                  'Runtime runs it and differs from PyTorch; bag_scatter_add (opset 17) is the form '
                  'that exports correctly'),
    idiom('bag_scatter_add', FAMILY, 'zeros(B, D).scatter_add(0, seg.unsqueeze(1).repeat(1, D), emb(ids))',
          'segment sum by scatter_add (ScatterElements reduction=add) + 4 dense → MLP',
          ScatterAddBags, _segment_inputs, ['dense', 'indices', 'segment_ids'], ['score'],
          axes(dense='batch', indices='num_indices', segment_ids='num_indices', score='batch'),
          opsets=(17,), fusible=True,
          notes='with .expand(-1, D) instead of .repeat the export fails at 16+ ("index should have '
                'the same dimensionality as src")',
          dropped_opsets={o: 'the export is wrong: ScatterElements has no reduction before opset 16, '
                             'duplicate segment ids overwrite instead of adding (ORT ≠ PyTorch)'
                          for o in (11, 14)}),
]
