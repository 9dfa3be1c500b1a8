"""Benchmark: import + load statistics for one year at 15 min and at 1 min.

Each case runs in a fresh subprocess so its peak RSS (``ru_maxrss``) is its own.
The input is a generated long CSV (``timestamp,energy_kwh``, interval starts,
naive local times) written once to ``bench/out/``; the timing covers reading the
file from disk, detection, validation, the canonical frame and ``load_stats``.
Best of 3 runs inside the process (the first run warms imports and caches).

Usage: ``python bench/bench_import.py`` (prints a Markdown table).
"""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).parent / "out"
ROOT = Path(__file__).resolve().parent.parent
CASES = {"15-min year (35,040 rows)": 15, "1-min year (525,600 rows)": 1}


def make_file(minutes: int) -> Path:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"load_2025_{minutes}min.csv"
    if path.exists():
        return path
    idx = pd.date_range("2025-01-01", "2025-12-31 23:59", freq=f"{minutes}min")
    rng = np.random.default_rng(7)
    hours = idx.hour.to_numpy() + idx.minute.to_numpy() / 60
    kw = 400 + 2500 * ((hours >= 8) & (hours < 24)) + rng.normal(0, 50, len(idx)).clip(-300, 300)
    kwh = np.round(kw * minutes / 60, 3)
    pd.DataFrame({"timestamp": idx.strftime("%Y-%m-%d %H:%M:%S"), "energy_kwh": kwh}).to_csv(
        path, index=False
    )
    return path


def run_case(path: str) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from analytics.iotools import read_load
    from analytics.tou import load_stats

    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        frame, _report = read_load(Path(path))
        load_stats(frame)
        times.append(time.perf_counter() - t0)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"best_s": min(times), "first_s": times[0], "rows": len(frame), "peak_rss_mb": rss_mb}


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        print(json.dumps(run_case(sys.argv[2])))
        return 0
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"Python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}"
    )
    print("| case | best of 3 [s] | first run [s] | peak RSS [MB] |")
    print("|---|---:|---:|---:|")
    for name, minutes in CASES.items():
        path = make_file(minutes)
        res = json.loads(
            subprocess.run(
                [sys.executable, __file__, "--case", str(path)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        print(
            f"| import + load stats, {name} | {res['best_s']:.3f} | {res['first_s']:.3f} | {res['peak_rss_mb']:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
