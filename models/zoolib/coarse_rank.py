"""Coarse ranking in the seed's shape (案例分享2): a user's behaviour sequence (1, 4000) of item
ids padded with -1, 400 candidates (400, 1), written the way torch code naturally is:

* masked lookup: mask = ids >= 0; torch.where(mask, ids, 0) → Embedding → × mask
  (exports as GreaterOrEqual → Where → Gather → Unsqueeze/Cast → Mul);
* pooling over the valid positions by boolean indexing (exports as NonZero → Transpose →
  GatherND → ReduceMean: the data-dependent shape the seed's pass removes);
* the 400×50 side-info table, gathered by the 4000-long behaviour category sequence
  (padded with 0, like the seed's input) and by the candidates' categories;
* click count per candidate: Equal int64 (400,1) vs (1,4000) → Cast → ReduceSum(last axis);
* distinct behaviour items: Unique → GreaterOrEqual → Cast → ReduceSum;
* two 300-wide heads as one BatchMatMul (2,400,300)×(2,300,16);
* TopK(50) over the 400 candidate scores.

Inputs: behavior_ids (1,4000) int64, behavior_cates (1,4000) int64,
candidate_ids (num_candidates,1) int64, candidate_cates (num_candidates,1) int64.
Outputs: topk_scores (50,) float32, topk_indices (50,) int64.
"""
from typing import List

import numpy as np
import torch

from .common import ZooSpec

NUM_ITEMS = 10_000
ITEM_DIM = 16
NUM_CATES = 400
CATE_DIM = 50
SEQ_LEN = 4000
NUM_CANDIDATES = 400
HEADS = 2
HEAD_IN = 300
HEAD_OUT = 16
TOP_K = 50


class CoarseRank(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.item_emb = torch.nn.Embedding(NUM_ITEMS, ITEM_DIM)
        self.cate_emb = torch.nn.Embedding(NUM_CATES, CATE_DIM)   # the seed's 400×50 table
        features = 2 * ITEM_DIM + 2 * CATE_DIM + 2
        self.proj = torch.nn.Linear(features, HEADS * HEAD_IN)
        self.head_weight = torch.nn.Parameter(torch.randn(HEADS, HEAD_IN, HEAD_OUT) * HEAD_IN ** -0.5)
        self.out = torch.nn.Linear(HEADS * HEAD_OUT, 1)

    def forward(self, behavior_ids, behavior_cates, candidate_ids, candidate_cates):
        mask = behavior_ids >= 0                                          # (1, L) bool
        maskf = mask.to(torch.float32)
        safe_ids = torch.where(mask, behavior_ids, 0)
        behavior = self.item_emb(safe_ids) * maskf.unsqueeze(-1)          # (1, L, 16), pads → 0
        interest = behavior[mask].mean(dim=0, keepdim=True)               # (1, 16) over valid ids

        cate_seq = self.cate_emb(behavior_cates)                          # (1, L, 50)
        cate_pref = (cate_seq * maskf.unsqueeze(-1)).sum(1) / maskf.sum(1, keepdim=True).clamp(min=1.0)

        clicks = (candidate_ids == behavior_ids).to(torch.float32).sum(-1, keepdim=True)  # (N, 1)
        distinct = (torch.unique(behavior_ids) >= 0).to(torch.float32).sum()            # scalar

        n = candidate_ids.shape[0]
        cand_item = self.item_emb(candidate_ids.squeeze(1))                # (N, 16)
        cand_cate = self.cate_emb(candidate_cates.squeeze(1))             # (N, 50)
        features = torch.cat([
            cand_item, interest.expand(n, -1), cand_cate, cate_pref.expand(n, -1),
            torch.log1p(clicks), torch.log1p(distinct).expand(n, 1)], dim=1)
        hidden = torch.relu(self.proj(features))                          # (N, 600)
        heads = hidden.view(n, HEADS, HEAD_IN).transpose(0, 1)            # (2, N, 300)
        heads = torch.relu(torch.bmm(heads, self.head_weight))            # (2, N, 16)
        scores = self.out(heads.transpose(0, 1).reshape(n, HEADS * HEAD_OUT)).squeeze(-1)  # (N,)
        return torch.topk(scores, TOP_K)


def coarse_rank() -> ZooSpec:
    def build() -> torch.nn.Module:
        torch.manual_seed(3)
        return CoarseRank().eval()

    def make_inputs(seed: int, valid: int, num_candidates: int, id_range: int):
        def make() -> List[np.ndarray]:
            rng = np.random.default_rng(seed)
            behavior_ids = np.full((1, SEQ_LEN), -1, dtype=np.int64)   # -1 padding after `valid`
            # Repeats are common in real behaviour logs: draw from an `id_range`-item slice.
            behavior_ids[0, :valid] = rng.integers(0, id_range, size=valid)
            behavior_cates = np.zeros((1, SEQ_LEN), dtype=np.int64)    # 0 padding, as in the seed
            behavior_cates[0, :valid] = behavior_ids[0, :valid] % NUM_CATES
            # Half of the candidates come from the user's history so click counts are non-zero;
            # the candidate list may contain duplicates, which gives TopK exact ties.
            from_history = rng.choice(behavior_ids[0, :valid], size=num_candidates // 2)
            fresh = rng.integers(0, NUM_ITEMS, size=num_candidates - num_candidates // 2)
            candidate_ids = rng.permutation(np.concatenate([from_history, fresh])).astype(np.int64)
            candidate_cates = candidate_ids % NUM_CATES
            return [behavior_ids, behavior_cates, candidate_ids.reshape(-1, 1),
                    candidate_cates.reshape(-1, 1)]
        return make

    return ZooSpec(
        name='coarse_rank',
        description='coarse ranking of the seed: masked lookup (Where/Gather/Mul), NonZero '
                    'pooling, 400×50 table, Equal int64 (400,1)×(1,4000) count, Unique, '
                    'BMM (2,400,300)×(2,300,16), TopK 50; set 0: 400 candidates, 2600 valid ids; '
                    'set 1: 123 candidates, 777 valid ids',
        build=build,
        input_sets=[make_inputs(303, valid=2600, num_candidates=NUM_CANDIDATES, id_range=3000),
                    make_inputs(313, valid=777, num_candidates=123, id_range=NUM_ITEMS)],
        input_names=['behavior_ids', 'behavior_cates', 'candidate_ids', 'candidate_cates'],
        output_names=['topk_scores', 'topk_indices'],
        dynamic_axes={'candidate_ids': {0: 'num_candidates'},
                      'candidate_cates': {0: 'num_candidates'}})
