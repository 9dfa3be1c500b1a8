"""Hostile production and PV inputs: numeric state codes, mixed zones, PV units and zones,
and the shift's physical validity (issue 12). Every case states its exact outcome."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics.findings import InputError
from analytics.iotools import ImportOptions, ProductionData, read_pv
from analytics.iotools.frame import make_frame
from analytics.iotools.production import ProductionOptions, parse_state_map, read_production
from analytics.production.metrics import align, analyze_production
from analytics.tou import classify_periods
from analytics.tou.tariff import get_tariff
from tests.conftest import ROOT

TZ = "Asia/Shanghai"
SERF = ROOT / "tests" / "data" / "pv_serf_east_2016_15min.csv"
PRE = get_tariff("jiangsu_large_industrial_1_10kv_pre2025")

# a state log with numeric codes: rows 2–5 (row 1 is the header), 15-minute windows
STATES = (
    b"timestamp,machine,state,items\n"
    b"2025-03-03 08:00,M1,1.0,5\n"  # row 2 running
    b"2025-03-03 08:15,M1,2.0,0\n"  # row 3 stopped (code 2)
    b"2025-03-03 08:30,M1,3.0,0\n"  # row 4 stopped (code 3)
    b"2025-03-03 08:45,M1,1.0,5\n"  # row 5 running
)


def _load(day: str = "2025-03-03", kw: float = 100.0) -> pd.DataFrame:
    idx = pd.date_range(day, periods=96, freq="15min", tz=TZ)
    return make_frame(pd.Series(kw * 0.25, index=idx), 15)


def _raises(fn) -> InputError:
    with pytest.raises(InputError) as err:
        fn()
    return err.value


# ------------------------------------------------------------------ 1–7 machine-state codes
def test_01_numeric_states_without_a_map_raise_one_error() -> None:
    e = _raises(lambda: read_production(STATES, file_name="states.csv"))
    # "1.0" normalises to "1", a running word; "2.0" (row 3) is the first code no word covers
    assert (e.code, e.file, e.row, e.column) == ("production.state_codes", "states.csv", 3, "state")
    assert e.params["states"] == "1, 2, 3"  # every distinct numeric code found
    assert e.params["suggestion"] == "1=running,2=stopped,3=stopped"
    assert e.params["text"] == "2.0"


def test_02_a_state_map_reads_the_codes() -> None:
    opts = ProductionOptions(state_map=parse_state_map("1=running,2=stopped,3=stopped"))
    data, report = read_production(STATES, file_name="states.csv", options=opts)
    # rows 2 and 5 run: two 15-min segments of 5 items each = 10 units
    assert data.segments["row"].tolist() == [2, 5] and data.units == 10.0
    assert report.warnings == []


def test_03_a_state_missing_from_the_map_raises() -> None:
    opts = ProductionOptions(state_map={"1": "running", "2": "stopped"})
    e = _raises(lambda: read_production(STATES, file_name="states.csv", options=opts))
    assert (e.code, e.row, e.column) == ("production.state_unmapped", 4, "state")
    assert (e.params["states"], e.params["text"]) == ("3", "3.0")


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("1=running,2", "2"),  # no "="
        ("1=on", "1=on"),  # not running/stopped
        ("=running", "=running"),  # no state
        ("1=running,1.0=stopped", "1.0=stopped"),  # "1.0" is "1", given two meanings
        (" , ", " , "),  # nothing
    ],
)
def test_04_bad_state_map_text_names_the_pair(text: str, pair: str) -> None:
    e = _raises(lambda: parse_state_map(text))
    assert (e.code, e.params["pair"]) == ("production.bad_state_map", pair)


def test_05_state_map_text_normalises_codes_and_case() -> None:
    assert parse_state_map(" 1.0 = Running ; 2=STOPPED,3=stopped") == {
        "1": "running",
        "2": "stopped",
        "3": "stopped",
    }


def test_06_a_bad_map_option_is_refused_before_the_file_is_read() -> None:
    # the bytes are no production file, but the option is checked first
    opts = ProductionOptions(state_map={"1": "go"})
    e = _raises(lambda: read_production(b"\x00garbage", file_name="x.csv", options=opts))
    assert (e.code, e.file, e.params["pair"]) == ("production.bad_state_map", "x.csv", "1=go")


def test_07_a_log_that_never_runs_analyses_without_a_traceback() -> None:
    # before issue 12 an empty segment table was naive and align() raised a TypeError
    opts = ProductionOptions(state_map=parse_state_map("1=stopped,2=stopped,3=stopped"))
    data, report = read_production(STATES, file_name="states.csv", options=opts)
    assert len(data.segments) == 0 and str(data.segments["start"].dt.tz) == TZ
    frame = _load()
    result = analyze_production(frame, data, periods=classify_periods(frame.index, PRE))
    assert result.metrics.units == 0.0 and result.metrics.production_hours == 0.0
    assert result.metrics.idle_energy_kwh == pytest.approx(96 * 25.0)  # all 2,400 kWh idle
    assert result.shift.status == "nothing_to_move"


# ------------------------------------------------------------------ 8–11 zones of production times
def _runs(start: str, end: str) -> bytes:
    return f"line,start,end,units,movable\nA,{start},{end},80,True\n".encode()


@pytest.mark.parametrize(
    ("start", "end", "read_tz"),
    [
        ("2025-03-03T08:00+08:00", "2025-03-03T10:00+08:00", "UTC"),
        ("2025-03-03T00:00Z", "2025-03-03T02:00Z", "UTC"),
        ("2025-03-03T00:00Z", "2025-03-03T02:00Z", "Europe/Berlin"),
    ],
)
def test_08_offsets_and_another_reading_zone_align_by_instant(
    start: str, end: str, read_tz: str
) -> None:
    # 08:00–10:00 Shanghai = 00:00–02:00 UTC: intervals 32–39 (8 × 15 min), 80 / 8 = 10 each
    data, _ = read_production(
        _runs(start, end), file_name="runs.csv", options=ProductionOptions(tz=read_tz)
    )
    a = align(_load(), data)
    units = a.units.to_numpy()
    assert np.flatnonzero(units).tolist() == list(range(32, 40))
    assert units[32:40].tolist() == [10.0] * 8
    assert a.warnings == []


def test_09_naive_segments_are_local_in_the_files_zone() -> None:
    # a ProductionData built by hand with naive times, tz Asia/Shanghai: read as local
    seg = pd.DataFrame(
        {
            "line": ["A"],
            "start": [pd.Timestamp("2025-03-03 08:00")],
            "end": [pd.Timestamp("2025-03-03 10:00")],
            "units": [80.0],
            "product": [""],
            "movable": [True],
            "row": [2],
        }
    )
    data = ProductionData("runs", seg, None, TZ, "hand.csv")
    a = align(_load(), data)
    assert np.flatnonzero(a.units.to_numpy()).tolist() == list(range(32, 40))


def test_10_aware_and_naive_mixed_in_one_column_are_conformed() -> None:
    seg = pd.DataFrame(
        {
            "line": ["A", "A"],
            "start": pd.Series(
                [pd.Timestamp("2025-03-03 00:00", tz="UTC"), pd.Timestamp("2025-03-03 12:00")],
                dtype=object,
            ),
            "end": pd.Series(
                [pd.Timestamp("2025-03-03 02:00", tz="UTC"), pd.Timestamp("2025-03-03 13:00")],
                dtype=object,
            ),
            "units": [80.0, 40.0],
            "product": ["", ""],
            "movable": [False, False],
            "row": [2, 3],
        }
    )
    data = ProductionData("runs", seg, None, TZ, "mixed.csv")
    u = align(_load(), data).units.to_numpy()
    # run 1: 08:00–10:00 Shanghai (32–39, 10 each); run 2: 12:00–13:00 local (48–51, 10 each)
    assert np.flatnonzero(u).tolist() == [*range(32, 40), *range(48, 52)]
    assert float(u.sum()) == 120.0


def test_11_shift_of_a_utc_read_file_reports_the_loads_offset() -> None:
    # runs read in UTC come back in the load's zone: the move's times carry +08:00
    idx = pd.date_range("2025-03-04", periods=24, freq="60min", tz=TZ)
    kw = np.full(24, 100.0)
    kw[18:20] += 300.0  # the run 18:00–20:00 local draws 300 kW
    frame = make_frame(pd.Series(kw, index=idx), 60)
    data, _ = read_production(
        _runs("2025-03-04T10:00Z", "2025-03-04T12:00Z"),
        file_name="runs.csv",
        options=ProductionOptions(tz="UTC"),
    )
    from analytics.production.shift import ShiftOptions

    r = analyze_production(
        frame,
        data,
        periods=classify_periods(frame.index, PRE),
        shift_options=ShiftOptions(earliest="06:00", include_demand=False, line_kw={"A": 300.0}),
    ).shift
    # 600 kWh from the peak (0.95674) to 06:00–08:00 valley (0.38283): 600 × 0.57391 = 344.346
    assert r.moves["old_start"].iloc[0].isoformat() == "2025-03-04T18:00:00+08:00"
    assert r.moves["new_start"].iloc[0].isoformat() == "2025-03-04T06:00:00+08:00"
    assert r.saving_cny == pytest.approx(344.346)


# ------------------------------------------------------------------ 12–16 PV unit and zone
def _params(report, code):
    return next(w.params for w in report.warnings if w.code == code)


def test_12_serf_watts_read_as_kw_in_shanghai_warns_unit_and_zone() -> None:
    frame, report = read_pv(SERF, options=ImportOptions(unit="kW"))
    assert [w.code for w in report.warnings] == [
        "pv.negative_clipped",
        "pv.unit_suspect",
        "pv.zone_suspect",
    ]
    u = _params(report, "pv.unit_suspect")
    # 5,426.4 "kW" peak ≥ 1,000 kW labelled kW (no kWp given): probably W
    assert (u["unit"], u["suggested"], u["peak_kw"], u["high_kw"]) == ("kW", "W", 5426.4, 1000.0)
    z = _params(report, "pv.zone_suspect")
    # the centre of generation is 11:25 at −07:00 = 02:25 at +08:00; the file's −07:00 is
    # within 2 h of the zone implied (8 + 12 − 2.41 = 17.59 ≡ −6.41 h): suggest it
    assert (z["hour"], z["tz"], z["suggested_tz"], z["suggested_offset"]) == (
        "02:25",
        TZ,
        "Etc/GMT+7",
        "UTC−07:00",
    )


def test_13_serf_read_right_warns_neither() -> None:
    _, report = read_pv(SERF, options=ImportOptions(unit="W", tz="Etc/GMT+7"))
    assert [w.code for w in report.warnings] == ["pv.negative_clipped"]  # no import.negative


def test_14_one_negative_message_for_pv() -> None:
    idx = pd.date_range("2025-06-01", periods=4, freq="15min")
    text = "timestamp,pv_kwh\n" + "".join(
        f"{t:%Y-%m-%d %H:%M},{v}\n" for t, v in zip(idx, [-0.5, 2.0, -0.25, 1.0], strict=True)
    )
    frame, report = read_pv(text.encode(), file_name="pv.csv")
    assert [w.code for w in report.warnings] == ["pv.negative_clipped"]
    w = report.warnings[0]
    # 2 intervals clipped, 0.5 + 0.25 = 0.75 kWh, lowest −0.5 kWh, source rows 2 and 4
    assert (w.count, w.params["kwh"], w.params["min_kwh"], w.first_rows) == (2, 0.75, -0.5, (2, 4))
    assert frame["kwh"].tolist() == [0.0, 2.0, 0.0, 1.0]


@pytest.mark.parametrize(
    ("unit", "kwp", "expected"),
    [
        ("kW", 5.0, ("W", 5426.4)),  # 5,426.4 kW > 1.5 × 5 kWp = 7.5 kW → W
        ("W", 5000.0, ("kW", 5.426)),  # 5.4264 kW (5.426 rounded) < 0.01 × 5,000 = 50 kW → kW
        ("W", 5.0, None),  # 5.4264 kW within 0.05–7.5 kW
        ("kW", 6000.0, None),  # a real 6 MWp site declared: 5,426.4 kW within 60–9,000 kW
    ],
)
def test_15_declared_kwp_decides_the_unit(unit: str, kwp: float, expected) -> None:
    _, report = read_pv(SERF, options=ImportOptions(unit=unit, tz="Etc/GMT+7"), kwp=kwp)
    if expected is None:
        assert "pv.unit_suspect" not in report.warning_codes
    else:
        u = _params(report, "pv.unit_suspect")
        assert (u["suggested"], u["peak_kw"], u["kwp"]) == (*expected, kwp)


@pytest.mark.parametrize("kwp", [0.0, -1.0, math.nan, math.inf, 2e7])
def test_16_bad_kwp_is_refused_before_reading(kwp: float) -> None:
    e = _raises(lambda: read_pv(b"not even a csv", file_name="pv.csv", kwp=kwp))
    assert (e.code, e.params["parameter"]) == ("pv.bad_parameter", "kwp")


def test_17_naive_utc_logger_read_as_shanghai_points_at_utc() -> None:
    # two days of a bell centred on the hour midpoint 04:30 naive: a UTC logger of a Chinese
    # site (noon 12:00 +08:00 = 04:00 UTC) read as Asia/Shanghai. Centre 04:30 is 7.5 h before
    # noon: the labels follow the clock of 8 − 7.5 = 0.5 → round half to even = 0 h: UTC
    idx = pd.date_range("2025-06-01", periods=48, freq="60min")
    hours = np.asarray(idx.hour, dtype=float) + 0.5
    kwh = np.clip(np.cos((hours - 4.5) / 12 * np.pi), 0, None) * 100
    text = "timestamp,pv_kwh\n" + "".join(
        f"{t:%Y-%m-%d %H:%M},{v:.6f}\n" for t, v in zip(idx, kwh, strict=True)
    )
    _, report = read_pv(text.encode(), file_name="pv.csv")
    z = _params(report, "pv.zone_suspect")
    assert (z["hour"], z["suggested_tz"], z["suggested_offset"]) == ("04:30", "UTC", "UTC+00:00")


def test_18_dst_zone_peaking_at_13_clock_is_noon_standard_time() -> None:
    # Europe/Berlin in June (CEST, +2): a bell centred on 13:00 clock = 12:00 standard time
    idx = pd.date_range("2025-06-01", periods=96 * 2, freq="15min")
    mid = np.asarray(idx.hour + idx.minute / 60, dtype=float) + 0.125
    kwh = np.clip(np.cos((mid - 13.0) / 14 * np.pi), 0, None)
    text = "timestamp,pv_kwh\n" + "".join(
        f"{t:%Y-%m-%d %H:%M},{v:.6f}\n" for t, v in zip(idx, kwh, strict=True)
    )
    _, report = read_pv(
        text.encode(), file_name="pv.csv", options=ImportOptions(tz="Europe/Berlin")
    )
    assert "pv.zone_suspect" not in report.warning_codes
