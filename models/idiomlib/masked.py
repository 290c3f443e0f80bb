"""Family `masked`: pooling over the valid positions of a padded behaviour sequence (the seed's
pattern), written the ways PyTorch users write it. Dynamic forms select the valid rows
(boolean indexing, nonzero + index_select, masked_select → NonZero); static forms zero the
padded rows (where, masked_fill, multiply by the mask, a mask from lengths) and divide by the
count. All are fusible: the result only ever needs a masked sum/mean over fixed-size rows.

Single-user forms take one sequence `seq` (L,) padded with -1 (the seed's shape, as a 1-D row)
and score `cand` (num_candidates,) items against the pooled interest; batched forms take
(batch, L) sequences padded with 0 (or -1) and every row has at least one valid id.
"""
import numpy as np
import torch

from .base import axes, floats, idiom, ids, init_tables, mlp, padded

FAMILY = 'masked'
ITEMS, DIM = 500, 16


def _single_inputs(rng, s):
    length, valid, ncand = (64, 100)[s], (40, 7)[s], (20, 9)[s]
    seq = np.full(length, -1, dtype=np.int64)
    seq[:valid] = rng.integers(0, ITEMS, size=valid)
    seq = seq[rng.permutation(length)]            # padding anywhere, not just at the end
    return [seq, ids(rng, ITEMS, (ncand,))]


class Single(torch.nn.Module):
    """Shared table and the scoring head: score = cand_emb · W · interest."""
    def __init__(self, pooled_dim=2 * DIM):
        super().__init__()
        self.item_emb = torch.nn.Embedding(ITEMS, DIM)
        init_tables(self.item_emb)
        self.proj = torch.nn.Linear(pooled_dim, DIM)

    def score(self, cand, interest):
        return self.item_emb(cand) @ self.proj(interest)


class BoolIndex(Single):
    """t[seq[valid]] → sum and mean (NonZero → GatherND → Gather)."""
    def forward(self, seq, cand):
        valid = seq >= 0
        rows = self.item_emb.weight[seq[valid]]
        return self.score(cand, torch.cat([rows.sum(0), rows.mean(0)]))


class IndexSelectNonzero(Single):
    """index_select(t, 0, index_select(seq, 0, nonzero(mask).squeeze(1))) → mean and max."""
    def forward(self, seq, cand):
        pos = torch.nonzero(seq >= 0).squeeze(1)
        rows = torch.index_select(self.item_emb.weight, 0, torch.index_select(seq, 0, pos))
        return self.score(cand, torch.cat([rows.mean(0), rows.max(0).values]))


class MaskedSelect(Single):
    """masked_select(emb(seq.clamp(min=0)), mask.unsqueeze(-1)).view(-1, D) → sum, mean."""
    def forward(self, seq, cand):
        mask = seq >= 0
        rows = torch.masked_select(self.item_emb(seq.clamp(min=0)), mask.unsqueeze(-1)).view(-1, DIM)
        return self.score(cand, torch.cat([rows.sum(0), rows.mean(0)]))


class Batched(torch.nn.Module):
    """Batched user interest (B, D) → MLP with 4 dense features."""
    def __init__(self):
        super().__init__()
        self.item_emb = torch.nn.Embedding(ITEMS, DIM)
        init_tables(self.item_emb)
        self.top = mlp([DIM + 4, 16, 1], final='sigmoid')

    def head(self, interest, dense):
        return self.top(torch.cat([interest, dense], dim=1))


class WhereMean(Batched):
    """torch.where(mask, emb(seq), 0).sum(1) / mask.sum(1) (0 = padding)."""
    def forward(self, seq, dense):
        mask = (seq != 0).unsqueeze(-1)
        pooled = torch.where(mask, self.item_emb(seq), torch.zeros(())).sum(1) / mask.sum(1)
        return self.head(pooled, dense)


class MaskedFillMean(Batched):
    """emb(seq).masked_fill(~mask, 0).sum(1) / mask.sum(1, keepdim=True).clamp(min=1)."""
    def forward(self, seq, dense):
        mask = (seq != 0).unsqueeze(-1)
        summed = self.item_emb(seq).masked_fill(~mask, 0.0).sum(1)
        return self.head(summed / mask.sum(1).clamp(min=1), dense)


class NegativePad(Batched):
    """Negative ids as padding mapped to a zero row: emb(seq.clamp(min=0)) * (seq >= 0)."""
    def forward(self, seq, dense):
        keep = (seq >= 0).unsqueeze(-1).float()
        return self.head((self.item_emb(seq.clamp(min=0)) * keep).sum(1), dense)


