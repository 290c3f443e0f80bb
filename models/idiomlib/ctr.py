"""Family `ctr` (issue 10 item 5): small CTR / sequential-recommendation architectures written
the way their reference implementations (DeepCTR-Torch, pytorch-fm, pmixer's SASRec, RecBole's
GRU4Rec, the MMoE/PLE/ESMM papers) write them, with the layers those bring: BatchNorm1d (eval,
non-trivial running stats), Dropout, LayerNorm, GELU, PReLU, LeakyReLU, Conv1d/Conv2d + ZeroPad2d +
MaxPool2d, k-max pooling with topk, GRU, nn.MultiheadAttention with a causal mask from torch.triu.

Tabular inputs: dense (batch, 8) float32, sparse (batch, 6) int64 (field f in [0, FIELDS[f])).
Sequence models take item sequences (batch, L) int64 (0 = padding).
"""
import itertools
import math

import numpy as np
import torch
import torch.nn.functional as F

from .base import NO_TRIU_BELOW_14, NO_EINSUM_11, axes, floats, idiom, ids, init_tables, mlp, padded

FAMILY = 'ctr'
FIELDS, FDIM, DENSE = (60, 100, 40, 200, 80, 120), 8, 8
NF = len(FIELDS)


def _tab_inputs(rng, s):
    batch = (16, 5)[s]
    return [floats(rng, (batch, DENSE)),
            np.stack([rng.integers(0, n, size=batch) for n in FIELDS], axis=1).astype(np.int64)]


def _bn(n: int, affine: bool = True) -> torch.nn.BatchNorm1d:
    """BatchNorm1d with trained-looking running statistics (eval mode uses them)."""
    bn = torch.nn.BatchNorm1d(n, affine=affine)
    with torch.no_grad():
        bn.running_mean.uniform_(-0.5, 0.5)
        bn.running_var.uniform_(0.5, 2.0)
        if affine:
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.1, 0.1)
    return bn


def dnn(sizes, bn=True, act=torch.nn.ReLU, dropout=0.2):
    """DeepCTR DNN: Linear → BatchNorm1d → activation → Dropout per layer."""
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(a, b)] + ([_bn(b)] if bn else []) + [act(), torch.nn.Dropout(dropout)]
    return torch.nn.Sequential(*layers)


class Tabular(torch.nn.Module):
    def __init__(self, dim=FDIM):
        super().__init__()
        self.emb = torch.nn.ModuleList(torch.nn.Embedding(n, dim) for n in FIELDS)
        init_tables(*self.emb, std=0.3)

    def fields(self, sparse):
        return torch.stack([self.emb[f](sparse[:, f]) for f in range(NF)], dim=1)     # (B, F, D)


class DCN(Tabular):
    """DCN-v2 stacked: 3 cross layers (nn.Linear) then DNN with BatchNorm1d + Dropout."""
    def __init__(self):
        super().__init__()
        d = NF * FDIM + DENSE
        self.cross = torch.nn.ModuleList(torch.nn.Linear(d, d) for _ in range(3))
        self.deep = dnn([d, 64, 32])
        self.out = torch.nn.Linear(32, 1)

    def forward(self, dense, sparse):
        x0 = torch.cat([self.fields(sparse).flatten(1), dense], dim=1)
        x = x0
        for layer in self.cross:
            x = x0 * layer(x) + x
        return torch.sigmoid(self.out(self.deep(x)))


