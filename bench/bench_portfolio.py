"""Benchmark: ingest + screen of synthetic portfolios against a bare pass (issue 16), and the
mixed-shape runs of issue 8.

Standalone script (not a unit test), prints Markdown tables::

    .venv/bin/python bench/bench_portfolio.py              # 200 and 1,000 long-CSV enterprise-years
    .venv/bin/python bench/bench_portfolio.py --big        # … and 10,000 (≈ 25 min, ~15 GB on disk)
    .venv/bin/python bench/bench_portfolio.py --mixed --sizes 10,100,1000 --spark   # issue 8

Long-CSV runs (default): a seeded portfolio of long CSVs (load, ~35 % with PV, ~20 % with
production runs; generation excluded) is read twice in one run, each in a fresh subprocess:
the **bare pass** (pyarrow reads each file, numpy prices each load under a 3-band TOU table,
2 processes: the parse-and-price limit of the machine) and GreenTemp's ``portfolio ingest`` +
``portfolio screen`` (local engine, 2 workers). It prints both times and their ratio (target
≤ 3×), the cost per enterprise and the peak RSS of the process tree (psutil, sampled every
0.1 s: the main process and its pool workers together; target < 4 GB at 10,000).

Each size runs in a fresh subprocess so its peak RSS is its own: ``main`` is the peak RSS of
the process that ingests and screens (DuckDB included), ``worker`` the largest peak of a pool
worker (``getrusage(RUSAGE_CHILDREN)``); the process tree's peak is at most main + 2 × worker
on this 2-core machine. Generation (seeded, mixed shapes: 50 % long CSV, 40 % GBK 96-point,
10 % XLSX; ~35 % with PV, ~20 % with production runs) is timed but excluded from the total.
Mixed runs (``--mixed``), targets of issue 8: 1,000 enterprise-years ≤ 60 s end to end, peak RSS ≤ 2 GB, cost per
enterprise flat within ±20 % from 100 to 1,000. ``--spark`` adds the Spark engine on
``local[2]`` (session start included).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _one(n: int, spark: bool, workers: int) -> dict[str, float]:
    from analytics.portfolio import generate, ingest, screen_local

    with tempfile.TemporaryDirectory(prefix="greentemp-bench-") as d:
        t0 = time.perf_counter()
        manifest = generate(d, n, seed=2025, workers=workers)
        t1 = time.perf_counter()
        ws = Path(d) / "ws.duckdb"
        outcomes = ingest(manifest, ws, workers=workers)
        t2 = time.perf_counter()
        table = screen_local(ws, workers=workers)
        t3 = time.perf_counter()
        assert not any(o.failed for o in outcomes) and table["error"].isna().all()
        out = {
            "n": n,
            "files": len(outcomes),
            "generate_s": t1 - t0,
            "ingest_s": t2 - t1,
            "screen_s": t3 - t2,
            "total_s": t3 - t1,
            "intervals": int(sum(o.new for o in outcomes if o.kind == "load")),
            "ws_mb": ws.stat().st_size / 1e6,
            "main_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        }
        if spark:
            from analytics.portfolio import screen_spark

            t4 = time.perf_counter()
            st = screen_spark(ws, master="local[2]")
            out["spark_s"] = time.perf_counter() - t4
            assert len(st) == n
    return out


#: The bare pass's 3-band table: hour of day → price [CNY/kWh] (illustrative flat/peak/valley).
BARE_BANDS = np.array([0.3] * 8 + [1.0] * 4 + [0.65] * 5 + [1.0] * 4 + [0.65] * 3)


def _bare_file(path: str) -> float:
    """Read one file with pyarrow; price a load under :data:`BARE_BANDS` [CNY] (0 for others)."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    table = pacsv.read_csv(path)
    if "_load_" not in path:
        return 0.0
    ts = table.column(0).cast(pa.timestamp("s")).to_numpy().astype("datetime64[s]").astype(np.int64)
    hour = (ts // 3600 + 8) % 24  # Asia/Shanghai wall-clock hour
    return float(np.dot(table.column(1).to_numpy(), BARE_BANDS[hour]))


def _bare(files: list[str], workers: int) -> float:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        return sum(pool.map(_bare_file, files, chunksize=16))


class PeakRss:
    """Peak RSS of this process and its children [bytes], sampled in a thread."""

    def __init__(self, every_s: float = 0.1) -> None:
        import threading

        import psutil

        self.peak = 0
        self._stop = threading.Event()
        self._me = psutil.Process()
        self._every = every_s
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        import psutil

        total = 0
        for p in [self._me, *self._me.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self._every)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _progress_every(label: str, step_s: float = 30.0):
    last = [0.0]

    def cb(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] >= step_s or done == total:
            last[0] = now
            print(f"{label}: {done}/{total}", file=sys.stderr, flush=True)

    return cb


def _cpu_s() -> float:
    """CPU seconds (user + system) of this process and its exited, waited-for children: on a
    shared machine the CPU a pass needs drifts far less than its wall time."""
    me, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _long_run(n: int, workers: int, data: str | None, phase: str) -> dict[str, float]:
    """One phase in this (fresh) process: ``generate``, ``bare`` or ``greentemp``."""
    from analytics.portfolio import generate, ingest, screen

    d = Path(data)
    manifest = d / "manifest.csv"
    if phase == "generate":
        t0 = time.perf_counter()
        if not manifest.is_file():
            generate(d, n, seed=2025, shapes=("long",), workers=workers)
        return {"generate_s": time.perf_counter() - t0}
    files = sorted(str(d / p) for p in pd.read_csv(manifest)["path"])
    if phase == "bare":
        with PeakRss() as mem:
            c0, t0 = _cpu_s(), time.perf_counter()
            _bare(files, workers)
            t, c = time.perf_counter() - t0, _cpu_s() - c0
        return {"bare_s": t, "bare_cpu_s": c, "bare_rss_mb": mem.peak / 1e6, "files": len(files)}
    ws = Path(data) / "ws.duckdb"
    for old in Path(data).glob("ws.duckdb*"):
        old.unlink()
    from analytics.portfolio.ingestion import shutdown_pools

    with PeakRss() as mem:
        c0, t0 = _cpu_s(), time.perf_counter()
        outcomes = ingest(manifest, ws, workers=workers, progress=_progress_every("ingest"))
        t1 = time.perf_counter()
        table = screen(ws, workers=workers, progress=_progress_every("screen"))
        shutdown_pools()  # the kept workers exit here, so their CPU time is counted
        t2, c = time.perf_counter(), _cpu_s() - c0
    assert not any(o.failed for o in outcomes) and table["error"].isna().all()
    assert len(table) == n
    out = {
        "ingest_s": t1 - t0,
        "screen_s": t2 - t1,
        "total_s": t2 - t0,
        "cpu_s": c,
        "rss_mb": mem.peak / 1e6,
        "ws_mb": ws.stat().st_size / 1e6,
        "intervals": int(sum(o.new for o in outcomes if o.kind == "load")),
    }
    ws.unlink()
    return out


def _phase(args: argparse.Namespace, n: int, data: str, phase: str) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--long-one", str(n), "--workers", str(args.workers)]
    cmd += ["--data", data, "--phase", phase]
    res = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if res.returncode:
        raise SystemExit(f"{phase} {n} failed")
    return json.loads(res.stdout.strip().splitlines()[-1])


def long_main(args: argparse.Namespace) -> int:
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [200, 1000]
    if args.big:
        sizes.append(10_000)
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="greentemp-bench-", dir=args.tmp) as tmp:
            data = args.keep or tmp
            if args.keep:
                data = str(Path(args.keep) / f"n{n}")
            r = {"n": n, **_phase(args, n, data, "generate")}
            r |= _phase(args, n, data, "bare")
            r |= _phase(args, n, data, "greentemp")
            rows.append(r)
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, "
        f"Python {platform.python_version()}; {args.workers} processes for both passes\n"
    )
    head = (
        "| enterprise-years | files | load intervals | bare pass [s] | ingest [s] | screen [s] "
        "| ingest + screen [s] | ratio to bare | per enterprise [ms] | peak RSS [MB] "
        "| workspace [MB] | CPU bare / GreenTemp [s] | CPU ratio |"
    )
    print(head)
    print("|" + "|".join(["---:"] * (head.count("|") - 1)) + "|")
    for r in rows:
        print(
            f"| {r['n']:,} | {r['files']:,} | {r['intervals']:,} | {r['bare_s']:.1f} "
            f"| {r['ingest_s']:.1f} | {r['screen_s']:.1f} | {r['total_s']:.1f} "
            f"| **{r['total_s'] / r['bare_s']:.1f}×** | {1000 * r['total_s'] / r['n']:.1f} "
            f"| {r['rss_mb']:,.0f} | {r['ws_mb']:,.0f} "
            f"| {r['bare_cpu_s']:.1f} / {r['cpu_s']:.1f} | {r['cpu_s'] / r['bare_cpu_s']:.1f}× |"
        )
    print(f"\nLoad average when done: {os.getloadavg()[0]:.1f} (2 cores: above 2, passes wait)")
    per = {r["n"]: r["total_s"] / r["n"] for r in rows}
    if 1000 in per and 10_000 in per:
        print(
            f"\nCost per enterprise, 10,000 vs 1,000: {per[10_000] / per[1000] - 1:+.0%} "
            "(target within ±20 %)"
        )
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=None, help="default: 200,1000 (long); 10,100,1000 (mixed)")
    ap.add_argument("--big", action="store_true", help="long runs: add 10,000 enterprise-years")
    ap.add_argument("--mixed", action="store_true", help="the mixed-shape runs of issue 8")
    ap.add_argument("--keep", default=None, help="long runs: keep generated files under KEEP")
    ap.add_argument("--tmp", default=None, help="folder for the generated files (default: TMPDIR)")
    ap.add_argument("--long-one", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--data", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--phase", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--spark", action="store_true", help="also time the Spark engine on local[2]")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one is not None:
        print(json.dumps(_one(args.one, args.spark, args.workers)))
        return 0
    if args.long_one is not None:
        print(json.dumps(_long_run(args.long_one, args.workers, args.data, args.phase)))
        return 0
    if not args.mixed:
        return long_main(args)
    rows = []
    for n in (int(s) for s in (args.sizes or "10,100,1000").split(",")):
        cmd = [sys.executable, __file__, "--one", str(n), "--workers", str(args.workers)]
        cmd += ["--spark"] if args.spark else []
        res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if res.returncode:
            print(res.stderr[-3000:], file=sys.stderr)
            return 1
        rows.append(json.loads(res.stdout.strip().splitlines()[-1]))
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, "
        f"Python {platform.python_version()}; local engine with {args.workers} workers\n"
    )
    head = (
        "| enterprise-years | files | load intervals | generate [s] | ingest [s] | screen [s] "
        "| ingest+screen [s] | per enterprise [ms] | peak RSS main / worker [MB] "
        "| workspace [MB] |" + (" spark local[2] screen [s] |" if args.spark else "")
    )
    print(head)
    print("|" + "|".join(["---"] * (head.count("|") - 1)) + "|")
    for r in rows:
        line = (
            f"| {r['n']:,} | {r['files']:,} | {r['intervals']:,} | {r['generate_s']:.1f} "
            f"| {r['ingest_s']:.1f} | {r['screen_s']:.1f} | {r['total_s']:.1f} "
            f"| {1000 * r['total_s'] / r['n']:.0f} | {r['main_rss_mb']:.0f} / "
            f"{r['worker_rss_mb']:.0f} | {r['ws_mb']:.0f} |"
        )
        if args.spark:
            line += f" {r['spark_s']:.1f} |"
        print(line)
    by_n = {r["n"]: 1000 * r["total_s"] / r["n"] for r in rows}
    if 100 in by_n and 1000 in by_n:
        print(
            f"\nCost per enterprise, 1,000 vs 100: {by_n[1000] / by_n[100] - 1:+.0%} "
            "(target within ±20 %)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
