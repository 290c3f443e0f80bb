"""Family `gating`: multi-task mixtures of experts written the ways PyTorch users write them.
Input x = [2 fields × Embedding(·, 8) ‖ 16 dense] (batch, 32); 3 expert MLPs 32→16; 2 tasks,
each a softmax gate over the experts and a tower 16→8→1 + sigmoid. Outputs: one probability
(batch, 1) per task.

MMoE's combination is spelt as torch.bmm(gate.unsqueeze(1), experts), einsum('be,beh->bh'),
(gate.unsqueeze(-1) * experts).sum(1), and one gate Linear for all tasks + torch.matmul
(B, T, E) × (B, E, H); PLE-lite (shared + task-specific experts, CGC gates) and shared-bottom
complete the family.
"""
import numpy as np
import torch

from .base import NO_EINSUM_11, axes, floats, idiom, init_tables, mlp

FAMILY = 'gating'
FIELDS, FDIM, DENSE, EXPERTS, HIDDEN, TASKS = (60, 150), 8, 16, 3, 16, 2
IN = len(FIELDS) * FDIM + DENSE


def _inputs(rng, s):
    batch = (16, 5)[s]
    return [floats(rng, (batch, DENSE)),
            np.stack([rng.integers(0, n, size=batch) for n in FIELDS], axis=1).astype(np.int64)]


class Base(torch.nn.Module):
    def __init__(self, experts=EXPERTS):
        super().__init__()
        self.emb = torch.nn.ModuleList(torch.nn.Embedding(n, FDIM) for n in FIELDS)
        init_tables(*self.emb)
        self.experts = torch.nn.ModuleList(mlp([IN, HIDDEN]) for _ in range(experts))
        self.towers = torch.nn.ModuleList(mlp([HIDDEN, 8, 1], final='sigmoid') for _ in range(TASKS))

    def x(self, dense, sparse):
        return torch.cat([self.emb[f](sparse[:, f]) for f in range(len(FIELDS))] + [dense], dim=1)

    def forward(self, dense, sparse):
        x = self.x(dense, sparse)
        e = torch.stack([expert(x) for expert in self.experts], dim=1)       # (B, E, H)
        mixed = self.mix(x, e)
        return tuple(tower(m) for tower, m in zip(self.towers, mixed))


class MMoEGates(Base):
    def __init__(self):
        super().__init__()
        self.gates = torch.nn.ModuleList(torch.nn.Linear(IN, EXPERTS) for _ in range(TASKS))


class MMoEBmm(MMoEGates):
    def mix(self, x, e):
        return [torch.bmm(torch.softmax(g(x), dim=1).unsqueeze(1), e).squeeze(1) for g in self.gates]


class MMoEEinsum(MMoEGates):
    def mix(self, x, e):
        return [torch.einsum('be,beh->bh', torch.softmax(g(x), dim=-1), e) for g in self.gates]


class MMoEBroadcastSum(MMoEGates):
    def mix(self, x, e):
        return [(torch.softmax(g(x), dim=-1).unsqueeze(-1) * e).sum(1) for g in self.gates]


class MMoEMatmulAllGates(Base):
    """One Linear(IN, T·E) for every gate, reshaped (B, T, E), softmax, matmul with (B, E, H)."""
    def __init__(self):
        super().__init__()
        self.gate = torch.nn.Linear(IN, TASKS * EXPERTS)

    def mix(self, x, e):
        g = torch.softmax(self.gate(x).view(-1, TASKS, EXPERTS), dim=-1)
        mixed = torch.matmul(g, e)                                          # (B, T, H)
        return [mixed[:, t] for t in range(TASKS)]


class PLELite(Base):
    """One CGC layer: 2 shared experts + 1 specific expert per task; task t's gate mixes its
    specific expert and the shared ones."""
    SHARED = 2

    def __init__(self):
        super().__init__(experts=self.SHARED + TASKS)      # shared first, then one per task
        self.gates = torch.nn.ModuleList(torch.nn.Linear(IN, self.SHARED + 1) for _ in range(TASKS))

    def mix(self, x, e):
        out = []
        for t, g in enumerate(self.gates):
            chosen = torch.cat([e[:, self.SHARED + t:self.SHARED + t + 1], e[:, :self.SHARED]], dim=1)
            w = torch.softmax(g(x), dim=-1).unsqueeze(1)                   # (B, 1, 3)
            out.append(torch.bmm(w, chosen).squeeze(1))
        return out


class SharedBottom(Base):
    def __init__(self):
        super().__init__(experts=1)

    def mix(self, x, e):
        return [e[:, 0]] * TASKS


io = axes(dense='batch', sparse='batch', task_0='batch', task_1='batch')
names = (['dense', 'sparse'], ['task_0', 'task_1'])

SPECS = [
    idiom('mmoe_bmm', FAMILY, 'experts stacked (B, E, H); torch.bmm(softmax(gate(x)).unsqueeze(1), e).squeeze(1)',
          'MMoE 3 experts, 2 tasks', MMoEBmm, _inputs, *names, io, opsets=(11, 14)),
    idiom('mmoe_einsum', FAMILY, "torch.einsum('be,beh->bh', softmax(gate(x)), e)",
          'MMoE 3 experts, 2 tasks', MMoEEinsum, _inputs, *names, io, opsets=(13, 17),
          dropped_opsets=NO_EINSUM_11),
    idiom('mmoe_broadcast_sum', FAMILY, '(softmax(gate(x)).unsqueeze(-1) * e).sum(1)',
          'MMoE 3 experts, 2 tasks', MMoEBroadcastSum, _inputs, *names, io, opsets=(11, 17)),
    idiom('mmoe_matmul_all_gates', FAMILY, 'one Linear(IN, T*E).view(-1, T, E).softmax(-1); torch.matmul(g, e)[:, t]',
          'MMoE 3 experts, 2 tasks, all gates in one Linear', MMoEMatmulAllGates, _inputs, *names, io,
          opsets=(14, 17)),
    idiom('ple_lite', FAMILY, 'CGC: cat([e_specific, e_shared], 1); bmm(softmax(gate_t(x)).unsqueeze(1), ·)',
          'PLE extraction layer: 2 shared + 1 specific expert per task, 2 tasks', PLELite, _inputs, *names, io,
          opsets=(11, 17)),
    idiom('shared_bottom', FAMILY, 'bottom MLP shared, one tower per task',
          'shared bottom 32→16, 2 towers', SharedBottom, _inputs, *names, io, opsets=(11, 13)),
]