class XDeepFM(Tabular):
    """Linear + CIN (layer sizes 8, 8, sum pooling) + DNN. CIN as Conv1d(kernel 1) over the
    flattened outer product, or as einsum with the filters as a (H_next, H_k, m) tensor."""
    SIZES = (8, 8)

    def __init__(self, einsum: bool):
        super().__init__()
        self.einsum = einsum
        self.linear = torch.nn.ModuleList(torch.nn.Embedding(n, 1) for n in FIELDS)
        init_tables(*self.linear)
        self.dense_linear = torch.nn.Linear(DENSE, 1)
        prev, convs, filters = NF, [], []
        for h in self.SIZES:
            convs.append(torch.nn.Conv1d(prev * NF, h, 1))
            filters.append(torch.nn.Parameter(torch.randn(h, prev, NF) * (prev * NF) ** -0.5))
            prev = h
        self.conv1ds = torch.nn.ModuleList(convs) if not einsum else None
        self.filters = torch.nn.ParameterList(filters) if einsum else None
        self.cin_out = torch.nn.Linear(sum(self.SIZES), 1)
        self.deep = torch.nn.Sequential(dnn([NF * FDIM + DENSE, 32, 16]), torch.nn.Linear(16, 1))

    def cin(self, x0):
        batch, dim = x0.shape[0], x0.shape[-1]
        hidden, pooled = x0, []
        for i in range(len(self.SIZES)):
            if self.einsum:
                z = torch.einsum('bhd,bmd->bhmd', hidden, x0)
                hidden = torch.relu(torch.einsum('bhmd,nhm->bnd', z, self.filters[i]))
            else:
                z = hidden.unsqueeze(2) * x0.unsqueeze(1)                          # (B, H, m, D)
                z = z.reshape(batch, hidden.shape[1] * x0.shape[1], dim)
                hidden = torch.relu(self.conv1ds[i](z))
            pooled.append(torch.sum(hidden, dim=-1))
        return self.cin_out(torch.cat(pooled, dim=1))

    def forward(self, dense, sparse):
        e = self.fields(sparse)
        linear = torch.cat([self.linear[f](sparse[:, f]) for f in range(NF)], 1).sum(1, keepdim=True)
        deep = self.deep(torch.cat([e.flatten(1), dense], dim=1))
        return torch.sigmoid(linear + self.dense_linear(dense) + self.cin(e) + deep)


class AutoInt(Tabular):
    """2 interacting layers (nn.MultiheadAttention + residual Linear + ReLU) ‖ DNN."""
    def __init__(self):
        super().__init__(dim=16)
        self.dense_emb = torch.nn.Linear(1, 16)        # each dense feature becomes a field
        self.att = torch.nn.ModuleList(torch.nn.MultiheadAttention(16, 2, batch_first=True) for _ in range(2))
        self.res = torch.nn.ModuleList(torch.nn.Linear(16, 16, bias=False) for _ in range(2))
        self.deep = dnn([(NF + DENSE) * 16, 32], bn=False)
        self.out = torch.nn.Linear((NF + DENSE) * 16 + 32, 1)

    def forward(self, dense, sparse):
        e = torch.cat([self.fields(sparse), self.dense_emb(dense.unsqueeze(-1))], dim=1)   # (B, 14, 16)
        x = e
        for att, res in zip(self.att, self.res):
            x = torch.relu(att(x, x, x, need_weights=False)[0] + res(x))
        flat = e.flatten(1)
        return torch.sigmoid(self.out(torch.cat([x.flatten(1), self.deep(flat)], dim=1)))


