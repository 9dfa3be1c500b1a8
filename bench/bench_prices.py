"""Benchmark: pricing a 15-min year (35,040 intervals) under an hourly price series vs its TOU bill.

Run: ``.venv/bin/python bench/bench_prices.py``. Target (issue 13): the series' pricing stays
within 2× the time of the TOU bill of the same year, both timed in the same run.

- baseline: the TOU bill as the analysis computes it — :func:`classify_periods` (calendar,
  versions, periods, prices) + :func:`bill`;
- series: :func:`market_bill` (price in force at each interval's start by ``searchsorted``,
  the coverage check, Σ kWh × price; the demand charge taken from the TOU bill);
- package: :func:`package_bill` with the TOU reference and the hourly series linked;
- also shown, not in the target: reading the 8,760-row series CSV (:func:`read_series`), which
  the page caches by the file's sha256 and the CLI does once.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd

from analytics.iotools import make_frame
from analytics.tou import (
    bill,
    classify_periods,
    default_tariffs_for,
    market_bill,
    package_bill,
    parse_package,
    read_series,
    resolve_package,
)

TARGET_RATIO = 2.0
from _timing import median_max  # noqa: E402  (bench/ is on sys.path as the script's folder)

REPEATS = 9
SERIES = (
    Path(__file__).resolve().parents[1] / "sample_data/prices/hourly_price_2025_illustrative.csv"
)


def _frame() -> pd.DataFrame:
    idx = pd.date_range("2025-01-01", periods=35_040, freq="15min", tz="Asia/Shanghai")
    rng = np.random.default_rng(13)
    kwh = pd.Series(rng.uniform(50.0, 900.0, len(idx)), index=idx)
    kwh.iloc[rng.choice(len(idx), 200, replace=False)] = np.nan  # a few gaps
    return make_frame(kwh, 15)


def main() -> int:
    frame = _frame()
    tariffs = default_tariffs_for(frame)
    series = read_series(SERIES)
    spec = parse_package(
        'reference = "tou"\nlinked_share = 0.15\nlinked_series = "s.csv"\n'
        "adder_cny_per_kwh = 0.005\n",
        file="bench.toml",
    )
    package = resolve_package(spec, lambda rel, key: series)
    periods = classify_periods(frame.index, tariffs)
    tou = bill(frame, periods=periods)

    med_tou, max_tou = median_max(
        lambda: bill(frame, periods=classify_periods(frame.index, tariffs)), REPEATS
    )
    med_s, max_s = median_max(lambda: market_bill(frame, series, tou), REPEATS)
    med_p, max_p = median_max(lambda: package_bill(frame, periods, package, tou), REPEATS)
    med_r, _ = median_max(lambda: read_series(SERIES), 3)
    ratio = med_s / med_tou
    print(f"rows: {len(frame):,} (15-min year); series: {len(series.prices):,} hourly prices")
    print(f"TOU bill (classify + bill)   {med_tou * 1e3:8.2f} ms (median of {REPEATS}, "
          f"max {max_tou * 1e3:.2f})")  # fmt: skip
    print(f"series pricing (market)      {med_s * 1e3:8.2f} ms (max {max_s * 1e3:.2f}) "
          f"ratio {ratio:.3f}×")  # fmt: skip
    print(f"package pricing (TOU ref.)   {med_p * 1e3:8.2f} ms (max {max_p * 1e3:.2f}) "
          f"ratio {med_p / med_tou:.3f}×")  # fmt: skip
    print(f"read the series CSV (once)   {med_r * 1e3:8.2f} ms (median of 3; cached by sha256)")
    status = "OK" if ratio <= TARGET_RATIO else "SLOW"
    print(f"target series ≤ {TARGET_RATIO}× the TOU bill: {status} ({ratio:.3f}×)")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
