"""Family `attention`: attention pooling and field interaction written the ways PyTorch users
write them.

DIN target attention over a 0-padded behaviour sequence (batch, 12) of items (+ categories) with
a candidate query: the query tiled over the sequence with .expand / .repeat / torch.tile, the
attention MLP over cat([q, k, q-k, q*k]), then a masked softmax (masked_fill, or DeepCTR's
-2**32+1 paddings from a keys_length input) or a masked sum without softmax
(DeepCTR weight_normalization=False), pooled by torch.bmm / torch.matmul.

AutoInt-style self-attention over 6 field embeddings (batch, 6, 16): nn.MultiheadAttention,
DeepCTR's InteractingLayer (tensordot + split/stack heads + einsum), and the hand-written
view/transpose/matmul form. BST-ish: nn.TransformerEncoderLayer (LayerNorm, GELU, padding mask)
over behaviours + target; LayerNormalization appears in the export from opset 17.
"""
import math

import numpy as np
import torch

from .base import NO_TENSORDOT_11, axes, idiom, ids, init_tables, mlp, padded

FAMILY = 'attention'
ITEMS, CATES, IDIM, CDIM, SEQ = 400, 40, 12, 4, 12
KEY = IDIM + CDIM


def _din_inputs(lengths_input=False):
    def make(rng, s):
        batch, length = (10, 3)[s], (SEQ, 17)[s]
        hist, lengths = padded(rng, batch, length, ITEMS, pad=0, low=1)
        target = ids(rng, ITEMS, (batch,), low=1)
        arrays = [hist, np.where(hist > 0, hist % CATES, 0).astype(np.int64), target,
                  (target % CATES).astype(np.int64)]
        return arrays + ([lengths] if lengths_input else [])
    return make


