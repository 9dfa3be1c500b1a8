"""Benchmark: ingest + screen of synthetic portfolios (10, 100, 1,000 enterprise-years, 15 min).

Standalone script (not a unit test), prints a Markdown table::

    .venv/bin/python bench/bench_portfolio.py                    # 10, 100, 1000; local engine
    .venv/bin/python bench/bench_portfolio.py --sizes 10,100 --spark

Each size runs in a fresh subprocess so its peak RSS is its own: ``main`` is the peak RSS of
the process that ingests and screens (DuckDB included), ``worker`` the largest peak of a pool
worker (``getrusage(RUSAGE_CHILDREN)``); the process tree's peak is at most main + 2 × worker
on this 2-core machine. Generation (seeded, mixed shapes: 50 % long CSV, 40 % GBK 96-point,
10 % XLSX; ~35 % with PV, ~20 % with production runs) is timed but excluded from the total.
Targets (issue 8): 1,000 enterprise-years ≤ 60 s end to end, peak RSS ≤ 2 GB, cost per
enterprise flat within ±20 % from 100 to 1,000. ``--spark`` adds the Spark engine on
``local[2]`` (session start included).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,100,1000")
    ap.add_argument("--spark", action="store_true", help="also time the Spark engine on local[2]")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one is not None:
        print(json.dumps(_one(args.one, args.spark, args.workers)))
        return 0
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
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
