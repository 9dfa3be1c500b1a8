"""Benchmark: the least-cost procurement LP of a 15-minute year, against the green analysis.

Run: ``.venv/bin/python bench/bench_procurement.py``. Target (issue 14): the procurement of a
15-min year (35,040 intervals aggregated to 8,760 hours, then the exact MILP by HiGHS LPs,
shadow prices included) ≤ 2 s. The baseline in the same run is the bare green analysis
(:func:`analytics.green.analyze_green`) of the same year; the ratio is printed. The pvlib
profile per kWp is computed once outside the timed solve (its own row). Prints a Markdown
table; exits 1 when a target is missed. Not a unit test.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
from _timing import median_max

from analytics.green import analyze_green, cities, hourly_profiles, model_pv, solve_procurement
from analytics.iotools import ImportOptions, read_load, read_pv
from analytics.tou import classify_periods, default_tariffs_for

REPEATS = 5
ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    load, _ = read_load(ROOT / "sample_data" / "sunan_load_2025_15min.csv", options=ImportOptions())
    pv, _ = read_pv(ROOT / "sample_data" / "sunan_pv_2025_15min.csv", options=ImportOptions())
    periods = classify_periods(load.index, default_tariffs_for(load))
    wuxi = cities()["wuxi"]

    def baseline() -> None:
        analyze_green(load, pv, periods=periods, target_share=0.3)

    g = analyze_green(load, pv, periods=periods, target_share=0.3)
    f = g.balance.intervals

    def per_kwp() -> pd.DataFrame:
        return model_pv(
            f.index,
            kwp=1.0,
            lat=wuxi.lat,
            lon=wuxi.lon,
            specific_yield_kwh_per_kwp=wuxi.yield_kwh_per_kwp,
        )[0]

    y = per_kwp()["kwh"]
    price = pd.Series(periods.price_cny_per_kwh, index=periods.index)

    def solve(**kw) -> None:
        prof = hourly_profiles(
            f["consumption_kwh"], yield_kwh_per_kwp=y, price_cny_per_kwh=price, pv_kwh=f["pv_kwh"]
        )
        solve_procurement(prof, held_kwh=g.balance.pv_self_consumed_kwh, **kw)

    rows = [
        ("baseline: green analysis, 15-min year (analyze_green)", baseline, None),
        ("pvlib profile per kWp, 15-min year (model_pv, once per plan)", per_kwp, None),
        ("procurement, target 30 %, direct line chosen", lambda: solve(target_share=0.3), 2.0),
        (
            "procurement, target 80 % (GECs in the mix, made whole)",
            lambda: solve(target_share=0.8),
            2.0,
        ),
        (
            "procurement, target 30 %, no direct line offered",
            lambda: solve(target_share=0.3, direct_line="off"),
            2.0,
        ),
        (
            "procurement, target 30 % + hourly 40 %",
            lambda: solve(target_share=0.3, hourly_target=0.4),
            2.0,
        ),
        (
            "procurement, direct line forced (CBAM scenario)",
            lambda: solve(target_share=0.3, direct_line="force"),
            2.0,
        ),
    ]
    print("| case | median [s] | max [s] | × baseline | target [s] | status |")
    print("|---|---|---|---|---|---|")
    ok = True
    base = None
    for name, fn, target in rows:
        fn()  # warm-up (imports, caches)
        med, mx = median_max(fn, REPEATS)
        base = med if base is None else base
        status = "—" if target is None else ("OK" if med <= target else "SLOW")
        ok &= status != "SLOW"
        tgt = "—" if target is None else f"≤ {target:.1f}"
        print(f"| {name} | {med:.3f} | {mx:.3f} | {med / base:.1f} | {tgt} | {status} |")
    print(f"\nmedian of {REPEATS} runs after one warm-up")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
