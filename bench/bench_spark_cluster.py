"""Benchmark: the Spark engine on a standalone cluster started here vs the local engine.

Standalone script (not a unit test), prints a Markdown table::

    .venv/bin/python bench/bench_spark_cluster.py --sizes 24,200

For each size: a seeded synthetic portfolio (one enterprise-year each, 15 min, mixed shapes)
is ingested; then, in one run, the local engine screens the workspace (2 processes, the
baseline) and a Spark standalone cluster on this machine (one master, one worker with
2 cores and 1 GB, :func:`analytics.portfolio.spark.standalone_cluster`) screens the Parquet
export of it (:func:`analytics.portfolio.export_parquet`, timed apart). The cluster is
started once for all sizes (its start is reported, not counted). Both tables must be equal.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from analytics.portfolio import export_parquet, generate, ingest, screen_local
    from analytics.portfolio.spark import CLUSTER_CONF, screen_spark_export, standalone_cluster

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="24,200", help="enterprise-years per run")
    args = ap.parse_args()
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    rows = []
    with tempfile.TemporaryDirectory(prefix="greentemp-bench-cluster-") as d:
        t0 = time.perf_counter()
        with standalone_cluster(Path(d) / "cluster", python_path=str(ROOT)) as url:
            start_s = time.perf_counter() - t0
            for n in (int(s) for s in args.sizes.split(",")):
                base = Path(d) / f"n{n}"
                manifest = generate(base / "exports", n, seed=2025, workers=2)
                ws = base / "ws.duckdb"
                assert not any(o.failed for o in ingest(manifest, ws, workers=2))
                t1 = time.perf_counter()
                local = screen_local(ws, workers=2)
                t2 = time.perf_counter()
                export_parquet(ws, base / "shared")
                t3 = time.perf_counter()
                spark = screen_spark_export(base / "shared", master=url, conf=CLUSTER_CONF)
                t4 = time.perf_counter()
                pd.testing.assert_frame_equal(spark, local)
                rows.append((n, t2 - t1, t3 - t2, t4 - t3))
    print(f"cluster start (master + worker registered): {start_s:.1f} s; master {url}\n")
    print(
        "| enterprise-years | local screen [s] | Parquet export [s] | cluster screen [s] "
        "| cluster per enterprise [ms] | cluster / local |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for n, local_s, export_s, spark_s in rows:
        print(
            f"| {n:,} | {local_s:.1f} | {export_s:.1f} | {spark_s:.1f} | "
            f"{1000 * spark_s / n:.0f} | {spark_s / local_s:.1f}× |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
