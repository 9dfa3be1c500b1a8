"""Benchmark: production alignment + metrics + daily regression, and the load-shift optimiser.

Run: ``.venv/bin/python bench/bench_production.py``. Targets (issue 4): alignment + metrics +
daily regression of a 15-min year with 10 lines ≤ 1 s; the shift optimiser for one month of
200 movable runs ≤ 10 s. Imports (statsmodels, scipy) are warmed up before timing; tariff
files are loaded before timing (the page caches them). Prints a Markdown table.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd

from analytics.iotools import ProductionData, make_frame
from analytics.production import (
    ShiftOptions,
    align,
    energy_regression,
    optimise_shift,
    production_metrics,
)
from analytics.tou import classify, classify_periods, default_tariffs_for

TZ = "Asia/Shanghai"
REPEATS = 5


def _factory(days: int, lines: int, runs_per_day: int, movable: bool, seed: int = 1):
    """``lines`` lines, each with ``runs_per_day`` 2–4 h runs a day on the 15-min grid."""
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2025-07-01", periods=days * 96, freq="15min", tz=TZ)
    kw = np.full(len(idx), 300.0)
    rec = []
    for ln in range(lines):
        p = 100.0 + 50 * ln
        for d in range(days):
            t = 6 * 4  # from 06:00
            for _ in range(runs_per_day):
                length = int(rng.integers(8, 17))
                s = d * 96 + t
                e = s + length
                if t + length > 96:
                    break
                kw[s:e] += p
                rec.append(
                    (
                        f"L{ln + 1}",
                        idx[s],
                        idx[e - 1] + pd.Timedelta(minutes=15),
                        float(length * 10),
                        movable,
                        len(rec) + 2,
                    )
                )
                t += length + int(rng.integers(0, 8))
    kw *= 1 + rng.normal(0, 0.02, len(kw))
    frame = make_frame(pd.Series(kw / 4, index=idx), 15)
    seg = pd.DataFrame(rec, columns=["line", "start", "end", "units", "movable", "row"])
    seg["product"] = ""
    data = ProductionData(
        "runs",
        seg[["line", "start", "end", "units", "product", "movable", "row"]],
        None,
        TZ,
        "bench.csv",
    )
    return frame, data


def _time(fn, repeats: int = REPEATS) -> tuple[float, float, object]:
    runs, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), max(runs), out


def main() -> int:
    rows = []
    frame, data = _factory(365, 10, 3, movable=False)
    tariffs = default_tariffs_for(frame)
    energy_regression(frame, align(frame, data))  # warm statsmodels

    def core():
        a = align(frame, data)
        m = production_metrics(frame, a, classify(frame.index, tariffs), data)
        r = energy_regression(frame, a)
        return m, r

    med, worst, _ = _time(core)
    rows.append(
        (
            "align + metrics + daily regression",
            f"{len(frame):,} intervals, 10 lines, {len(data.segments):,} runs",
            med,
            worst,
            1.0,
        )
    )

    mframe, mdata = _factory(31, 4, 2, movable=True, seed=2)
    mdata.segments["movable"] = np.arange(len(mdata.segments)) < 200  # 200 movable runs
    ma = align(mframe, mdata)
    mt = classify_periods(mframe.index, default_tariffs_for(mframe))  # once, as analyze() does
    n_mov = int(mdata.segments["movable"].sum())
    for label, opts in (
        ("shift, energy cost only (proven optimal)", ShiftOptions(include_demand=False)),
        ("shift, energy + demand charge (time limit 8 s)", ShiftOptions(time_limit_s=8.0)),
    ):
        med, worst, res = _time(lambda o=opts: optimise_shift(mframe, mdata, ma, mt, o), repeats=1)
        rows.append(
            (
                label,
                f"1 month, {n_mov} movable runs, status {res.status}, "
                f"gap {res.mip_gap:.2%}, saving {res.saving_cny:,.0f} CNY",
                med,
                worst,
                10.0,
            )
        )

    print("| case | size | median s | max s | target s | status |")
    print("|---|---|---|---|---|---|")
    ok = True
    for name, size, med, worst, target in rows:
        fine = med <= target
        ok &= fine
        print(
            f"| {name} | {size} | {med:.3f} | {worst:.3f} | {target:g} | {'OK' if fine else 'SLOW'} |"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
