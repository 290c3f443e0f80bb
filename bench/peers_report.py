"""Tables and bench/RESULTS.md for bench/peers.py (standard library only)."""
import math
import re


def fmt_ms(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return '—'
    return f'{v:.4f}' if v < 0.1 else f'{v:.3f}' if v < 10 else f'{v:.1f}'


def fmt_ratio(v):
    return f'{v:.2f}×' if v >= 0.1 else f'{v:.2g}×'


def fmt_rate(v):
    return f'{v:,.0f}' if v >= 100 else f'{v:.1f}'


def fmt_si(v, unit):
    for scale, prefix in ((1e9, 'G'), (1e6, 'M'), (1e3, 'k')):
        if v >= scale:
            return f'{v / scale:.2f} {prefix}{unit}'
    return f'{v:.0f} {unit}'


def unstable(res) -> bool:
    """Round medians more than 1.5x apart: the machine's load changed during the measurement."""
    medians = res.get('round_medians_ms') or []
    return res.get('status') == 'ok' and len(medians) >= 3 and max(medians) > 1.5 * min(medians)


def main_table(rows) -> str:
    out = ['| model | batch | threads | engine | avg ms | p50 ms | p99 ms | inferences/s | samples/s | throughput recinfer/engine | p99 recinfer/engine |',
           '|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|']
    for row in rows:
        ref = row['engines'].get('recinfer', {})
        for name, res in row['engines'].items():
            head = f"| {row['model']} | {row['batch'] if row['batch'] is not None else '?'} | {row['threads']} | {name} |"
            if res['status'] != 'ok':
                out.append(f"{head} {res['status']}: {res['error']} | | | | | | |")
                continue
            if name == 'recinfer' or ref.get('status') != 'ok':
                ratio = '— | —'
            else:
                ratio = f"{fmt_ratio(ref['inf_per_s'] / res['inf_per_s'])} | {fmt_ratio(ref['p99_ms'] / res['p99_ms'])}"
            p99 = fmt_ms(res['p99_ms']) + ('~' if res.get('p99_approx') else '')
            p50 = fmt_ms(res['p50_ms']) + (' †' if unstable(res) else '')
            out.append(f"{head} {fmt_ms(res['avg_ms'])} | {p50} | {p99} | "
                       f"{fmt_rate(res['inf_per_s'])} | {fmt_rate(res['samples_per_s'])} | {ratio} |")
    return '\n'.join(out)


def summary_table(rows) -> str:
    peers = [n for n in ('onnxruntime', 'pytorch', 'recinfer (no passes)') if any(n in r['engines'] for r in rows)]
    out = ['| model | threads | recinfer p50 ms |' + ''.join(f' throughput vs {p} |' for p in peers),
           '|---|---:|---:|' + '---:|' * len(peers)]
    for row in rows:
        ref = row['engines'].get('recinfer', {})
        cells = []
        for p in peers:
            res = row['engines'].get(p, {})
            ok = ref.get('status') == 'ok' and res.get('status') == 'ok'
            cells.append(fmt_ratio(ref['inf_per_s'] / res['inf_per_s']) if ok else
                         res['status'] if res.get('status', 'ok') != 'ok' else '—')
        p50 = fmt_ms(ref['p50_ms']) if ref.get('status') == 'ok' else ref.get('status', '—')
        out.append(f"| {row['model']} | {row['threads']} | {p50} |" + ''.join(f' {c} |' for c in cells))
    return '\n'.join(out)


def short_error(error: str) -> str:
    """'unsupported op A, B' from recinfer's load error, else the error's first 80 characters."""
    ops = list(dict.fromkeys(re.findall(r'unsupported op (\w+)', error)))
    return f"unsupported op{'s' if len(ops) > 1 else ''} {', '.join(ops)}" if ops else error[:80]


def median_ratio_table(rows) -> str:
    """Per model and thread count: recinfer's and each peer's p50 (median of the round medians)
    and the ratio peer p50 / recinfer p50 (above 1: recinfer is faster)."""
    peers = [n for n in ('onnxruntime', 'pytorch') if any(n in r['engines'] for r in rows)]
    out = ['| model | threads | recinfer p50 ms |' + ''.join(f' {p} p50 ms | {p} / recinfer |' for p in peers),
           '|---|---:|---:|' + '---:|---:|' * len(peers)]
    for row in rows:
        ref = row['engines'].get('recinfer', {})
        ok_ref = ref.get('status') == 'ok'
        cells = []
        for p in peers:
            res = row['engines'].get(p, {})
            if res.get('status') != 'ok':
                cells += [res.get('status', '—'), '—']
            else:
                cells += [fmt_ms(res['p50_ms']), fmt_ratio(res['p50_ms'] / ref['p50_ms']) if ok_ref else '—']
        first = fmt_ms(ref['p50_ms']) if ok_ref else f"{ref.get('status', '—')}: {short_error(ref.get('error', ''))}"
        out.append(f"| {row['model']} | {row['threads']} | {first} |" + ''.join(f' {c} |' for c in cells))
    return '\n'.join(out)


def roofline_rows(rows, work, peaks, l3) -> list:
    """Tables that fit in L3 are held to the cache-resident gather peak, larger ones to the
    DRAM peak (the better of 4 KiB and huge pages)."""
    if not peaks or not work:
        return []
    gemm = peaks['gemm']['gflops'] * 1e9
    out = []
    for row in rows:
        if row['threads'] != 1 or row['model'] not in work:
            continue
        w = work[row['model']]
        cached = 'gather_cached' in peaks and w.get('table_bytes', l3 + 1) <= l3
        gather = peaks['gather_cached']['bytes_per_s'] if cached else peaks['gather_bytes_per_s']
        t_gemm, t_gather = w['flops'] / gemm, w['gather_bytes'] / gather
        floor = max(t_gemm, t_gather)
        entry = {'model': row['model'], 'flops': w['flops'], 'gather_bytes': w['gather_bytes'],
                 'table_bytes': w.get('table_bytes'), 'gather_peak': 'cache' if cached else 'DRAM',
                 'gemm_floor_ms': t_gemm * 1e3, 'gather_floor_ms': t_gather * 1e3, 'roofline_ms': floor * 1e3,
                 'bound': 'GEMM' if t_gemm >= t_gather else 'gather', 'fraction': {}, 'p50_ms': {}}
        for name, res in row['engines'].items():
            if res['status'] == 'ok':
                entry['p50_ms'][name] = res['p50_ms']
                entry['fraction'][name] = floor * 1e3 / res['p50_ms']
        out.append(entry)
    return out


def roofline_table(entries) -> str:
    peers = [n for n in ('onnxruntime', 'pytorch') if any(n in e['fraction'] for e in entries)]
    out = ['| model | FLOPs/inf | gathered/inf (tables, peak) | GEMM floor µs | gather floor µs | roofline µs (bound) | recinfer p50 ms | '
           'fraction of roofline: recinfer | ' + ' | '.join(peers) + ' |',
           '|---|---:|---:|---:|---:|---:|---:|---:|' + '---:|' * len(peers)]
    for e in entries:
        frac = lambda n: f"{e['fraction'][n]:.1%}" if n in e['fraction'] else '—'
        p50 = fmt_ms(e['p50_ms']['recinfer']) if 'recinfer' in e['p50_ms'] else '—'
        tables = fmt_si(e['table_bytes'], 'B') if e.get('table_bytes') is not None else '?'
        out.append(f"| {e['model']} | {fmt_si(e['flops'], 'FLOP')} | {fmt_si(e['gather_bytes'], 'B')} ({tables}, {e['gather_peak']}) | "
                   f"{e['gemm_floor_ms'] * 1e3:.1f} | {e['gather_floor_ms'] * 1e3:.1f} | "
                   f"{e['roofline_ms'] * 1e3:.1f} ({e['bound']}) | {p50} | {frac('recinfer')} | "
                   + ' | '.join(frac(p) for p in peers) + ' |')
    return '\n'.join(out)


def peaks_text(peaks) -> str:
    if not peaks:
        return 'Machine peaks: not measured.'
    g4, gh, gc = peaks['gather_4k_pages'], peaks['gather_huge_pages'], peaks.get('gather_cached')
    cached = (f"; from a cache-resident {gc['table_bytes'] / 2**20:.0f} MiB table {gc['gb_per_s']:.2f} GB/s "
              f"(the peak for models whose tables fit in L3)") if gc else ''
    return (f"Machine peaks (1 thread, `recinfer roofline`): GEMM {peaks['gemm']['gflops']:.1f} GFLOP/s "
            f"(dnnl_sgemm {peaks['gemm']['size']}³, best of {peaks['gemm']['runs']}); random 256-byte row gathers "
            f"from a {g4['table_bytes'] / 2**30:.0f} GiB table {g4['gb_per_s']:.2f} GB/s with 4 KiB pages, "
            f"{gh['gb_per_s']:.2f} GB/s with huge pages (best with rows prefetched {gh.get('prefetch_distance', 0)} ids ahead; "
            f"DRAM peak: the better, {peaks['gather_bytes_per_s'] / 1e9:.2f} GB/s)"
            f"{cached}.")


def pressure(v):
    return 'n/a' if v is None else f'{v:.0f}%'


def write_results(path, report, command):
    m, v = report['machine'], report['versions']
    notes = '\n'.join(f'- {n}' for n in report['all_notes'])
    text = f"""# Peer benchmark results

Generated by `{command}` on {report['date']} (wall time {report['wall_s'] / 60:.1f} min).
The method is described in `bench/peers.py`'s docstring and in the README's "Peer benchmark" section.

**Machine:** {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, Linux {m['kernel']}, transparent huge pages `{m['thp']}`;
load average {m['loadavg_start']:.1f} at the start and {m['loadavg_end']:.1f} at the end, CPU pressure (PSI some, avg60)
{pressure(m.get('cpu_pressure_start'))} → {pressure(m.get('cpu_pressure_end'))}: other work shares these two cores, so absolute times are noisy; the ratios come from
alternating rounds under the same conditions.
**Versions:** recinfer {v['recinfer']}; ONNX Runtime {v.get('onnxruntime', 'n/a')} (onnxruntime-node, graphOptimizationLevel all,
intraOpNumThreads = threads, interOpNumThreads 1, sequential); PyTorch {v.get('pytorch', 'n/a')} eager (BLAS: `{v.get('torch_blas', 'n/a')}`).
**Protocol:** {report['protocol']}

## Latency and throughput

Ratios are recinfer / engine: throughput above 1× and p99 below 1× mean recinfer is ahead.
p50 = median of the per-round medians; p99 over all timed inferences pooled; throughput = 1000 / avg.

{report['table']}

### At a glance

{report['summary']}

## Roofline (1 thread)

{report['peaks_text']}

FLOPs and gathered bytes per inference are counted on the PyTorch model with forward hooks (Linear
2·rows·in·out; functional bmm/matmul 2·out·K; Embedding/EmbeddingBag ids × dim × 4 bytes), for the
same inputs. Roofline time = max(FLOPs / GEMM peak, bytes / gather bandwidth); fraction = roofline
time / p50. Elementwise, compare, reduce, TopK and Unique work is not in the floor. The FLOPs are
those of the model as written: an engine that skips work can pass 100% (recinfer's
broadcast-row-hoisting multiplies coarse_rank's broadcast user/context columns once instead of in
each of its 400 rows, about half of the model's written FLOPs).

{report['roofline_table'] or 'Not available (needs PyTorch for the work counts and `recinfer roofline`).'}

## Notes

{notes}
"""
    with open(path, 'w') as f:
        f.write(text)
