"""Family `cross`: DCN cross layers written the ways the papers' reference code and popular
libraries write them. x0 = [4 fields × Embedding(·, 8) ‖ 8 dense] (batch, 40), 2 cross layers,
then Linear(40, 1) + sigmoid.

* DCN-v1 (vector): x_{l+1} = x0 · (x_l · w) + b + x_l — nn.Linear(D, 1), DeepCTR's
  torch.tensordot on (B, D, 1) + torch.matmul(x0, ·), and einsum.
* DCN-v2 (matrix): x_{l+1} = x0 ⊙ (W x_l + b) + x_l — nn.Linear(D, D), DeepCTR's
  torch.matmul(W, x_l) on (B, D, 1), and einsum.
* DCN-Mix: E low-rank experts x0 ⊙ (U tanh(C tanh(Vᵀ x_l)) + b), gated by softmax over
  per-expert nn.Linear(D, 1) gates — DeepCTR's CrossNetMix (torch.matmul(V.t(), x_l) on
  (B, D, 1) batched mat-vecs), nn.Linear experts, and einsum over stacked experts.
"""
import numpy as np
import torch

from .base import NO_EINSUM_11, NO_TENSORDOT_11, axes, floats, idiom, init_tables

FAMILY = 'cross'
FIELDS, FDIM, DENSE, LAYERS, EXPERTS, RANK = (50, 80, 120, 60), 8, 8, 2, 3, 6
D = len(FIELDS) * FDIM + DENSE


def _inputs(rng, s):
    batch = (16, 5)[s]
    return [floats(rng, (batch, DENSE)),
            np.stack([rng.integers(0, n, size=batch) for n in FIELDS], axis=1).astype(np.int64)]


class Base(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.ModuleList(torch.nn.Embedding(n, FDIM) for n in FIELDS)
        init_tables(*self.emb)
        self.out = torch.nn.Linear(D, 1)

    def x0(self, dense, sparse):
        return torch.cat([self.emb[f](sparse[:, f]) for f in range(len(FIELDS))] + [dense], dim=1)

    def forward(self, dense, sparse):
        return torch.sigmoid(self.out(self.cross(self.x0(dense, sparse))))


def _param(*shape):
    return torch.nn.Parameter(torch.randn(*shape) * shape[-1] ** -0.5)


class V1Linear(Base):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.ModuleList(torch.nn.Linear(D, 1, bias=False) for _ in range(LAYERS))
        self.b = torch.nn.ParameterList(_param(D) for _ in range(LAYERS))

    def cross(self, x0):
        x = x0
        for w, b in zip(self.w, self.b):
            x = x0 * w(x) + b + x
        return x


class V1Tensordot(Base):
    """DeepCTR CrossNet(parameterization='vector')."""
    def __init__(self):
        super().__init__()
        self.kernels = torch.nn.Parameter(torch.randn(LAYERS, D, 1) * D ** -0.5)
        self.bias = torch.nn.Parameter(torch.randn(LAYERS, D, 1) * 0.1)

    def cross(self, inputs):
        x_0 = inputs.unsqueeze(2)
        x_l = x_0
        for i in range(LAYERS):
            xl_w = torch.tensordot(x_l, self.kernels[i], dims=([1], [0]))
            dot_ = torch.matmul(x_0, xl_w)
            x_l = dot_ + self.bias[i] + x_l
        return torch.squeeze(x_l, dim=2)


class V1Einsum(Base):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.randn(LAYERS, D) * D ** -0.5)
        self.b = torch.nn.Parameter(torch.randn(LAYERS, D) * 0.1)

    def cross(self, x0):
        x = x0
        for i in range(LAYERS):
            x = x0 * torch.einsum('bd,d->b', x, self.w[i]).unsqueeze(1) + self.b[i] + x
        return x


class V2Linear(Base):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.ModuleList(torch.nn.Linear(D, D) for _ in range(LAYERS))

    def cross(self, x0):
        x = x0
        for w in self.w:
            x = x0 * w(x) + x
        return x


