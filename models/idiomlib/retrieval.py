"""Family `retrieval`: normalise a user vector and the item table, score by cosine, take the top
k — written the ways PyTorch users write the normalisation and the similarity:
F.normalize + matmul with .T, u / u.norm(dim=-1, keepdim=True), einsum('bd,nd->bn'),
F.cosine_similarity over a broadcast pair, torch.linalg.vector_norm.

User tower: user id (batch,) → Embedding(100, 16) ‖ 4 dense → Linear(20, 16). Items: a (300, 16)
parameter table. Outputs: top-10 scores (batch, 10) and item indices (batch, 10).
"""
import torch
import torch.nn.functional as F

from .base import NO_EINSUM_11, axes, floats, idiom, ids, init_tables

FAMILY = 'retrieval'
USERS, ITEMS, DIM, K = 100, 300, 16, 10


def _inputs(rng, s):
    batch = (8, 3)[s]
    return [ids(rng, USERS, (batch,)), floats(rng, (batch, 4))]


class Tower(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.user = torch.nn.Embedding(USERS, DIM)
        init_tables(self.user, std=0.5)
        self.proj = torch.nn.Linear(DIM + 4, DIM)
        self.items = torch.nn.Parameter(torch.randn(ITEMS, DIM))

    def u(self, user, dense):
        return self.proj(torch.cat([self.user(user), dense], dim=1))


class NormalizeMatmul(Tower):
    def forward(self, user, dense):
        s = F.normalize(self.u(user, dense), dim=-1) @ F.normalize(self.items, dim=-1).T
        return s.topk(K)


class NormDiv(Tower):
    def forward(self, user, dense):
        u = self.u(user, dense)
        u = u / u.norm(dim=-1, keepdim=True)
        items = self.items / self.items.norm(dim=-1, keepdim=True)
        return torch.topk(torch.matmul(u, items.t()), K, dim=1)


class Einsum(Tower):
    def forward(self, user, dense):
        u = F.normalize(self.u(user, dense), p=2.0, dim=1)
        items = F.normalize(self.items, p=2.0, dim=1)
        return torch.einsum('bd,nd->bn', u, items).topk(K)


class Cosine(Tower):
    def forward(self, user, dense):
        s = F.cosine_similarity(self.u(user, dense).unsqueeze(1), self.items.unsqueeze(0), dim=-1)
        return s.topk(K)


class VectorNorm(Tower):
    def forward(self, user, dense):
        u = self.u(user, dense)
        u = u / torch.linalg.vector_norm(u, dim=-1, keepdim=True).clamp(min=1e-12)
        items = self.items / torch.linalg.vector_norm(self.items, dim=-1, keepdim=True).clamp(min=1e-12)
        return (u @ items.T).topk(K)


io = axes(user='batch', dense='batch', values='batch', indices='batch')
names = (['user', 'dense'], ['values', 'indices'])

SPECS = [
    idiom('retr_normalize_matmul', FAMILY, 'F.normalize(u, dim=-1) @ F.normalize(items, dim=-1).T, topk',
          'cosine top-10 over a 300×16 item table', NormalizeMatmul, _inputs, *names, io, opsets=(11, 14)),
    idiom('retr_norm_div', FAMILY, 'u / u.norm(dim=-1, keepdim=True); matmul(u, items.t()), topk',
          'cosine top-10, norms by hand', NormDiv, _inputs, *names, io, opsets=(13, 17)),
    idiom('retr_einsum', FAMILY, "torch.einsum('bd,nd->bn', F.normalize(u), F.normalize(items)), topk",
          'cosine top-10 with einsum', Einsum, _inputs, *names, io, opsets=(13, 17),
          dropped_opsets=NO_EINSUM_11),
    idiom('retr_cosine_similarity', FAMILY, 'F.cosine_similarity(u.unsqueeze(1), items.unsqueeze(0), dim=-1), topk',
          'cosine top-10 over a broadcast (B, 300, 16) pair', Cosine, _inputs, *names, io, opsets=(11, 14)),
    idiom('retr_vector_norm', FAMILY, 'u / torch.linalg.vector_norm(u, dim=-1, keepdim=True).clamp(min=1e-12)',
          'cosine top-10, linalg norms', VectorNorm, _inputs, *names, io, opsets=(14, 17)),
]
