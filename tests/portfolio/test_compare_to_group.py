"""One enterprise against its industry: :func:`analytics.portfolio.benchmarking.compare_to_group`."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics.findings import InputError
from analytics.portfolio.benchmarking import benchmarks, compare_to_group, enterprise_figures


def _table() -> pd.DataFrame:
    """Four textiles enterprises with a value, one failed textiles row, one of food."""
    return pd.DataFrame(
        {
            "enterprise_id": ["e1", "e2", "e3", "e4", "e5", "f1"],
            "industry": ["textiles"] * 5 + ["food"],
            "province": ["Jiangsu"] * 6,
            "energy_kwh": [1000.0, 1000.0, 1000.0, 1000.0, 1000.0, 1000.0],
            "pv_self_consumed_kwh": [0.0, 100.0, None, 300.0, 900.0, 50.0],
            "peak_sharp_energy_share": [0.2, 0.4, 0.6, 0.8, 0.99, 0.1],
            "load_factor": [0.5, 0.6, 0.7, 0.8, 0.9, 0.3],
            "sec_kwh_per_unit": [None, 2.0, 3.0, None, 9.0, 1.0],
            "error": [None, None, None, None, "import.bad", None],
        }
    )


def test_an_outside_enterprise_is_ranked_among_the_industry() -> None:
    figures = {
        "sec_kwh_per_unit": math.nan,  # no production file
        "peak_sharp_energy_share": 0.5,
        "load_factor": 0.6,
        "renewable_share_now": 0.25,
    }
    out = compare_to_group(_table(), figures, group_value="textiles", min_group=5).set_index(
        "metric"
    )
    # peers: e1–e4 (e5 has an error code, f1 is food)
    # peak share: peers 0.2, 0.4, 0.6, 0.8 + 0.5 → 0.5 is 3rd of 5 → pct 3/5 = 0.6;
    # median of the peers = (0.4 + 0.6) / 2 = 0.5; n = 4 + 1 = 5
    assert out.loc["peak_sharp_energy_share", "pct"] == pytest.approx(0.6)
    assert out.loc["peak_sharp_energy_share", "median"] == pytest.approx(0.5)
    assert out.loc["peak_sharp_energy_share", "n"] == 5
    # load factor: peers 0.5, 0.6, 0.7, 0.8 + 0.6 → the two 0.6 share ranks 2 and 3 → 2.5 / 5
    assert out.loc["load_factor", "pct"] == pytest.approx(0.5)
    assert out.loc["load_factor", "median"] == pytest.approx(0.65)
    # renewable share now = pv_self / energy: e1 0, e2 0.1, e3 0 (no PV value), e4 0.3 + 0.25
    # → sorted 0, 0, 0.1, 0.25, 0.3: 0.25 is 4th of 5 → 0.8; median (0 + 0.1) / 2 = 0.05
    assert out.loc["renewable_share_now", "pct"] == pytest.approx(0.8)
    assert out.loc["renewable_share_now", "median"] == pytest.approx(0.05)
    # SEC: no value of its own → no percentile; n = peers with SEC (e2, e3) = 2; median 2.5
    assert math.isnan(out.loc["sec_kwh_per_unit", "pct"])
    assert out.loc["sec_kwh_per_unit", "n"] == 2
    assert out.loc["sec_kwh_per_unit", "median"] == pytest.approx(2.5)
    assert list(out.index) == [
        "sec_kwh_per_unit",
        "peak_sharp_energy_share",
        "load_factor",
        "renewable_share_now",
    ]


def test_a_member_of_the_table_gets_its_benchmark_percentile() -> None:
    table = _table()
    figures = enterprise_figures(table, "e3")
    assert figures["renewable_share_now"] == 0.0  # no PV value counts as none held
    out = compare_to_group(
        table, figures, group_value="textiles", enterprise_id="e3", min_group=3
    ).set_index("metric")
    # peak share: peers e1, e2, e4 (0.2, 0.4, 0.8) + e3's 0.6 → 3rd of 4 = 0.75; n = 4;
    # the median of the peers without e3 = 0.4
    assert out.loc["peak_sharp_energy_share", "pct"] == pytest.approx(0.75)
    assert out.loc["peak_sharp_energy_share", "median"] == pytest.approx(0.4)
    assert out.loc["peak_sharp_energy_share", "n"] == 4
    # the same figure as benchmarks() gives e3 within its industry
    bench = benchmarks(table, min_group=3).set_index("enterprise_id")
    for metric in ("peak_sharp_energy_share", "load_factor", "renewable_share_now"):
        assert out.loc[metric, "pct"] == pytest.approx(bench.loc["e3", f"{metric}_pct_industry"])
    # SEC: e2 2.0 + e3 3.0 → n = 2 < 3: no percentile
    assert math.isnan(out.loc["sec_kwh_per_unit", "pct"])


def test_a_small_group_and_an_unknown_enterprise() -> None:
    out = compare_to_group(_table(), {"load_factor": 0.4}, group_value="food")
    # food: f1 only + the enterprise = 2 < 5 → no percentile, median = f1's 0.3
    out = out.set_index("metric")
    assert math.isnan(out.loc["load_factor", "pct"])
    assert out.loc["load_factor", "n"] == 2
    assert out.loc["load_factor", "median"] == pytest.approx(0.3)
    with pytest.raises(InputError) as err:
        enterprise_figures(_table(), "nobody")
    assert err.value.code == "demo.unknown_enterprise"
