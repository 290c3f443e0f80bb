"""DIN (Deep Interest Network) target attention, written as torch code naturally is: a user's
behaviour sequence (batch, 20) of item ids padded with 0 (and their categories), a candidate
item; the candidate embedding expanded over the sequence (`unsqueeze(1).expand`), attention MLP
input cat([q, k, q-k, q*k]) through nn.Linear layers on the 3-D tensor (exported as MatMul +
Add), masked softmax over the valid positions (masked_fill → Where), the interest as a batched
matmul (batch,1,20)x(batch,20,24), plus a multi-hot user tag field pooled as
`Embedding(tags).sum(1)` (Gather + ReduceSum); MLP + sigmoid.

Inputs: hist_items (batch, 20) int64 in [0, 1000) with 0 = padding, hist_cates (batch, 20) int64
in [0, 100), target_item (batch,) int64, target_cate (batch,) int64, tags (batch, 6) int64 in
[0, 50). Output: prob (batch, 1) float32.
"""
from typing import List

import numpy as np
import torch

from .common import ZooSpec, mlp

ITEMS, CATES, TAGS = 1000, 100, 50
ITEM_DIM, CATE_DIM, TAG_DIM = 16, 8, 8
SEQ_LEN, TAG_COUNT = 20, 6
KEY = ITEM_DIM + CATE_DIM


class DIN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.item_emb = torch.nn.Embedding(ITEMS, ITEM_DIM)
        self.cate_emb = torch.nn.Embedding(CATES, CATE_DIM)
        self.tag_emb = torch.nn.Embedding(TAGS, TAG_DIM)
        for table in (self.item_emb, self.cate_emb, self.tag_emb):
            torch.nn.init.normal_(table.weight, std=0.1)
        self.att1 = torch.nn.Linear(4 * KEY, 32)
        self.att2 = torch.nn.Linear(32, 1)
        self.top = mlp([KEY + KEY + TAG_DIM, 64, 1], final='sigmoid')

    def forward(self, hist_items, hist_cates, target_item, target_cate, tags):
        keys = torch.cat([self.item_emb(hist_items), self.cate_emb(hist_cates)], dim=-1)   # (B, L, 24)
        query = torch.cat([self.item_emb(target_item), self.cate_emb(target_cate)], dim=-1)  # (B, 24)
        q = query.unsqueeze(1).expand(-1, keys.shape[1], -1)                                # (B, L, 24)
        att = torch.relu(self.att1(torch.cat([q, keys, q - keys, q * keys], dim=-1)))       # MatMul + Add
        scores = self.att2(att).squeeze(-1)                                                 # (B, L)
        scores = scores.masked_fill(hist_items == 0, -1e9)
        weights = torch.softmax(scores, dim=-1)
        interest = torch.bmm(weights.unsqueeze(1), keys).squeeze(1)                         # (B, 24)
        user_tags = self.tag_emb(tags).sum(1)                                               # (B, 8)
        return self.top(torch.cat([query, interest, user_tags], dim=-1))


def din() -> ZooSpec:
    def build() -> torch.nn.Module:
        torch.manual_seed(7)
        return DIN().eval()

    def make_inputs(seed: int, batch: int):
        def make() -> List[np.ndarray]:
            rng = np.random.default_rng(seed)
            lengths = rng.integers(1, SEQ_LEN + 1, size=batch)   # at least one valid behaviour
            hist_items = np.zeros((batch, SEQ_LEN), dtype=np.int64)
            for b, n in enumerate(lengths):
                hist_items[b, :n] = rng.integers(1, ITEMS, size=n)
            hist_cates = (hist_items % CATES).astype(np.int64)
            target_item = rng.integers(1, ITEMS, size=batch).astype(np.int64)
            return [hist_items, hist_cates, target_item, (target_item % CATES).astype(np.int64),
                    rng.integers(0, TAGS, size=(batch, TAG_COUNT), dtype=np.int64)]
        return make

    return ZooSpec(
        name='din',
        description='DIN target attention: behaviour sequence 20 (0-padded), query expanded over it, '
                    'attention MLP on 3-D tensors (MatMul + Add), masked softmax, bmm pooling, '
                    'multi-hot tags Embedding(...).sum(1); set 0: batch 64, set 1: batch 3',
        build=build, input_sets=[make_inputs(707, 64), make_inputs(717, 3)],
        input_names=['hist_items', 'hist_cates', 'target_item', 'target_cate', 'tags'],
        output_names=['prob'],
        dynamic_axes={n: {0: 'batch'} for n in
                      ['hist_items', 'hist_cates', 'target_item', 'target_cate', 'tags', 'prob']})
