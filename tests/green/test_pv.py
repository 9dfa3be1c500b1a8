"""PV input: modelled with pvlib (yield, solar noon), measured through the importer (SERF)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from analytics.findings import InputError
from analytics.green.pv import align_pv, cities, model_pv, model_pv_weather
from analytics.iotools.frame import make_frame
from analytics.iotools.load import ImportOptions
from analytics.iotools.pv import clip_negative, read_pv, read_weather
from tests.conftest import TEST_DATA

SERF = TEST_DATA / "pv_serf_east_2016_15min.csv"
NANJING = cities()["nanjing"]


def _year(freq: str, tz: str = "Asia/Shanghai") -> pd.DatetimeIndex:
    return pd.date_range(
        "2025-01-01", "2026-01-01", freq=freq, tz=tz, inclusive="left", name="interval_start"
    )


def _centroid_hours(day: pd.Series, minutes: int) -> float:
    """Energy-weighted mean local clock time of the interval midpoints [h]."""
    mid = day.index + pd.Timedelta(minutes=minutes / 2)
    h = np.asarray(mid.hour + mid.minute / 60, dtype=float)
    return float((day.to_numpy() * h).sum() / day.sum())


def _transit_hours(date: str, lat: float, lon: float, tz: str) -> float:
    t = pvlib.solarposition.sun_rise_set_transit_spa(
        pd.DatetimeIndex([pd.Timestamp(date, tz=tz)]), lat, lon
    )["transit"].iloc[0]
    return t.hour + t.minute / 60 + t.second / 3600


@pytest.mark.parametrize("freq", ["15min", "60min"])
def test_nanjing_1_mwp_year_lands_within_3_percent_of_the_default_yield(freq: str) -> None:
    frame, warnings = model_pv(
        _year(freq),
        kwp=1000,
        lat=NANJING.lat,
        lon=NANJING.lon,
        specific_yield_kwh_per_kwp=NANJING.yield_kwh_per_kwp,
    )
    # 1000 kWp × 1150 kWh/kWp = 1,150,000 kWh ± 3 %
    assert frame["kwh"].sum() == pytest.approx(1_150_000, rel=0.03)
    assert warnings == []
    assert frame["kwh"].min() >= 0 and not frame["kwh"].isna().any()


@pytest.mark.parametrize("date", ["2025-03-20", "2025-06-21", "2025-12-21"])
def test_modelled_profile_peaks_at_local_solar_noon(date: str) -> None:
    idx = pd.date_range(date, periods=96, freq="15min", tz="Asia/Shanghai")
    frame, _ = model_pv(
        idx, kwp=1000, lat=NANJING.lat, lon=NANJING.lon, specific_yield_kwh_per_kwp=1150
    )
    noon = _transit_hours(date, NANJING.lat, NANJING.lon, "Asia/Shanghai")  # ≈ 12:00–12:12
    assert abs(_centroid_hours(frame["kwh"], 15) - noon) < 5 / 60
    peak = frame["kwh"].idxmax()
    start_h = peak.hour + peak.minute / 60
    assert start_h <= noon < start_h + 0.25 + 1e-9 or abs(start_h + 0.125 - noon) < 0.25


def test_interval_start_convention_is_not_shifted_by_an_hour() -> None:
    # hourly intervals: the 12:00 interval (12:00–13:00) and the 11:00 one straddle noon at
    # ~12:07 (Nanjing, March): they hold about equal energy, far more than 10:00 or 13:00.
    idx = pd.date_range("2025-03-20", periods=24, freq="60min", tz="Asia/Shanghai")
    kwh = model_pv(idx, kwp=1, lat=NANJING.lat, lon=NANJING.lon, specific_yield_kwh_per_kwp=1150)[
        0
    ]["kwh"]
    assert kwh.iloc[11] == pytest.approx(kwh.iloc[12], rel=0.05)
    assert kwh.iloc[11] > kwh.iloc[10] and kwh.iloc[12] > kwh.iloc[13]


def test_unscaled_clear_sky_and_unusual_yield_warn() -> None:
    idx = pd.date_range("2025-06-01", periods=96, freq="15min", tz="Asia/Shanghai")
    _, w = model_pv(idx, kwp=10, lat=32, lon=118.8)
    assert [x.code for x in w] == ["pv.clear_sky_unscaled"]
    _, w = model_pv(idx, kwp=10, lat=32, lon=118.8, specific_yield_kwh_per_kwp=2000)
    assert [x.code for x in w] == ["pv.yield_unusual"]


@pytest.mark.parametrize(
    ("name", "value"), [("kwp", 0), ("lat", 95), ("tilt_deg", -1), ("losses", 1.0)]
)
def test_bad_parameters_raise(name: str, value: float) -> None:
    kwargs = dict(kwp=10, lat=32.0, lon=118.8, tilt_deg=20.0, losses=0.14)
    kwargs[name] = value
    with pytest.raises(InputError) as err:
        model_pv(_year("60min")[:24], **kwargs)
    assert err.value.code == "pv.bad_parameter"
    assert err.value.params["parameter"] == name


def test_serf_measured_watts_with_minus_7_offset_import() -> None:
    frame, report = read_pv(SERF, options=ImportOptions(tz="Etc/GMT+7", unit="W"))
    assert (report.kind, report.unit, report.source_offset) == ("power", "W", "-07:00")
    assert report.label_convention == "start" and report.interval_minutes == 15
    # first row 2016-07-01 00:00:00-07:00 = 07:00 UTC
    assert frame.index[0] == pd.Timestamp("2016-07-01 07:00", tz="UTC")
    assert str(frame.index.tz) == "Etc/GMT+7"
    raw = pd.read_csv(SERF)
    # energy = W / 1000 × 0.25 h; the maximum 5426.4 W → 1.3566 kWh
    assert frame["kwh"].max() == pytest.approx(raw["ac_power"].max() / 1000 * 0.25)
    n_neg = int((raw["ac_power"] < 0).sum())
    # the clip finding comes last in the reader's report
    assert (report.warnings[-1].code, report.warnings[-1].count) == ("pv.negative_clipped", n_neg)
    assert [w.code for w in report.warnings].count("pv.negative_clipped") == 1
    # one negative-value message for PV: the clip (issue 12 dropped the importer's "kept as they
    # are" import.negative from the PV report, which contradicted it)
    assert "import.negative" not in report.warning_codes
    assert frame["kwh"].min() == 0.0
    # the measured profile sits around local solar noon (the east array leans a little to
    # the morning), not an hour or seven hours off
    mid = frame.index + pd.Timedelta(minutes=7.5)
    k = frame["kwh"].fillna(0).to_numpy()
    centroid = float((k * np.asarray(mid.hour + mid.minute / 60, dtype=float)).sum() / k.sum())
    noon = _transit_hours("2016-08-15", 39.74, -105.18, "Etc/GMT+7")  # Golden, CO ≈ 12:04
    assert abs(centroid - noon) < 0.75


def test_clip_negative_reports_energy() -> None:
    idx = pd.date_range("2025-01-01", periods=3, freq="15min", tz="Asia/Shanghai")
    f, w = clip_negative(make_frame(pd.Series([-0.5, 2.0, -0.25], index=idx), 15))
    assert list(f["kwh"]) == [0.0, 2.0, 0.0]
    assert [(x.code, x.count, dict(x.params)) for x in w] == [
        ("pv.negative_clipped", 2, {"kwh": 0.75})
    ]


def test_align_pv_spreads_sums_and_reports_coverage() -> None:
    h = pd.date_range("2025-01-01 10:00", periods=2, freq="60min", tz="Asia/Shanghai")
    hourly = make_frame(pd.Series([4.0, 8.0], index=h), 60)
    q = pd.date_range("2025-01-01 09:45", periods=10, freq="15min", tz="Asia/Shanghai")
    s, w = align_pv(hourly, q)
    # 4 kWh over 10:00–11:00 → 1 kWh per quarter; 09:45 is outside the PV span
    assert list(s) == [0, 1, 1, 1, 1, 2, 2, 2, 2, 0]
    assert [(x.code, x.count) for x in w] == [("pv.not_covering", 2)]
    quarters = make_frame(pd.Series([1.0, 1, 1, 1, 2, 2, 2, np.nan], index=q[1:9]), 15)
    s, w = align_pv(quarters, h)
    # 10:00 hour: 1+1+1+1 = 4; 11:00 hour has a missing quarter → missing → 0 with a warning
    assert list(s) == [4.0, 0.0]
    assert [(x.code, x.count) for x in w] == [("pv.missing_intervals", 1)]


def test_weather_file_route_tmy3() -> None:
    path = Path(pvlib.__file__).parent / "data" / "723170TYA.CSV"  # Greensboro NC TMY3
    weather, weather_report = read_weather(path.read_bytes(), file_name=path.name)
    idx = pd.date_range("2025-01-01", "2026-01-01", freq="60min", tz="Etc/GMT+5", inclusive="left")
    frame, w = model_pv_weather(idx, weather, kwp=1.0)
    assert [x.code for x in w] == ["pv.weather_typical_year"]
    # a real-weather year in North Carolina: ~1,200–1,600 kWh/kWp
    assert 1_100 < frame["kwh"].sum() < 1_700
    with pytest.raises(InputError) as err:
        read_weather(b"not a weather file", file_name="x.csv")
    assert err.value.code == "pv.weather_unreadable"


def test_sample_pv_is_plausible() -> None:
    # issue 12: the sample's PV (kWh per 15 min, Asia/Shanghai) peaks at 896.18 kW (< 1,000 kW
    # for a kW/kWh label) and centres on 11:58 local: neither pv.unit_suspect nor pv.zone_suspect
    from tests.conftest import SAMPLE

    _, report = read_pv(SAMPLE / "sunan_pv_2025_15min.csv")
    assert [w.code for w in report.warnings] == []


def test_largest_daily_pv_sum_counts_local_days_and_skips_empty_ones() -> None:
    """The unit check's largest daily sum: days are local calendar days (a DST zone too),
    a day with no value is left out, NaN intervals add nothing (worked by hand)."""
    from analytics.iotools.pv import _max_daily_kwh

    idx = pd.date_range("2025-03-08 22:00", periods=8, freq="h", tz="America/New_York")
    # local: 8 Mar 22:00, 23:00 | 9 Mar 00:00, 01:00, 03:00 (02:00 skipped: DST), 04:00 … 06:00
    kwh = np.array([1.0, 2.0, np.nan, 4.0, 5.0, 0.5, 0.25, 0.125])
    assert _max_daily_kwh(idx, kwh) == 4.0 + 5.0 + 0.5 + 0.25 + 0.125  # 9 Mar: 9.875
    assert np.isnan(_max_daily_kwh(idx[:3][2:], np.array([np.nan])))
    shuffled = np.array([3, 0, 7, 1, 5, 2, 6, 4])  # not sorted: the per-day pandas sum
    assert _max_daily_kwh(idx[shuffled], kwh[shuffled]) == 9.875
    rng = np.random.default_rng(7)
    year = _year("15min", "Europe/Berlin")
    values = rng.uniform(0, 50, len(year))
    values[rng.random(len(year)) < 0.05] = np.nan
    by_pandas = pd.Series(values, index=year.tz_localize(None).normalize()).groupby(level=0)
    expected = float(by_pandas.sum(min_count=1).max())
    assert _max_daily_kwh(year, values) == pytest.approx(expected, rel=1e-12)
