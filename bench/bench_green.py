"""Benchmark: green analysis of a 1-minute year and pvlib modelling of a 15-minute year.

Run: ``.venv/bin/python bench/bench_green.py``. Targets (issue 5): green analysis
(:func:`analytics.green.analyze_green` + :func:`green_temperature` + both JSON sections,
two TOU bills included) of a 1-min year ≤ 1 s; pvlib clear-sky modelling of a 15-min year
(:func:`analytics.green.pv.model_pv`, the reference clear-sky year included) ≤ 2 s. Prints a
Markdown table; exits 1 when a target is missed. Not a unit test.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd
from _timing import median_max

from analytics.green import (
    analyze_green,
    cities,
    green_section,
    green_temperature,
    green_temperature_section,
    model_pv,
)
from analytics.iotools import make_frame
from analytics.tou import classify_periods, default_tariffs_for

REPEATS = 5


def _time(fn) -> tuple[float, float]:
    return median_max(fn, REPEATS)


def main() -> int:
    city = cities()["nanjing"]
    idx1 = pd.date_range("2025-01-01", periods=525_600, freq="1min", tz="Asia/Shanghai")
    rng = np.random.default_rng(5)
    load = make_frame(pd.Series(rng.uniform(5.0, 40.0, len(idx1)), index=idx1), 1)
    pv1, _ = model_pv(
        idx1,
        kwp=1000,
        lat=city.lat,
        lon=city.lon,
        specific_yield_kwh_per_kwp=city.yield_kwh_per_kwp,
    )
    tariffs = default_tariffs_for(load)  # loaded once, as the page caches it

    def green() -> None:
        # the classification is part of one analysis (analyze() makes it once)
        r = analyze_green(
            load, pv1, periods=classify_periods(load.index, tariffs), target_share=0.3
        )
        green_section(r)
        green_temperature_section(green_temperature(r, idle_share=0.2))

    idx15 = pd.date_range("2025-01-01", periods=35_040, freq="15min", tz="Asia/Shanghai")

    def model() -> None:
        model_pv(
            idx15,
            kwp=1000,
            lat=city.lat,
            lon=city.lon,
            specific_yield_kwh_per_kwp=city.yield_kwh_per_kwp,
        )

    rows = [
        ("green analysis, 1-min year (525,600 intervals, PV on the same grid)", green, 1.0),
        ("pvlib clear-sky model, 15-min year (35,040 intervals)", model, 2.0),
    ]
    print("| case | median [s] | max [s] | target [s] | status |")
    print("|---|---|---|---|---|")
    ok = True
    for name, fn, target in rows:
        fn()  # warm-up (imports, caches)
        med, mx = _time(fn)
        status = "OK" if med <= target else "SLOW"
        ok &= status == "OK"
        print(f"| {name} | {med:.3f} | {mx:.3f} | ≤ {target:.1f} | {status} |")
    print(f"\nmedian of {REPEATS} runs after one warm-up")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
