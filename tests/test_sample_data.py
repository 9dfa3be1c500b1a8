"""The bundled demo enterprise (sample_data/): shape, calendar, PV, the GBK 96-point export,
and that ``sample_data/generate.py`` reproduces the committed files byte for byte."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np
import pandas as pd
import pytest

from tests.conftest import ROOT

SAMPLE = ROOT / "sample_data"
LOAD = SAMPLE / "sunan_load_2025_15min.csv"
PV = SAMPLE / "sunan_pv_2025_15min.csv"
RUNS = SAMPLE / "sunan_production_runs_2025.csv"
WIDE = SAMPLE / "sunan_load_2025_96point_gbk.csv"
FILES = (LOAD, PV, RUNS, WIDE)

INTERVALS_2025 = 365 * 96  # 35,040
PV_KWP = 1200.0


@pytest.fixture(scope="module")
def load() -> pd.Series:
    df = pd.read_csv(LOAD, parse_dates=["timestamp"])
    assert list(df.columns) == ["timestamp", "energy_kwh"]
    return df.set_index("timestamp")["energy_kwh"]


@pytest.fixture(scope="module")
def pv() -> pd.Series:
    df = pd.read_csv(PV, parse_dates=["timestamp"])
    assert list(df.columns) == ["timestamp", "pv_energy_kwh"]
    return df.set_index("timestamp")["pv_energy_kwh"]


@pytest.fixture(scope="module")
def runs() -> pd.DataFrame:
    df = pd.read_csv(RUNS, parse_dates=["start", "end"])
    assert list(df.columns) == ["line", "start", "end", "units", "product", "movable"]
    return df


def _generator():
    spec = importlib.util.spec_from_file_location("sunan_generate", SAMPLE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["load", "pv"])
def test_long_files_cover_2025_on_a_regular_15_minute_grid(name, load, pv):
    s = {"load": load, "pv": pv}[name]
    assert len(s) == INTERVALS_2025
    expected = pd.date_range("2025-01-01 00:00", "2025-12-31 23:45", freq="15min")
    assert (s.index == expected).all()  # interval starts, no gaps, no duplicates
    assert s.notna().all()
    assert (s >= 0).all()


def test_load_peak_and_base_are_plausible_for_a_5000_kva_site(load):
    kw = load * 4  # kWh per 15 min → average kW
    assert 3000 <= kw.max() <= 5000
    assert 300 <= kw.quantile(0.05) <= 500
    # the load follows production: working-day afternoons far above the night base
    assert (
        kw["2025-07-15 14:00":"2025-07-15 21:45"].mean()
        > 3 * kw["2025-07-15 00:00":"2025-07-15 05:45"].mean()
    )


def test_runs_follow_the_2025_official_calendar(runs):
    day = runs["start"].dt.normalize()
    worked = set(day.dt.strftime("%Y-%m-%d"))
    # 调休 make-up days (Sun Jan 26, Sat Feb 8, Sun Apr 27, Sun Sep 28, Sat Oct 11) are worked
    assert {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"} <= worked
    # Spring Festival (incl. the factory's longer break), National Day, Labour Day: no runs
    for off in (
        "2025-01-28",
        "2025-02-01",
        "2025-02-04",
        "2025-02-06",
        "2025-10-01",
        "2025-10-08",
        "2025-05-01",
        "2025-01-01",
    ):
        assert off not in worked, off


def test_runs_are_well_formed_and_drive_the_load(runs, load):
    assert (runs["end"] > runs["start"]).all()
    assert (runs["units"] > 0).all()
    assert set(runs["line"]) == {"L1", "L2", "L3"}
    assert runs["movable"].dtype == bool
    assert not runs.loc[runs["line"] == "L1", "movable"].any()  # stamping is fixed
    assert runs.loc[runs["line"] == "L2", "movable"].all()  # moulding batches are movable
    # a run's line power shows in every interval it covers: production intervals ≫ base
    kw = load * 4
    covered = np.zeros(len(kw), dtype=bool)
    t0 = kw.index[0]
    for a, b in zip(
        (runs["start"] - t0) // pd.Timedelta("15min"),
        (runs["end"] - t0) // pd.Timedelta("15min"),
        strict=True,
    ):
        covered[a:b] = True
    assert kw[covered].min() > 600
    assert kw[~covered].max() < 900


def test_pv_yield_and_night(pv):
    yield_kwh_per_kwp = pv.sum() / PV_KWP
    assert 1000 <= yield_kwh_per_kwp <= 1200
    hour = pv.index.hour
    assert (pv[(hour < 4) | (hour >= 20)] == 0).all()
    assert pv.max() * 4 <= PV_KWP  # never above nameplate


def test_96_point_gbk_export_matches_the_long_file(load):
    raw = WIDE.read_bytes()
    text = raw.decode("gbk")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert text.splitlines()[0].startswith("苏南精密制造有限公司 96点负荷曲线 2025年")
    wide = pd.read_csv(WIDE, encoding="gbk", skiprows=1, dtype={"户号": str})
    labels = [f"{m // 60:02d}:{m % 60:02d}" for m in range(15, 24 * 60 + 1, 15)]
    assert list(wide.columns) == ["户号", "户名", "日期", "数据类型", *labels]
    assert len(wide) == 365
    assert (wide["数据类型"] == "有功功率(kW)").all()
    assert (wide["户名"] == "苏南精密制造有限公司").all()
    assert list(wide["日期"]) == list(
        pd.date_range("2025-01-01", "2025-12-31").strftime("%Y-%m-%d")
    )
    # end labels: row date d, column "00:15" = interval 00:00–00:15 of d; "24:00" = 23:45–24:00 of d
    kwh_from_wide = wide[labels].to_numpy().ravel() / 4
    np.testing.assert_allclose(kwh_from_wide, load.to_numpy(), rtol=1e-9, atol=1e-12)


def test_generator_reproduces_the_committed_files(tmp_path):
    gen = _generator()
    assert gen.main(["--out-dir", str(tmp_path)]) == 0
    for f in FILES:
        assert (tmp_path / f.name).read_bytes() == f.read_bytes(), f.name