class FiBiNET(Tabular):
    """SENET (mean squeeze → Linear/ReLU excitation → reweight) + bilinear interaction
    (type 'each': one W per field, p = (v_i W_i) ⊙ v_j over field pairs) on both the original and
    the SENET embeddings → DNN."""
    def __init__(self):
        super().__init__()
        reduced = max(1, NF // 3)
        self.excitation = torch.nn.Sequential(torch.nn.Linear(NF, reduced, bias=False), torch.nn.ReLU(),
                                              torch.nn.Linear(reduced, NF, bias=False), torch.nn.ReLU())
        self.bilinear = torch.nn.ModuleList(torch.nn.Linear(FDIM, FDIM, bias=False) for _ in range(NF - 1))
        pairs = NF * (NF - 1) // 2
        self.deep = torch.nn.Sequential(dnn([2 * pairs * FDIM + DENSE, 32]), torch.nn.Linear(32, 1))

    def interact(self, e):
        v = torch.split(e, 1, dim=1)
        return torch.cat([self.bilinear[i](v[i]) * v[j] for i, j in itertools.combinations(range(NF), 2)], dim=1)

    def forward(self, dense, sparse):
        e = self.fields(sparse)
        z = torch.mean(e, dim=-1)                                                     # squeeze
        a = self.excitation(z)
        senet = torch.mul(e, torch.unsqueeze(a, dim=2))
        bi = torch.cat([self.interact(e), self.interact(senet)], dim=1).flatten(1)
        return torch.sigmoid(self.deep(torch.cat([bi, dense], dim=1)))


class CCPM(Tabular):
    """DeepCTR CCPM: (B, 1, F, D) → ZeroPad2d → Conv2d((k, 1)) → tanh → k-max pooling
    (torch.topk over the field axis) → ZeroPad2d → Conv2d → tanh → MaxPool2d((2, 1)) → DNN."""
    def __init__(self):
        super().__init__()
        self.pad1 = torch.nn.ZeroPad2d((0, 0, 2, 2))
        self.conv1 = torch.nn.Conv2d(1, 4, kernel_size=(3, 1))
        self.pad2 = torch.nn.ZeroPad2d((0, 0, 1, 1))
        self.conv2 = torch.nn.Conv2d(4, 4, kernel_size=(2, 1))
        self.pool = torch.nn.MaxPool2d((2, 1))
        self.deep = torch.nn.Sequential(dnn([4 * 2 * FDIM + DENSE, 32]), torch.nn.Linear(32, 1))

    def forward(self, dense, sparse):
        x = self.fields(sparse).unsqueeze(1)                                          # (B, 1, 6, 8)
        x = torch.tanh(self.conv1(self.pad1(x)))                                      # (B, 4, 8, 8)
        x = torch.topk(x, k=5, dim=2, sorted=True)[0]                                 # k-max: (B, 4, 5, 8)
        x = torch.tanh(self.conv2(self.pad2(x)))                                      # (B, 4, 6, 8)
        x = torch.topk(x, k=4, dim=2, sorted=True)[0]                                 # (B, 4, 4, 8)
        x = self.pool(x)                                                              # (B, 4, 2, 8)
        return torch.sigmoid(self.deep(torch.cat([x.flatten(1), dense], dim=1)))


class ESMM(Tabular):
    """Shared embeddings, CTR and CVR towers; outputs pCTR and pCTCVR = pCTR · pCVR."""
    def __init__(self):
        super().__init__()
        d = NF * FDIM + DENSE
        self.ctr = torch.nn.Sequential(dnn([d, 32, 16], bn=False), torch.nn.Linear(16, 1), torch.nn.Sigmoid())
        self.cvr = torch.nn.Sequential(dnn([d, 32, 16], bn=False), torch.nn.Linear(16, 1), torch.nn.Sigmoid())

    def forward(self, dense, sparse):
        x = torch.cat([self.fields(sparse).flatten(1), dense], dim=1)
        p_ctr = self.ctr(x)
        return p_ctr, p_ctr * self.cvr(x)


class PLE(Tabular):
    """Progressive Layered Extraction, 2 CGC levels (1 shared + 1 specific expert per task,
    2 tasks); the last level has no shared gate. Gates softmax, mixing by bmm."""
    def __init__(self):
        super().__init__()
        d, h, self.tasks = NF * FDIM + DENSE, 16, 2
        self.levels = torch.nn.ModuleList()
        for level, din in enumerate((d, h)):
            last = level == 1
            m = torch.nn.Module()
            m.specific = torch.nn.ModuleList(mlp([din, h]) for _ in range(self.tasks))
            m.shared = mlp([din, h])
            m.gates = torch.nn.ModuleList(torch.nn.Linear(din, 2) for _ in range(self.tasks))
            m.shared_gate = None if last else torch.nn.Linear(din, self.tasks + 1)
            self.levels.append(m)
        self.towers = torch.nn.ModuleList(torch.nn.Sequential(torch.nn.Linear(h, 1), torch.nn.Sigmoid())
                                          for _ in range(self.tasks))

    def forward(self, dense, sparse):
        x = torch.cat([self.fields(sparse).flatten(1), dense], dim=1)
        inputs = [x] * self.tasks + [x]                                  # per task, then shared
        for m in self.levels:
            spec = [m.specific[t](inputs[t]) for t in range(self.tasks)]
            shared = m.shared(inputs[-1])
            outs = []
            for t in range(self.tasks):
                e = torch.stack([spec[t], shared], dim=1)
                g = torch.softmax(m.gates[t](inputs[t]), dim=-1).unsqueeze(1)
                outs.append(torch.bmm(g, e).squeeze(1))
            if m.shared_gate is not None:
                e = torch.stack(spec + [shared], dim=1)
                g = torch.softmax(m.shared_gate(inputs[-1]), dim=-1).unsqueeze(1)
                outs.append(torch.bmm(g, e).squeeze(1))
            inputs = outs
        return tuple(tower(inputs[t]) for t, tower in enumerate(self.towers))


class MLPBlocks(torch.nn.Module):
    """Dense features + 2 fields through blocks of every common layer: BatchNorm1d (eval),
    Dropout, LayerNorm, GELU, PReLU, LeakyReLU."""
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.ModuleList(torch.nn.Embedding(n, FDIM) for n in FIELDS[:2])
        init_tables(*self.emb)
        d = DENSE + 2 * FDIM
        self.input_bn = _bn(DENSE)
        self.block1 = torch.nn.Sequential(torch.nn.Linear(d, 32), _bn(32), torch.nn.PReLU(), torch.nn.Dropout(0.3))
        self.block2 = torch.nn.Sequential(torch.nn.Linear(32, 32), torch.nn.LayerNorm(32), torch.nn.GELU(),
                                          torch.nn.Dropout(0.1))
        self.block3 = torch.nn.Sequential(torch.nn.Linear(32, 16), torch.nn.LeakyReLU(0.1), torch.nn.PReLU(16))
        self.out = torch.nn.Linear(16, 1)
        with torch.no_grad():
            for m in self.modules():
                if isinstance(m, torch.nn.LayerNorm):
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.uniform_(-0.1, 0.1)
                if isinstance(m, torch.nn.PReLU):
                    m.weight.uniform_(0.05, 0.4)

    def forward(self, dense, sparse):
        x = torch.cat([self.input_bn(dense)] + [self.emb[f](sparse[:, f]) for f in range(2)], dim=1)
        h = self.block1(x)
        h = h + self.block2(h)                                            # residual
        return torch.sigmoid(self.out(self.block3(h)))


class DINDice(torch.nn.Module):
    """DIN as in the paper's code: query tiled with .repeat (Tile), attention MLP with Dice
    activations (BatchNorm1d without affine + sigmoid gate, learned alpha), masked softmax,
    matmul pooling; top MLP with Dice."""
    class Dice(torch.nn.Module):
        """DeepCTR-Torch Dice: BatchNorm1d (no affine) over the channel axis, sigmoid gate,
        alpha · (1 - p) · x + p · x; 3-D inputs are transposed to (B, C, L) around it."""
        def __init__(self, n):
            super().__init__()
            self.bn = _bn(n, affine=False)
            self.alpha = torch.nn.Parameter(torch.full((n,), 0.25))

        def forward(self, x):
            if x.dim() == 2:
                p = torch.sigmoid(self.bn(x))
                return self.alpha * (1 - p) * x + p * x
            x = torch.transpose(x, 1, 2)                                # (B, C, L)
            p = torch.sigmoid(self.bn(x))
            out = self.alpha.unsqueeze(1) * (1 - p) * x + p * x
            return torch.transpose(out, 1, 2)

    def __init__(self):
        super().__init__()
        self.item = torch.nn.Embedding(500, 12)
        self.cate = torch.nn.Embedding(50, 4)
        init_tables(self.item, self.cate)
        self.att1, self.att_act, self.att2 = torch.nn.Linear(64, 16), self.Dice(16), torch.nn.Linear(16, 1)
        self.fc1, self.fc_act, self.fc2 = torch.nn.Linear(32 + 4, 24), self.Dice(24), torch.nn.Linear(24, 1)

    def forward(self, hist_items, hist_cates, target_item, target_cate, dense):
        keys = torch.cat([self.item(hist_items), self.cate(hist_cates)], -1)                # (B, L, 16)
        query = torch.cat([self.item(target_item), self.cate(target_cate)], -1)             # (B, 16)
        q = query.unsqueeze(1).repeat(1, keys.shape[1], 1)
        h = self.att_act(self.att1(torch.cat([q, keys, q - keys, q * keys], -1)))
        s = self.att2(h).squeeze(-1) / math.sqrt(16)
        s = s.masked_fill(hist_items == 0, float('-inf'))
        w = torch.softmax(s, dim=-1).unsqueeze(1)
        interest = torch.matmul(w, keys).squeeze(1)
        return torch.sigmoid(self.fc2(self.fc_act(self.fc1(torch.cat([query, interest, dense], -1)))))


def _din_inputs(rng, s):
    batch, length = (12, 4)[s], (15, 9)[s]
    hist, _ = padded(rng, batch, length, 500, pad=0, low=1)
    target = ids(rng, 500, (batch,), low=1)
    return [hist, np.where(hist > 0, hist % 50, 0).astype(np.int64), target, (target % 50).astype(np.int64),
            floats(rng, (batch, 4))]


SEQ_ITEMS = 300


class GRU4Rec(torch.nn.Module):
    """RecBole GRU4Rec: Embedding → Dropout → nn.GRU(batch_first) → Linear → the state at
    position lengths-1 (gather_indexes: output.gather(1, idx.view(-1, 1, 1).expand(-1, -1, H)))
    → logits over the whole item table (matmul with the embedding weight) → top 10."""
    def __init__(self):
        super().__init__()
        self.item_embedding = torch.nn.Embedding(SEQ_ITEMS, 16, padding_idx=0)
        init_tables(self.item_embedding)
        self.emb_dropout = torch.nn.Dropout(0.25)
        self.gru_layers = torch.nn.GRU(16, 24, num_layers=1, bias=False, batch_first=True)
        self.dense = torch.nn.Linear(24, 16)

    def forward(self, item_seq, item_seq_len):
        emb = self.emb_dropout(self.item_embedding(item_seq))
        out, _ = self.gru_layers(emb)
        out = self.dense(out)
        gather_index = (item_seq_len - 1).view(-1, 1, 1).expand(-1, -1, out.shape[-1])
        seq_output = out.gather(dim=1, index=gather_index).squeeze(1)
        logits = torch.matmul(seq_output, self.item_embedding.weight.transpose(0, 1))
        return torch.topk(logits, 10)


def _gru_inputs(rng, s):
    batch, length = (8, 3)[s], (10, 16)[s]
    seq, lengths = padded(rng, batch, length, SEQ_ITEMS, pad=0, low=1)
    return [seq, lengths]


class TwoTower(torch.nn.Module):
    """User tower (user id, 2 profile fields, 4 dense) and item tower (item id, category) MLPs,
    F.normalize, cosine / temperature per (user, item) row."""
    def __init__(self):
        super().__init__()
        self.user = torch.nn.Embedding(200, 16)
        self.profile = torch.nn.ModuleList(torch.nn.Embedding(n, 8) for n in (10, 30))
        self.item = torch.nn.Embedding(SEQ_ITEMS, 16)
        self.cate = torch.nn.Embedding(30, 8)
        init_tables(self.user, *self.profile, self.item, self.cate)
        self.user_tower = torch.nn.Sequential(torch.nn.Linear(16 + 16 + 4, 32), torch.nn.ReLU(), torch.nn.Linear(32, 16))
        self.item_tower = torch.nn.Sequential(torch.nn.Linear(24, 32), torch.nn.ReLU(), torch.nn.Linear(32, 16))
        self.temperature = 0.05

    def forward(self, user_id, user_fields, user_dense, item_id, item_cate):
        u = torch.cat([self.user(user_id)] + [self.profile[f](user_fields[:, f]) for f in range(2)] + [user_dense], -1)
        i = torch.cat([self.item(item_id), self.cate(item_cate)], -1)
        u = F.normalize(self.user_tower(u), dim=-1)
        v = F.normalize(self.item_tower(i), dim=-1)
        return (u * v).sum(-1) / self.temperature


def _two_tower_inputs(rng, s):
    batch = (16, 5)[s]
    item = ids(rng, SEQ_ITEMS, (batch,))
    return [ids(rng, 200, (batch,)), np.stack([ids(rng, 10, batch), ids(rng, 30, batch)], 1),
            floats(rng, (batch, 4)), item, (item % 30).astype(np.int64)]


class SASRec(torch.nn.Module):
    """pmixer/SASRec.pytorch log2feats: item emb · sqrt(d) + positions, timeline mask, 2 blocks of
    LayerNorm → nn.MultiheadAttention (seq-first, attn_mask = torch.triu(ones, 1) causal) →
    residual → LayerNorm → point-wise FFN (Conv1d kernel 1) → timeline mask; last position's
    feature · candidate item embeddings."""
    D, MAXLEN = 16, 32

    def __init__(self):
        super().__init__()
        d = self.D
        self.item_emb = torch.nn.Embedding(SEQ_ITEMS, d, padding_idx=0)
        self.pos_emb = torch.nn.Embedding(self.MAXLEN, d)
        init_tables(self.item_emb, self.pos_emb)
        self.emb_dropout = torch.nn.Dropout(0.2)
        self.attention_layernorms = torch.nn.ModuleList(torch.nn.LayerNorm(d, eps=1e-8) for _ in range(2))
        self.attention_layers = torch.nn.ModuleList(torch.nn.MultiheadAttention(d, 2, 0.2) for _ in range(2))
        self.forward_layernorms = torch.nn.ModuleList(torch.nn.LayerNorm(d, eps=1e-8) for _ in range(2))
        self.conv1 = torch.nn.ModuleList(torch.nn.Conv1d(d, d, 1) for _ in range(2))
        self.conv2 = torch.nn.ModuleList(torch.nn.Conv1d(d, d, 1) for _ in range(2))
        self.last_layernorm = torch.nn.LayerNorm(d, eps=1e-8)

    def forward(self, log_seqs, item_indices):
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        positions = torch.arange(log_seqs.shape[1]).unsqueeze(0).expand(log_seqs.shape[0], -1)
        seqs = self.emb_dropout(seqs + self.pos_emb(positions))
        timeline_mask = log_seqs == 0
        seqs = seqs * ~timeline_mask.unsqueeze(-1)
        tl = seqs.shape[1]
        attention_mask = torch.triu(torch.ones((tl, tl), dtype=torch.bool), diagonal=1)
        for i in range(len(self.attention_layers)):
            seqs = torch.transpose(seqs, 0, 1)
            q = self.attention_layernorms[i](seqs)
            mha_outputs, _ = self.attention_layers[i](q, seqs, seqs, attn_mask=attention_mask, need_weights=False)
            seqs = torch.transpose(q + mha_outputs, 0, 1)
            seqs = self.forward_layernorms[i](seqs)
            ffn = self.conv2[i](torch.relu(self.conv1[i](seqs.transpose(-1, -2)))).transpose(-1, -2)
            seqs = (ffn + seqs) * ~timeline_mask.unsqueeze(-1)
        log_feats = self.last_layernorm(seqs)
        final_feat = log_feats[:, -1, :]
        item_embs = self.item_emb(item_indices)                                   # (B, C, d)
        return item_embs.matmul(final_feat.unsqueeze(-1)).squeeze(-1)


def _sasrec_inputs(rng, s):
    batch, length, ncand = (8, 3)[s], (12, 20)[s], (10, 6)[s]
    seq, _ = padded(rng, batch, length, SEQ_ITEMS, pad=0, low=1)
    seq = seq[:, ::-1].copy()                      # left-padded: the latest item is last
    return [seq, ids(rng, SEQ_ITEMS, (batch, ncand), low=1)]


tab = (['dense', 'sparse'], ['prob'])
tab_axes = axes(dense='batch', sparse='batch', prob='batch')

SPECS = [
    idiom('ctr_dcn', FAMILY, 'DCN-v2 stacked: x0 * Linear(x) + x ×3, then DNN (Linear, BatchNorm1d, ReLU, Dropout)',
          'DCN 6 fields × 8 + 8 dense', DCN, _tab_inputs, *tab, tab_axes, opsets=(11, 17)),
    idiom('ctr_xdeepfm_conv1d', FAMILY, 'xDeepFM CIN: (h.unsqueeze(2) * x0.unsqueeze(1)).reshape(B, H*m, D) → nn.Conv1d(H*m, H\', 1)',
          'linear + CIN (8, 8) + DNN', lambda: XDeepFM(einsum=False), _tab_inputs, *tab, tab_axes, opsets=(11, 14)),
    idiom('ctr_xdeepfm_einsum', FAMILY, "xDeepFM CIN: einsum('bhd,bmd->bhmd'), einsum('bhmd,nhm->bnd', z, W)",
          'linear + CIN (8, 8) + DNN', lambda: XDeepFM(einsum=True), _tab_inputs, *tab, tab_axes, opsets=(13, 17),
          dropped_opsets=NO_EINSUM_11),
    idiom('ctr_autoint', FAMILY, 'AutoInt: 2 × (nn.MultiheadAttention + residual Linear + ReLU) ‖ DNN',
          '6 sparse + 8 dense fields × 16', AutoInt, _tab_inputs, *tab, tab_axes, opsets=(14, 17)),
    idiom('ctr_fibinet', FAMILY, 'FiBiNET: SENET (mean, Linear/ReLU ×2, reweight) + bilinear (v_i W_i) ⊙ v_j over pairs',
          '15 field pairs on original and SENET embeddings → DNN', FiBiNET, _tab_inputs, *tab, tab_axes,
          opsets=(11, 17)),
    idiom('ctr_ccpm', FAMILY, 'CCPM: ZeroPad2d → Conv2d((k, 1)) → tanh → torch.topk k-max pooling → … → MaxPool2d((2, 1))',
          'CNN over the (field, dim) matrix → DNN', CCPM, _tab_inputs, *tab, tab_axes, opsets=(11, 14)),
    idiom('ctr_esmm', FAMILY, 'ESMM: shared embeddings, CTR and CVR towers, pCTCVR = pCTR * pCVR',
          'two outputs (batch, 1)', ESMM, _tab_inputs, ['dense', 'sparse'], ['p_ctr', 'p_ctcvr'],
          axes(dense='batch', sparse='batch', p_ctr='batch', p_ctcvr='batch'), opsets=(13, 17)),
    idiom('ctr_ple', FAMILY, 'PLE: 2 CGC levels (specific + shared experts, softmax gates, bmm)',
          '2 tasks', PLE, _tab_inputs, ['dense', 'sparse'], ['task_0', 'task_1'],
          axes(dense='batch', sparse='batch', task_0='batch', task_1='batch'), opsets=(11, 14)),
    idiom('ctr_mlp_blocks', FAMILY, 'MLP blocks: BatchNorm1d (eval), Dropout, LayerNorm, GELU, PReLU, LeakyReLU, residual',
          '8 dense + 2 fields → 3 blocks → sigmoid', MLPBlocks, _tab_inputs, *tab, tab_axes, opsets=(11, 17),
          notes='LayerNormalization from opset 17; GELU exports as Erf'),
    idiom('ctr_din_dice', FAMILY, 'DIN: q.unsqueeze(1).repeat(1, L, 1), Dice activation (BatchNorm1d + sigmoid gate), masked softmax, matmul',
          'behaviours (B, L) 0-padded + target + 4 dense', DINDice, _din_inputs,
          ['hist_items', 'hist_cates', 'target_item', 'target_cate', 'dense'], ['prob'],
          axes(hist_items='batch,seq_len', hist_cates='batch,seq_len', target_item='batch', target_cate='batch',
               dense='batch', prob='batch'), opsets=(11, 17)),
    idiom('ctr_gru4rec', FAMILY, 'GRU4Rec: nn.GRU(batch_first=True), output.gather(1, (len-1).view(-1,1,1).expand(-1,-1,H)), logits, topk',
          'next-item top 10 over a 300-item table', GRU4Rec, _gru_inputs, ['item_seq', 'item_seq_len'],
          ['values', 'indices'], axes(item_seq='batch,seq_len', item_seq_len='batch', values='batch',
                                      indices='batch'), opsets=(11, 14),
          notes='.squeeze(1) after gather exports as If(dim == 1: Squeeze, else Identity)'),
    idiom('ctr_two_tower', FAMILY, 'two-tower: MLP towers, F.normalize(u) · F.normalize(v) / temperature',
          'per-row (user, item) cosine score', TwoTower, _two_tower_inputs,
          ['user_id', 'user_fields', 'user_dense', 'item_id', 'item_cate'], ['score'],
          axes(user_id='batch', user_fields='batch', user_dense='batch', item_id='batch', item_cate='batch',
               score='batch'), opsets=(11, 17)),
    idiom('ctr_sasrec', FAMILY, 'SASRec: torch.triu(ones(L, L, dtype=bool), 1) causal attn_mask, LayerNorm, Conv1d FFN, timeline mask',
          '2 blocks over a left-padded sequence, scores for candidate items', SASRec, _sasrec_inputs,
          ['log_seqs', 'item_indices'], ['logits'],
          axes(log_seqs='batch,seq_len', item_indices='batch,num_candidates', logits='batch,num_candidates'),
          opsets=(14, 17), notes='torch.triu exports (as Trilu) from opset 14',
          dropped_opsets=NO_TRIU_BELOW_14),
]