class V2Matmul3D(Base):
    """DeepCTR CrossNet(parameterization='matrix')."""
    def __init__(self):
        super().__init__()
        self.kernels = torch.nn.Parameter(torch.randn(LAYERS, D, D) * D ** -0.5)
        self.bias = torch.nn.Parameter(torch.randn(LAYERS, D, 1) * 0.1)

    def cross(self, inputs):
        x_0 = inputs.unsqueeze(2)
        x_l = x_0
        for i in range(LAYERS):
            xl_w = torch.matmul(self.kernels[i], x_l)      # W x_l: (B, D, 1)
            dot_ = xl_w + self.bias[i]
            x_l = x_0 * dot_ + x_l
        return torch.squeeze(x_l, dim=2)


class V2Einsum(Base):
    def __init__(self):
        super().__init__()
        self.W = torch.nn.Parameter(torch.randn(LAYERS, D, D) * D ** -0.5)
        self.b = torch.nn.Parameter(torch.randn(LAYERS, D) * 0.1)

    def cross(self, x0):
        x = x0
        for i in range(LAYERS):
            x = x0 * (torch.einsum('ij,bj->bi', self.W[i], x) + self.b[i]) + x
        return x


class MixMatmul(Base):
    """DeepCTR CrossNetMix: per-expert V, C, U parameters, (B, D, 1) batched mat-vecs."""
    def __init__(self):
        super().__init__()
        self.U_list = torch.nn.Parameter(torch.randn(LAYERS, EXPERTS, D, RANK) * RANK ** -0.5)
        self.V_list = torch.nn.Parameter(torch.randn(LAYERS, EXPERTS, D, RANK) * D ** -0.5)
        self.C_list = torch.nn.Parameter(torch.randn(LAYERS, EXPERTS, RANK, RANK) * RANK ** -0.5)
        self.gating = torch.nn.ModuleList(torch.nn.Linear(D, 1, bias=False) for _ in range(EXPERTS))
        self.bias = torch.nn.Parameter(torch.randn(LAYERS, D, 1) * 0.1)

    def cross(self, inputs):
        x_0 = inputs.unsqueeze(2)
        x_l = x_0
        for i in range(LAYERS):
            output_of_experts, gating_score_of_experts = [], []
            for expert_id in range(EXPERTS):
                gating_score_of_experts.append(self.gating[expert_id](x_l.squeeze(2)))
                v_x = torch.matmul(self.V_list[i][expert_id].t(), x_l)          # (B, r, 1)
                v_x = torch.tanh(v_x)
                v_x = torch.matmul(self.C_list[i][expert_id], v_x)
                v_x = torch.tanh(v_x)
                uv_x = torch.matmul(self.U_list[i][expert_id], v_x)             # (B, D, 1)
                dot_ = uv_x + self.bias[i]
                output_of_experts.append((x_0 * dot_).squeeze(2))
            output_of_experts = torch.stack(output_of_experts, 2)               # (B, D, E)
            gating_score_of_experts = torch.stack(gating_score_of_experts, 1)   # (B, E, 1)
            moe_out = torch.matmul(output_of_experts, gating_score_of_experts.softmax(1))
            x_l = moe_out + x_l
        return x_l.squeeze(2)


class MixLinear(Base):
    """DCN-Mix with nn.Linear experts on 2-D tensors and one nn.Linear(D, E) gate."""
    def __init__(self):
        super().__init__()
        self.V = torch.nn.ModuleList(torch.nn.ModuleList(torch.nn.Linear(D, RANK, bias=False) for _ in range(EXPERTS)) for _ in range(LAYERS))
        self.C = torch.nn.ModuleList(torch.nn.ModuleList(torch.nn.Linear(RANK, RANK, bias=False) for _ in range(EXPERTS)) for _ in range(LAYERS))
        self.U = torch.nn.ModuleList(torch.nn.ModuleList(torch.nn.Linear(RANK, D) for _ in range(EXPERTS)) for _ in range(LAYERS))
        self.gate = torch.nn.Linear(D, EXPERTS, bias=False)

    def cross(self, x0):
        x = x0
        for i in range(LAYERS):
            experts = torch.stack([x0 * self.U[i][e](torch.tanh(self.C[i][e](torch.tanh(self.V[i][e](x)))))
                                   for e in range(EXPERTS)], dim=1)                # (B, E, D)
            g = torch.softmax(self.gate(x), dim=-1)                                 # (B, E)
            x = (g.unsqueeze(-1) * experts).sum(1) + x
        return x


