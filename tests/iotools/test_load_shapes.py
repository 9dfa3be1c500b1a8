"""Load importer shapes (analytics/iotools/load.py): compact and serial dates, interval
changes, DST days of wide curves, the real-export shapes (UCI Steel, a Chinese GBK 96-point)."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.findings import InputError
from analytics.iotools.load import ImportOptions, read_load
from tests.importer_fixtures import write_text

STEEL_HEADER = (
    "date,Usage_kWh,Lagging_Current_Reactive.Power_kVarh,Leading_Current_Reactive_Power_kVarh,"
    "CO2(tCO2),Lagging_Current_Power_Factor,Leading_Current_Power_Factor,NSM,WeekStatus,"
    "Day_of_week,Load_Type"
)
P96 = [f"P{k}" for k in range(1, 97)]
P100 = [f"P{k}" for k in range(1, 101)]


def _read(path, **opts):
    return read_load(path, options=ImportOptions(**opts))


def _wide(tmp_path, labels, days, name="w.csv", encoding="utf-8"):
    lines = ["日期," + ",".join(labels)] + [d + "," + ",".join(v) for d, v in days.items()]
    return write_text(tmp_path / name, lines, encoding=encoding)


# ----------------------------------------------------------------------------- compact dates


def test_wide_96_point_with_compact_yyyymmdd_dates(tmp_path):
    labels = [f"{m // 60:02d}:{m % 60:02d}" for m in range(15, 1441, 15)]
    days = {"20120101": ["4"] * 96, "20120102": ["8"] * 96}
    frame, rep = _read(_wide(tmp_path, labels, days, encoding="gbk"))
    # no unit: average power [kW]; 96 × 4 kW × 0.25 h = 96 kWh, 96 × 8 × 0.25 = 192 kWh
    assert frame["kwh"].sum() == 288.0
    assert rep.format == "wide" and rep.encoding == "gbk" and rep.label_convention == "end"
    assert frame.index[0] == pd.Timestamp("2012-01-01 00:00", tz="Asia/Shanghai")
    assert len(frame) == 192


def test_long_compact_yyyymmddhhmm_end_labels(tmp_path):
    stamps = [f"20120101{h:02d}{m:02d}" for h in range(24) for m in (0, 15, 30, 45)][1:]
    stamps.append("201201012400")  # 24:00 = the next midnight
    lines = ["时间,电量(kWh)"] + [f"{t},0.5" for t in stamps]
    frame, rep = _read(write_text(tmp_path / "c.csv", lines))
    # 96 rows × 0.5 kWh = 48 kWh; labels 00:15 … 24:00 ⇒ end, first start 00:00
    assert frame["kwh"].sum() == 48.0 and len(frame) == 96
    assert rep.label_convention == "end" and rep.interval_minutes == 15
    assert frame.index[0] == pd.Timestamp("2012-01-01 00:00", tz="Asia/Shanghai")


def test_excel_serial_datetimes_with_a_regular_step(tmp_path):
    # 43101 = 2018-01-01; 43101 + k/24 = k o'clock (hourly, no header word: the step decides)
    lines = ["stamp,kWh"] + [f"{43101 + k / 24!r},2" for k in range(48)]
    frame, rep = _read(write_text(tmp_path / "s.csv", lines))
    assert rep.interval_minutes == 60 and frame["kwh"].sum() == 96.0  # 48 × 2 kWh
    assert frame.index[0] == pd.Timestamp("2018-01-01 00:00", tz="Asia/Shanghai")
    assert frame.index[12] == pd.Timestamp("2018-01-01 12:00", tz="Asia/Shanghai")  # 43101.5


def test_excel_serial_whole_days_of_a_wide_curve_with_a_date_header(tmp_path):
    days = {"43101": ["1"] * 96, "43103": ["1"] * 96}  # 2018-01-01 and 2018-01-03 (a gap)
    frame, rep = _read(_wide(tmp_path, P96, days))
    assert frame.index[0] == pd.Timestamp("2018-01-01 00:00", tz="Asia/Shanghai")
    assert frame["kwh"].sum() == 48.0  # 192 points × 1 kW × 0.25 h
    assert rep.missing_intervals == 96  # 2018-01-02 is empty, never filled


def test_date_column_override_rescues_serials_detection_refuses(tmp_path):
    # header "tag" names no date; steps of 3, 3 and 1 days (modal 3 days): detection refuses …
    lines = ["tag," + ",".join(P96)] + [
        f"{d}," + ",".join(["2"] * 96) for d in ("43101", "43104", "43107", "43108")
    ]
    path = write_text(tmp_path / "t.csv", lines)
    with pytest.raises(InputError) as exc:
        _read(path)
    assert exc.value.code == "import.no_time_column"
    # … the override reads them: 4 days × 96 × 2 kW × 0.25 h = 192 kWh (43108 = 2018-01-08)
    frame, _ = _read(path, date_column="tag")
    assert frame["kwh"].sum() == 192.0
    assert frame.index[-1] == pd.Timestamp("2018-01-08 23:45", tz="Asia/Shanghai")


def test_a_value_column_of_eight_digit_numbers_is_not_a_date(tmp_path):
    lines = ["时间,表码(kWh)"] + [
        f"2025-01-06 {h:02d}:{m:02d},{20250101 + 10 * (4 * h + m // 15)}"
        for h in range(4)
        for m in (0, 15, 30, 45)
    ]
    frame, rep = _read(write_text(tmp_path / "r.csv", lines))
    assert rep.kind == "register"  # the 表码 header: a register, never a date column
    assert frame["kwh"].dropna().tolist() == [10.0] * 15  # each reading rises 10 kWh


# ----------------------------------------------------------------------------- interval change


def _changed_lines(first_min, second_min, n_first, n_second, v1, v2, header="time,kWh"):
    t = pd.Timestamp("2025-01-06 00:00")
    lines = [header]
    for k in range(n_first):
        lines.append(f"{t + pd.Timedelta(minutes=first_min * k):%Y-%m-%d %H:%M},{v1}")
    t2 = t + pd.Timedelta(minutes=first_min * n_first)
    for k in range(n_second):
        lines.append(f"{t2 + pd.Timedelta(minutes=second_min * k):%Y-%m-%d %H:%M},{v2}")
    return lines


def test_interval_change_15_then_5_minutes_keeps_every_kwh(tmp_path):
    lines = _changed_lines(15, 5, 8, 12, "1.5", "0.25")
    frame, rep = _read(write_text(tmp_path / "e.csv", lines))
    # input: 8 × 1.5 + 12 × 0.25 = 12 + 3 = 15 kWh; 02:00–03:00 holds 3 × 0.25 per quarter
    assert frame["kwh"].sum() == 15.0
    assert frame["kwh"].tolist() == [1.5] * 8 + [0.75] * 4
    assert rep.interval_minutes == 15
    w = next(w for w in rep.warnings if w.code == "import.interval_changed")
    assert (w.count, w.first_rows[0]) == (12, 10)  # the 12 five-minute rows, from row 10
    assert w.params == {"from_minutes": "5", "interval_minutes": 15, "partial": 0}


def test_interval_change_power_is_averaged_over_the_coarse_interval(tmp_path):
    lines = _changed_lines(5, 15, 12, 8, "3", "6", header="time,kW")
    frame, rep = _read(write_text(tmp_path / "p.csv", lines))
    # 3 kW × 5/60 h = 0.25 kWh per row, 3 rows a quarter = 0.75 kWh (mean 3 kW);
    # 6 kW × 0.25 h = 1.5 kWh; total 12 × 0.25 + 8 × 1.5 = 3 + 12 = 15 kWh
    assert frame["kwh"].tolist() == [0.75] * 4 + [1.5] * 8
    assert frame["kwh"].sum() == 15.0
    assert "import.interval_changed" in rep.warning_codes


# ----------------------------------------------------------------------------- DST days


def test_positional_100_columns_keep_92_and_100_point_days_berlin(tmp_path):
    days = {
        "2025-03-30": ["1"] * 92 + [""] * 8,  # 23 hours: 92 quarter hours
        "2025-10-26": ["1"] * 100,  # 25 hours: 100 quarter hours
    }
    frame, rep = _read(_wide(tmp_path, P100, days), tz="Europe/Berlin")
    # every point kept: (92 + 100) × 1 kW × 0.25 h = 48 kWh
    assert frame["kwh"].loc[:"2025-03-30 23:45+02:00"].sum() == 23.0
    assert frame["kwh"].loc["2025-10-26 00:00+02:00":].sum() == 25.0
    assert frame.index[91] == pd.Timestamp("2025-03-30 23:45", tz="Europe/Berlin")


def test_96_point_row_on_the_spring_day_with_empty_skipped_hour(tmp_path):
    vals = ["1"] * 8 + [""] * 4 + ["1"] * 84  # P9–P12 = 02:00–02:45, which do not exist
    frame, rep = _read(_wide(tmp_path, P96, {"2025-03-30": vals}), tz="Europe/Berlin")
    assert len(frame) == 92 and frame["kwh"].sum() == 23.0  # 92 × 0.25 kWh, none lost
    assert frame["kwh"].isna().sum() == 0


def test_96_point_row_on_the_autumn_day_reads_the_wall_clock(tmp_path):
    frame, rep = _read(_wide(tmp_path, P96, {"2025-10-26": ["1"] * 96}), tz="Europe/Berlin")
    # 96 values kept (24 kWh); the repeated hour's second pass (4 intervals) is a gap
    assert frame["kwh"].sum() == 24.0 and len(frame) == 100
    assert rep.missing_intervals == 4
    assert {"import.dst_wall_clock", "import.gaps"} <= rep.warning_codes


# ----------------------------------------------------------------------------- real exports


def test_uci_steel_industry_shape_imports_end_labelled(tmp_path):
    lines = [STEEL_HEADER]
    names = ("Monday", "Tuesday", "Wednesday")
    for d in range(3):
        day = pd.Timestamp("2018-01-01") + pd.Timedelta(days=d)
        for k in range(1, 97):
            t = day + pd.Timedelta(minutes=15 * k)
            label = t if k < 96 else day  # as in the dataset: "01/01/2018 00:00" ends day 1
            usage = "3.25" if k % 2 else "2.5"
            lines.append(
                f"{label:%d/%m/%Y} {t:%H:%M},{usage},2.95,0,0,73.21,100,{(900 * k) % 86400},"
                f"Weekday,{names[d]},Light_Load"
            )
    frame, rep = _read(write_text(tmp_path / "Steel_industry_data.csv", lines))
    # per day 48 × 3.25 + 48 × 2.5 = 156 + 120 = 276 kWh; 3 days = 828 kWh
    assert frame["kwh"].sum() == 828.0 and len(frame) == 288
    assert rep.value_column == "Usage_kWh" and rep.kind == "energy"
    assert (rep.interval_minutes, rep.label_convention, rep.dayfirst) == (15, "end", True)
    assert frame.index[0] == pd.Timestamp("2018-01-01 00:00", tz="Asia/Shanghai")
    assert rep.warning_codes == set()


def test_chinese_96_point_gbk_with_compact_dates_exact_total(tmp_path):
    labels = [f"{m // 60:02d}:{m % 60:02d}" for m in range(15, 1441, 15)]
    lines = [
        "苏州某厂 日负荷曲线,,," + "," * 95,
        "户号,数据日期," + ",".join(labels),
        "3200012345,20250106," + ",".join(["120.5"] * 48 + ["80"] * 48),
        "3200012345,20250107," + ",".join(["100"] * 96),
    ]
    frame, rep = _read(write_text(tmp_path / "曲线.csv", lines, encoding="gbk"))
    # day 1: (48 × 120.5 + 48 × 80) × 0.25 = (5784 + 3840) × 0.25 = 2406 kWh
    # day 2: 96 × 100 × 0.25 = 2400 kWh; total 4806 kWh
    assert frame["kwh"].sum() == 4806.0
    assert rep.encoding == "gbk" and rep.format == "wide" and len(frame) == 192
