"""IdiomSpec (a ZooSpec with family/form/opsets/fusible) and the helpers the families share.

A family module exposes SPECS: a list of IdiomSpec. Each spec's module and inputs are seeded from
its name (crc32), so rebuilding reproduces the committed files byte for byte.
"""
import dataclasses
import zlib
from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np
import torch

from zoolib.common import ZooSpec, bags, mlp  # noqa: F401  (re-exported for the families)

# Dynamic-shape ops an engine has to re-plan on every inference (recorded per export).
DYNAMIC_OPS = ('Loop', 'NonZero', 'Unique', 'If', 'Compress')


@dataclasses.dataclass
class IdiomSpec(ZooSpec):
    family: str = ''
    form: str = ''            # the idiom, as the torch code spells it
    opsets: Tuple[int, ...] = (14,)
    # A bag or a masked pool: whatever the export contains, an engine should run it with a
    # static plan (no Loop/NonZero/Unique/If/Compress left after its passes).
    fusible: bool = False
    notes: str = ''           # what the export / test data do that a reader should know
    dropped: str = ''         # non-empty: not built (export or ONNX Runtime cannot run it): why
    # opsets tried and left out (export fails, ONNX Runtime rejects it, or it disagrees): why
    dropped_opsets: Dict[int, str] = dataclasses.field(default_factory=dict)


# Opsets the exporter refuses for an op (verified with torch 1.13): dropped_opsets values.
NO_EINSUM_11 = {11: "export fails: aten::einsum is exported from opset 12 only"}
NO_TENSORDOT_11 = {11: "export fails: aten::tensordot is exported from opset 12 only"}
NO_TRIU_BELOW_14 = {o: "export fails: aten::triu is exported from opset 14 only (Trilu)" for o in (11, 13)}


def seed_of(name: str) -> int:
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def idiom(name: str, family: str, form: str, description: str,
          module: Callable[[], torch.nn.Module],
          inputs: Callable[[np.random.Generator, int], Sequence[np.ndarray]],
          input_names: Sequence[str], output_names: Sequence[str],
          dynamic_axes: Dict[str, Dict[int, str]], opsets: Sequence[int],
          fusible: bool = False, notes: str = '', dropped: str = '',
          dropped_opsets: Dict[int, str] = None) -> IdiomSpec:
    """An IdiomSpec whose module is `module()` built under torch.manual_seed(seed_of(name)) in
    eval mode, and whose test_data_set_<i> is inputs(rng, i) with rng seeded from (name, i).
    Set 0 is what the export traces; set 1 varies the dynamic dims (batch / id counts)."""
    seed = seed_of(name)

    def build() -> torch.nn.Module:
        torch.manual_seed(seed)
        return module().eval()

    def make(i: int) -> Callable[[], List[np.ndarray]]:
        return lambda: [np.asarray(a, order='C') for a in inputs(np.random.default_rng([seed, i]), i)]

    return IdiomSpec(name=name, description=description, build=build, input_sets=[make(0), make(1)],
                     input_names=list(input_names), output_names=list(output_names),
                     dynamic_axes=dynamic_axes, family=family, form=form, opsets=tuple(opsets),
                     fusible=fusible, notes=notes, dropped=dropped,
                     dropped_opsets=dict(dropped_opsets or {}))


def axes(**named: str) -> Dict[str, Dict[int, str]]:
    """axes(ids='n', dense='batch') → {'ids': {0: 'n'}, 'dense': {0: 'batch'}}; a value with
    commas names several leading axes in order ('batch,seq' → {0: 'batch', 1: 'seq'}); an empty
    name ('', 'batch') keeps that axis static."""
    out = {}
    for k, v in named.items():
        dims = {i: d for i, d in enumerate(v.split(',')) if d}
        if dims:
            out[k] = dims
    return out


def init_tables(*tables: torch.nn.Module, std: float = 0.1) -> None:
    """N(0, std) rows (PyTorch's N(0, 1) default makes pooled sums large)."""
    for t in tables:
        torch.nn.init.normal_(t.weight, std=std)


def ids(rng: np.random.Generator, rows: int, shape, low: int = 0) -> np.ndarray:
    return rng.integers(low, rows, size=shape, dtype=np.int64)


def floats(rng: np.random.Generator, shape) -> np.ndarray:
    return rng.standard_normal(shape).astype(np.float32)


def padded(rng: np.random.Generator, batch: int, length: int, rows: int, pad: int,
           min_len: int = 1, low: int = 0) -> Tuple[np.ndarray, np.ndarray]:
    """(batch, length) ids in [low, rows) with a valid prefix of min_len..length per row and `pad`
    after it; returns (ids, lengths)."""
    lengths = rng.integers(min_len, length + 1, size=batch).astype(np.int64)
    out = np.full((batch, length), pad, dtype=np.int64)
    for b, n in enumerate(lengths):
        out[b, :n] = rng.integers(low, rows, size=n)
    return out, lengths
