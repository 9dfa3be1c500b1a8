"""The fast ingest path: identical to the full importer where it reads, else it steps aside."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from analytics.portfolio.fastpath import fast_parse, looks_long
from analytics.portfolio.store import parse_file
from analytics.portfolio.synthetic import long_csv, make_enterprise, wide_gbk_csv

YEAR = 2025


def _csv(starts: pd.DatetimeIndex, kwh: np.ndarray, col: str = "energy_kwh") -> bytes:
    return (
        pd.DataFrame({"timestamp": starts.strftime("%Y-%m-%d %H:%M:%S"), col: kwh})
        .to_csv(index=False, float_format="%.4f")
        .encode()
    )


def _year() -> pd.DatetimeIndex:
    return pd.date_range(f"{YEAR}-01-01", f"{YEAR + 1}-01-01", freq="15min", inclusive="left")


def _load() -> np.ndarray:
    rng = np.random.default_rng(3)
    n = len(_year())
    return 50 + 20 * np.sin(np.arange(n) / 96 * 2 * np.pi) + rng.uniform(0, 5, n)


def _same(kind: str, data: bytes, **kw: str) -> None:
    fast = fast_parse(kind, data, file_name="f.csv", **kw)
    full = parse_file(kind, data, file_name="f.csv", **kw)
    assert fast is not None
    pd.testing.assert_frame_equal(fast.frame, full.frame, check_exact=True)
    assert fast.frame.index.freq == full.frame.index.freq
    assert fast.report == full.report
    assert fast.warnings == full.warnings
    assert (fast.sha256, fast.options, fast.interval_minutes) == (
        full.sha256,
        full.options,
        full.interval_minutes,
    )


@pytest.mark.parametrize("i", [0, 5, 7])
def test_synthetic_long_load_and_pv_parse_identically(i: int) -> None:
    ent = make_enterprise(i, shapes=("long",))
    _same("load", long_csv(ent.load_kw, YEAR))
    if ent.pv_kw is not None:  # the PV plausibility findings included
        _same("pv", long_csv(ent.pv_kw, YEAR, "pv_energy_kwh"))


def test_a_part_year_at_30_minutes_in_another_zone_parses_identically() -> None:
    starts = pd.date_range("2025-03-01", "2025-05-01", freq="30min", inclusive="left")
    kwh = 10 + np.cos(np.arange(len(starts)) / 48 * 2 * np.pi)
    _same("load", _csv(starts, kwh), tz="Asia/Tokyo")
    _same("load", _csv(starts, kwh), labels="start")


@cache
def _variants() -> dict[str, bytes]:
    year, kwh = _year(), _load()
    gap = np.ones(len(year), bool)
    gap[100:104] = False
    spike = kwh.copy()
    spike[500] = 1e5
    neg = kwh.copy()
    neg[10] = -1.0
    end = year + pd.Timedelta(minutes=15)  # 00:15 … next 00:00: end labels by the rule
    dst = pd.date_range("2025-03-01", "2025-04-30", freq="15min", inclusive="left")
    register = np.cumsum(kwh) + 1e5
    text = _csv(year, kwh).decode().splitlines()
    text[2000] = text[2000].replace(" ", "T")  # another timestamp form late in the file
    holed = _csv(year, kwh).decode().splitlines()
    holed[3000] = holed[3000].split(",")[0] + ","  # an empty value cell
    return {
        "gaps": _csv(year[gap], kwh[gap]),
        "spike": _csv(year, spike),
        "negative": _csv(year, neg),
        "end_labels": _csv(end, kwh),
        "dst_zone": _csv(dst, kwh[: len(dst)]),
        "register": _csv(year, register),
        "mixed_forms": ("\n".join(text) + "\n").encode(),
        "footer": _csv(year, kwh) + b"total,123\n",
        "empty_cell": ("\n".join(holed) + "\n").encode(),
        "wide_gbk": wide_gbk_csv(make_enterprise(1), YEAR),
    }


@pytest.mark.parametrize("name", list(_variants()))
def test_what_the_importer_must_judge_goes_to_the_importer(name: str) -> None:
    data = _variants()[name]
    tz = "Europe/Berlin" if name == "dst_zone" else "Asia/Shanghai"
    assert fast_parse("load", data, file_name=f"{name}.csv", tz=tz) is None


def test_the_shape_test_reads_only_the_head() -> None:
    assert looks_long(_csv(_year()[:100], _load()[:100]))
    assert not looks_long(wide_gbk_csv(make_enterprise(1), YEAR))
    assert not looks_long(b"time;kwh\n2025-01-01 00:00:00;1\n")