class DINBase(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.item = torch.nn.Embedding(ITEMS, IDIM)
        self.cate = torch.nn.Embedding(CATES, CDIM)
        init_tables(self.item, self.cate)
        self.att = torch.nn.Sequential(torch.nn.Linear(4 * KEY, 16), torch.nn.Sigmoid(), torch.nn.Linear(16, 1))
        self.top = mlp([2 * KEY, 16, 1], final='sigmoid')

    def embed(self, hist, hist_cate, target, target_cate):
        keys = torch.cat([self.item(hist), self.cate(hist_cate)], dim=-1)            # (B, L, K)
        query = torch.cat([self.item(target), self.cate(target_cate)], dim=-1)      # (B, K)
        return query, keys

    def scores(self, q, keys):
        return self.att(torch.cat([q, keys, q - keys, q * keys], dim=-1))          # (B, L, 1)


class DINRepeatSoftmax(DINBase):
    """query.unsqueeze(1).repeat(1, L, 1) (Tile); masked_fill(~mask, -1e9); softmax; torch.bmm."""
    def forward(self, hist, hist_cate, target, target_cate):
        query, keys = self.embed(hist, hist_cate, target, target_cate)
        q = query.unsqueeze(1).repeat(1, keys.shape[1], 1)
        s = self.scores(q, keys).squeeze(-1).masked_fill(hist == 0, -1e9)
        interest = torch.bmm(torch.softmax(s, dim=-1).unsqueeze(1), keys).squeeze(1)
        return self.top(torch.cat([query, interest], dim=-1))


class DINExpandMaskedSum(DINBase):
    """DeepCTR AttentionSequencePoolingLayer(weight_normalization=False): query.expand(-1, L, -1),
    mask = arange(L).repeat(B, 1) < keys_length.view(-1, 1); where(mask, score, 0); matmul."""
    def forward(self, hist, hist_cate, target, target_cate, keys_length):
        query, keys = self.embed(hist, hist_cate, target, target_cate)
        batch, max_len = keys.shape[0], keys.shape[1]
        keys_masks = torch.arange(max_len, dtype=keys_length.dtype).repeat(batch, 1)
        keys_masks = (keys_masks < keys_length.view(-1, 1)).unsqueeze(1)             # (B, 1, L)
        q = query.unsqueeze(1).expand(-1, max_len, -1)
        outputs = torch.transpose(self.scores(q, keys), 1, 2)                         # (B, 1, L)
        outputs = torch.where(keys_masks, outputs, torch.zeros_like(outputs))
        interest = torch.matmul(outputs, keys).squeeze(1)
        return self.top(torch.cat([query, interest], dim=-1))


class DINLengthsSoftmax(DINBase):
    """query.repeat_interleave(L, dim=0).view(B, L, K); DeepCTR paddings ones_like * (-2**32 + 1);
    softmax; matmul."""
    tile = False

    def forward(self, hist, hist_cate, target, target_cate, keys_length):
        query, keys = self.embed(hist, hist_cate, target, target_cate)
        batch, max_len = keys.shape[0], keys.shape[1]
        if self.tile:
            q = torch.tile(query.unsqueeze(1), (1, max_len, 1))
        else:
            q = query.repeat_interleave(max_len, dim=0).view(batch, max_len, -1)
        outputs = torch.transpose(self.scores(q, keys), 1, 2)                         # (B, 1, L)
        mask = (torch.arange(max_len).unsqueeze(0) < keys_length.unsqueeze(1)).unsqueeze(1)
        paddings = torch.ones_like(outputs) * (-2 ** 32 + 1)
        outputs = torch.softmax(torch.where(mask, outputs, paddings), dim=-1)
        interest = torch.matmul(outputs, keys).squeeze(1)
        return self.top(torch.cat([query, interest], dim=-1))


class DINTorchTile(DINLengthsSoftmax):
    tile = True


FIELDS, FDIM, HEADS = (50, 80, 30, 120, 60, 40), 16, 2


def _field_inputs(rng, s):
    batch = (12, 4)[s]
    return [np.stack([rng.integers(0, n, size=batch) for n in FIELDS], axis=1).astype(np.int64)]


class AutoIntBase(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.ModuleList(torch.nn.Embedding(n, FDIM) for n in FIELDS)
        init_tables(*self.emb, std=0.3)
        self.out = torch.nn.Linear(len(FIELDS) * FDIM, 1)

    def forward(self, sparse):
        e = torch.stack([self.emb[f](sparse[:, f]) for f in range(len(FIELDS))], dim=1)   # (B, F, D)
        return torch.sigmoid(self.out(torch.flatten(self.interact(e), start_dim=1)))


class AutoIntMHA(AutoIntBase):
    def __init__(self):
        super().__init__()
        self.mha = torch.nn.MultiheadAttention(FDIM, HEADS, batch_first=True)
        self.res = torch.nn.Linear(FDIM, FDIM, bias=False)

    def interact(self, e):
        att, _ = self.mha(e, e, e, need_weights=False)
        return torch.relu(att + self.res(e))


class AutoIntInteracting(AutoIntBase):
    """DeepCTR InteractingLayer."""
    def __init__(self):
        super().__init__()
        d = FDIM
        self.att_embedding_size = d // HEADS
        self.W_Query = torch.nn.Parameter(torch.randn(d, d) * d ** -0.5)
        self.W_key = torch.nn.Parameter(torch.randn(d, d) * d ** -0.5)
        self.W_Value = torch.nn.Parameter(torch.randn(d, d) * d ** -0.5)
        self.W_Res = torch.nn.Parameter(torch.randn(d, d) * d ** -0.5)

    def interact(self, inputs):
        querys = torch.tensordot(inputs, self.W_Query, dims=([-1], [0]))
        keys = torch.tensordot(inputs, self.W_key, dims=([-1], [0]))
        values = torch.tensordot(inputs, self.W_Value, dims=([-1], [0]))
        querys = torch.stack(torch.split(querys, self.att_embedding_size, dim=2))   # (H, B, F, d)
        keys = torch.stack(torch.split(keys, self.att_embedding_size, dim=2))
        values = torch.stack(torch.split(values, self.att_embedding_size, dim=2))
        inner_product = torch.einsum('bnik,bnjk->bnij', querys, keys) / self.att_embedding_size ** 0.5
        normalized_att_scores = torch.softmax(inner_product, dim=-1)
        result = torch.matmul(normalized_att_scores, values)
        result = torch.cat(torch.split(result, 1), dim=-1)
        result = torch.squeeze(result, dim=0)
        result += torch.tensordot(inputs, self.W_Res, dims=([-1], [0]))
        return torch.relu(result)


class AutoIntViewTranspose(AutoIntBase):
    def __init__(self):
        super().__init__()
        self.q = torch.nn.Linear(FDIM, FDIM)
        self.k = torch.nn.Linear(FDIM, FDIM)
        self.v = torch.nn.Linear(FDIM, FDIM)
        self.o = torch.nn.Linear(FDIM, FDIM)

    def interact(self, e):
        b, f, d = e.shape
        h = d // HEADS

        def split(x):
            return x.view(b, f, HEADS, h).transpose(1, 2)                          # (B, H, F, h)
        q, k, v = split(self.q(e)), split(self.k(e)), split(self.v(e))
        att = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(h), dim=-1)
        out = (att @ v).transpose(1, 2).reshape(b, f, d)
        return torch.relu(self.o(out) + e)


class BST(torch.nn.Module):
    """Behaviour Sequence Transformer-ish: [hist ‖ target] item embeddings + positions →
    nn.TransformerEncoderLayer(GELU, LayerNorm, batch_first) with src_key_padding_mask → masked
    mean over the valid positions ‖ target → MLP."""
    def __init__(self):
        super().__init__()
        self.item = torch.nn.Embedding(ITEMS, 16)
        self.pos = torch.nn.Embedding(32, 16)
        init_tables(self.item, self.pos)
        self.layer = torch.nn.TransformerEncoderLayer(16, 2, dim_feedforward=32, dropout=0.1,
                                                      activation='gelu', batch_first=True)
        self.top = mlp([32, 16, 1], final='sigmoid')

    def forward(self, hist, target):
        seq = torch.cat([hist, target.unsqueeze(1)], dim=1)                          # (B, L+1)
        x = self.item(seq) + self.pos(torch.arange(seq.shape[1])).unsqueeze(0)
        pad = seq == 0
        y = self.layer(x, src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).float()
        pooled = (y * keep).sum(1) / keep.sum(1)
        return self.top(torch.cat([pooled, self.item(target)], dim=-1))


def _bst_inputs(rng, s):
    batch, length = (10, 3)[s], (SEQ, 20)[s]
    hist, _ = padded(rng, batch, length, ITEMS, pad=0, low=1)
    return [hist, ids(rng, ITEMS, (batch,), low=1)]


din_names = ['hist_items', 'hist_cates', 'target_item', 'target_cate']
din_axes = axes(hist_items='batch,seq_len', hist_cates='batch,seq_len', target_item='batch',
                target_cate='batch', keys_length='batch', prob='batch')
field_axes = axes(sparse='batch', prob='batch')

SPECS = [
    idiom('din_repeat_softmax', FAMILY, 'q.unsqueeze(1).repeat(1, L, 1); cat([q, k, q-k, q*k]); masked_fill(-1e9); softmax; bmm',
          'DIN attention, Tile query, masked softmax', DINRepeatSoftmax, _din_inputs(), din_names, ['prob'],
          din_axes, opsets=(11, 14)),
    idiom('din_expand_masked_sum', FAMILY, 'DeepCTR: q.expand(-1, L, -1); arange(L).repeat(B, 1) < keys_length; where(mask, s, 0); matmul',
          'DIN attention without softmax (weighted sum)', DINExpandMaskedSum, _din_inputs(True),
          din_names + ['keys_length'], ['prob'], din_axes, opsets=(13, 17)),
    idiom('din_repeat_interleave_softmax', FAMILY, 'q.repeat_interleave(L, dim=0).view(B, L, K); where(mask, s, ones_like(s) * (-2**32 + 1)); softmax; matmul',
          'DIN attention, DeepCTR paddings, softmax', DINLengthsSoftmax, _din_inputs(True),
          din_names + ['keys_length'], ['prob'], din_axes, opsets=(13, 17),
          notes='repeat_interleave with a constant count exports as a Loop (+ an If on the repeats '
                'rank) that builds the repeated index; opset 11 fails (unknown input size)',
          dropped_opsets={11: 'export fails: repeat_interleave along a dimension of unknown size needs opset 13'}),
    idiom('din_torch_tile', FAMILY, 'torch.tile(q.unsqueeze(1), (1, L, 1)) (else as din_repeat_interleave_softmax)',
          'DIN attention, torch.tile query', DINTorchTile, _din_inputs(True),
          din_names + ['keys_length'], ['prob'], din_axes, opsets=(17,),
          dropped='torch 1.13 has no ONNX symbolic for aten::tile at any opset (export fails); '
                  '.repeat (din_repeat_softmax) is the exportable spelling'),
    idiom('autoint_mha', FAMILY, 'nn.MultiheadAttention(D, 2, batch_first=True)(e, e, e) + residual Linear, ReLU',
          'AutoInt layer over 6 fields × 16', AutoIntMHA, _field_inputs, ['sparse'], ['prob'], field_axes,
          opsets=(11, 14),
          notes='exported with autograd on: under torch.no_grad() the eval-mode fast path '
                '(aten::_native_multi_head_attention) has no ONNX symbolic'),
    idiom('autoint_interacting', FAMILY, "DeepCTR InteractingLayer: tensordot, stack(split(·, d, dim=2)), einsum('bnik,bnjk->bnij')",
          'AutoInt layer over 6 fields × 16', AutoIntInteracting, _field_inputs, ['sparse'], ['prob'], field_axes,
          opsets=(13, 17),
          notes='torch.squeeze(result, dim=0) after cat(split(·, 1)) exports as If(dim == 1: Squeeze, else '
                'Identity); tensordot needs opset 12+',
          dropped_opsets=NO_TENSORDOT_11),
    idiom('autoint_view_transpose', FAMILY, 'x.view(B, F, H, d).transpose(1, 2); softmax(q @ k.transpose(-2, -1) / sqrt(d)) @ v',
          'AutoInt layer over 6 fields × 16, hand-written', AutoIntViewTranspose, _field_inputs, ['sparse'],
          ['prob'], field_axes, opsets=(11, 17)),
    idiom('bst_transformer', FAMILY, "nn.TransformerEncoderLayer(16, 2, 32, activation='gelu', batch_first=True)(x, src_key_padding_mask=pad)",
          'BST: behaviours + target, 1 transformer layer, masked mean → MLP', BST, _bst_inputs,
          ['hist_items', 'target_item'], ['prob'],
          axes(hist_items='batch,seq_len', target_item='batch', prob='batch'), opsets=(14, 17),
          notes='LayerNormalization from opset 17 (decomposed into ReduceMean/Sub/Pow/Sqrt/Div below); '
                'GELU exports as Erf at both'),
]
