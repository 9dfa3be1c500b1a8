"""Benchmark: TOU classification + bill of a 1-minute year (525,600 intervals).

Run: ``.venv/bin/python bench/bench_tariff.py``. Target (issue 3): ≤ 0.5 s on the 2-core
machine. The tariff files are loaded before timing (the page caches them); the calendar
lookups, classification and the bill are timed together, as the page and the CLI run them.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd

from analytics.iotools import make_frame
from analytics.tou import bill, classify, default_tariffs_for, get_tariff

TARGET_S = 0.5
from _timing import median_max  # noqa: E402  (bench/ is on sys.path as the script's folder)

REPEATS = 7


def _frame() -> pd.DataFrame:
    idx = pd.date_range("2025-01-01", periods=525_600, freq="1min", tz="Asia/Shanghai")
    rng = np.random.default_rng(42)
    kwh = pd.Series(rng.uniform(0.5, 20.0, len(idx)), index=idx)
    kwh.iloc[rng.choice(len(idx), 1000, replace=False)] = np.nan  # a few gaps
    return make_frame(kwh, 1)


def _time(fn) -> tuple[float, float]:
    return median_max(fn, REPEATS)


def main() -> int:
    frame = _frame()
    cases = {
        "jiangsu (2 versions, 2025-05-31 | 2025-06-01)": default_tariffs_for(frame),
        "shanghai (sharp + 2 holiday rules)": [
            get_tariff("shanghai_large_industrial_10kv_2024_28")
        ],
    }
    worst = 0.0
    print(f"rows: {len(frame):,} (1-min year, {int(frame['kwh'].isna().sum())} missing)")
    for name, tariffs in cases.items():
        med_c, _ = _time(lambda t=tariffs: classify(frame.index, t))
        med_b, max_b = _time(lambda t=tariffs: (classify(frame.index, t), bill(frame, t)))
        worst = max(worst, med_b)
        print(f"{name:48s} classify {med_c:.3f} s | classify + bill {med_b:.3f} s "
              f"(median of {REPEATS}, max {max_b:.3f} s)")  # fmt: skip
    status = "OK" if worst <= TARGET_S else "SLOW"
    print(f"target ≤ {TARGET_S} s: {status} (worst median {worst:.3f} s)")
    return 0 if worst <= TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