class LengthsMean(Batched):
    """Padded sequences + lengths: mask = arange(L) < lengths[:, None]; masked mean."""
    def forward(self, seq, lengths, dense):
        mask = torch.arange(seq.shape[1]).unsqueeze(0) < lengths.unsqueeze(1)
        rows = self.item_emb(seq) * mask.unsqueeze(-1).float()
        return self.head(rows.sum(1) / lengths.unsqueeze(1).float(), dense)


class PerRowBoolIndex(Batched):
    """Per user, boolean indexing in a Python loop: stack([emb(seq[b][seq[b] >= 0]).mean(0)])."""
    def forward(self, seq, dense):
        pooled = torch.stack([self.item_emb(seq[b][seq[b] >= 0]).mean(0) for b in range(seq.shape[0])])
        return self.head(pooled, dense)


def _batched(pad, lengths_input=False, batches=(10, 3), lengths=(12, 20)):
    def make(rng, s):
        seq, lens = padded(rng, batches[s], lengths[s], ITEMS, pad=pad, low=1)
        arrays = [seq] + ([lens] if lengths_input else []) + [floats(rng, (batches[s], 4))]
        return arrays
    return make


CLIP11 = ('Clip on int64 (clamp(min=0) of the ids) is only valid from opset 12: ONNX Runtime rejects the opset-11 model')
single_axes = axes(seq='seq_len', cand='num_candidates', scores='num_candidates')
batched_axes = axes(seq='batch,seq_len', dense='batch', prob='batch')

SPECS = [
    idiom('masked_bool_index', FAMILY, 't[seq[seq >= 0]] then .sum(0) / .mean(0)',
          'one -1-padded sequence, valid rows by boolean indexing, sum ‖ mean → score candidates',
          BoolIndex, _single_inputs, ['seq', 'cand'], ['scores'], single_axes,
          opsets=(11, 14), fusible=True),
    idiom('masked_index_select', FAMILY, 'index_select(t, 0, index_select(seq, 0, nonzero(mask).squeeze(1)))',
          'valid rows via nonzero + two index_selects, mean ‖ max → score candidates',
          IndexSelectNonzero, _single_inputs, ['seq', 'cand'], ['scores'], single_axes,
          opsets=(13, 17), fusible=True),
    idiom('masked_select', FAMILY, 'masked_select(emb(seq.clamp(min=0)), mask.unsqueeze(-1)).view(-1, D)',
          'valid rows via masked_select, sum ‖ mean → score candidates',
          MaskedSelect, _single_inputs, ['seq', 'cand'], ['scores'], single_axes,
          opsets=(13, 17), fusible=True, dropped_opsets={11: CLIP11}),
    idiom('masked_where_mean', FAMILY, 'torch.where(mask, emb(seq), 0).sum(1) / mask.sum(1)',
          '(B, L) 0-padded sequences, static masked mean → MLP', WhereMean, _batched(0),
          ['seq', 'dense'], ['prob'], batched_axes, opsets=(11, 14), fusible=True),
    idiom('masked_fill_mean', FAMILY, 'emb(seq).masked_fill(~mask, 0).sum(1) / mask.sum(1).clamp(min=1)',
          '(B, L) 0-padded sequences, masked_fill mean → MLP', MaskedFillMean, _batched(0),
          ['seq', 'dense'], ['prob'], batched_axes, opsets=(13, 17), fusible=True),
    idiom('masked_negative_pad', FAMILY, 'emb(seq.clamp(min=0)) * (seq >= 0) then .sum(1)',
          '(B, L) -1-padded sequences, pads mapped to row 0 and zeroed → MLP', NegativePad, _batched(-1),
          ['seq', 'dense'], ['prob'], batched_axes, opsets=(13, 17), fusible=True,
          dropped_opsets={11: CLIP11}),
    idiom('masked_lengths', FAMILY, 'mask = arange(L) < lengths[:, None]; (emb(seq) * mask).sum(1) / lengths',
          '(B, L) sequences with a lengths input, masked mean → MLP', LengthsMean, _batched(0, True),
          ['seq', 'lengths', 'dense'], ['prob'], axes(seq='batch,seq_len', lengths='batch', dense='batch',
                                                       prob='batch'), opsets=(11, 14), fusible=True),
    idiom('masked_per_row_loop', FAMILY, 'stack([emb(seq[b][seq[b] >= 0]).mean(0) for b in range(B)])',
          '(B, L) -1-padded sequences, boolean indexing per row in a Python loop → MLP',
          PerRowBoolIndex, _batched(-1, batches=(6, 6)), ['seq', 'dense'], ['prob'],
          axes(seq=',seq_len'), opsets=(11, 13), fusible=True,
          notes='tracing unrolls the loop: batch is fixed at 6 (set 1 varies the sequence length); '
                'one NonZero per row'),
]
