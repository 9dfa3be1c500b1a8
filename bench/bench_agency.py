"""Benchmark: pricing a 15-min year month by month with agency tables vs the preset bill.

Run: ``.venv/bin/python bench/bench_agency.py``. Baseline in the same run: classify + bill
under the Jiangsu presets in force. Agency case: building the 12 month versions
(:func:`analytics.tou.agency.agency_versions`) + classify + bill. Target: ≤ 2× the baseline
(12 versions instead of 2 mean 12 classification passes over month-sized slices).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pandas as pd
from _timing import median_max

from analytics.iotools import make_frame
from analytics.tou import bill, classify_periods, default_tariffs_for
from analytics.tou.agency import agency_tables, agency_versions, rule_versions

REPEATS = 7
TARGET_RATIO = 2.0


def _frame() -> pd.DataFrame:
    idx = pd.date_range("2025-01-01", periods=35_040, freq="15min", tz="Asia/Shanghai")
    rng = np.random.default_rng(7)
    return make_frame(pd.Series(rng.uniform(100.0, 900.0, len(idx)), index=idx), 15)


def main() -> int:
    frame = _frame()
    presets = default_tariffs_for(frame)
    tables = agency_tables("jiangsu")
    rules = rule_versions(tables)

    def baseline() -> object:
        return bill(frame, periods=classify_periods(frame.index, presets))

    def agency() -> object:
        versions = agency_versions(frame.index, rules, tables).versions
        return bill(frame, periods=classify_periods(frame.index, versions))

    base, base_max = median_max(baseline, REPEATS)
    ag, ag_max = median_max(agency, REPEATS)
    ratio = ag / base
    print(f"rows: {len(frame):,} (15-min year)")
    print(
        f"preset bill (2 versions)          {base:.3f} s (median of {REPEATS}, max {base_max:.3f} s)"
    )
    print(f"agency by month (12 versions)     {ag:.3f} s (median of {REPEATS}, max {ag_max:.3f} s)")
    status = "OK" if ratio <= TARGET_RATIO else "SLOW"
    print(f"ratio {ratio:.2f}× (target ≤ {TARGET_RATIO}×): {status}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