class MixEinsum(Base):
    """DCN-Mix with all experts stacked and einsum contractions."""
    def __init__(self):
        super().__init__()
        self.U = torch.nn.Parameter(torch.randn(LAYERS, EXPERTS, D, RANK) * RANK ** -0.5)
        self.V = torch.nn.Parameter(torch.randn(LAYERS, EXPERTS, D, RANK) * D ** -0.5)
        self.C = torch.nn.Parameter(torch.randn(LAYERS, EXPERTS, RANK, RANK) * RANK ** -0.5)
        self.G = torch.nn.Parameter(torch.randn(LAYERS, D, EXPERTS) * D ** -0.5)
        self.b = torch.nn.Parameter(torch.randn(LAYERS, D) * 0.1)

    def cross(self, x0):
        x = x0
        for i in range(LAYERS):
            v = torch.tanh(torch.einsum('bd,edr->ber', x, self.V[i]))
            v = torch.tanh(torch.einsum('ber,ers->bes', v, self.C[i]))
            uv = torch.einsum('bes,eds->bed', v, self.U[i]) + self.b[i]
            g = torch.softmax(torch.einsum('bd,de->be', x, self.G[i]), dim=-1)
            x = torch.einsum('be,bed->bd', g, x0.unsqueeze(1) * uv) + x
        return x


io = axes(dense='batch', sparse='batch', prob='batch')
names = (['dense', 'sparse'], ['prob'])

SPECS = [
    idiom('cross_v1_linear', FAMILY, 'DCN-v1 x0 * nn.Linear(D, 1, bias=False)(x) + b + x', 'vector cross, 2 layers',
          V1Linear, _inputs, *names, io, opsets=(11, 14)),
    idiom('cross_v1_tensordot', FAMILY, 'DeepCTR: torch.matmul(x_0, torch.tensordot(x_l, kernel, dims=([1], [0]))) on (B, D, 1)',
          'vector cross on 3-D tensors, 2 layers', V1Tensordot, _inputs, *names, io, opsets=(13, 17),
          notes='tensordot exports from opset 12; torch.squeeze(x_l, dim=2) on a dim the exporter '
                'cannot size exports as If(Shape(x)[2] == 1: Squeeze, else Identity)',
          dropped_opsets=NO_TENSORDOT_11),
    idiom('cross_v1_einsum', FAMILY, "DCN-v1 x0 * einsum('bd,d->b', x, w).unsqueeze(1) + b + x",
          'vector cross with einsum, 2 layers', V1Einsum, _inputs, *names, io, opsets=(13, 14),
          dropped_opsets=NO_EINSUM_11),
    idiom('cross_v2_linear', FAMILY, 'DCN-v2 x0 * nn.Linear(D, D)(x) + x', 'matrix cross, 2 layers',
          V2Linear, _inputs, *names, io, opsets=(11, 17)),
    idiom('cross_v2_matmul3d', FAMILY, 'DeepCTR: x_0 * (torch.matmul(W, x_l) + b) + x_l on (B, D, 1)',
          'matrix cross as (D, D) × (B, D, 1) batched mat-vecs, 2 layers', V2Matmul3D, _inputs, *names, io,
          opsets=(11, 14)),
    idiom('cross_v2_einsum', FAMILY, "x0 * (einsum('ij,bj->bi', W, x) + b) + x", 'matrix cross with einsum, 2 layers',
          V2Einsum, _inputs, *names, io, opsets=(14, 17),
          dropped_opsets=NO_EINSUM_11),
    idiom('cross_mix_matmul', FAMILY, 'DeepCTR CrossNetMix: torch.matmul(V.t(), x_l) on (B, D, 1), gates stacked, softmax, matmul',
          '3 low-rank (6) experts per layer, 2 layers', MixMatmul, _inputs, *names, io, opsets=(11, 14)),
    idiom('cross_mix_linear', FAMILY, 'DCN-Mix with nn.Linear experts, (softmax(gate(x)).unsqueeze(-1) * experts).sum(1)',
          '3 low-rank (6) experts per layer, 2 layers', MixLinear, _inputs, *names, io, opsets=(13, 17)),
    idiom('cross_mix_einsum', FAMILY, "DCN-Mix stacked experts: einsum('bd,edr->ber'), einsum('be,bed->bd')",
          '3 low-rank (6) experts per layer, 2 layers', MixEinsum, _inputs, *names, io, opsets=(13, 17),
          dropped_opsets=NO_EINSUM_11),
]
