"""Importer: one test per input shape, with hand-computed expectations.

Files are written into tmp_path the way real exports look (title rows, GBK, 24:00 labels…).
Every test that checks a result also asserts the exact set of warning codes.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics.findings import InputError
from analytics.iotools import load as importer
from analytics.iotools import raw as readers
from analytics.iotools.load import ImportOptions, ImportReport, read_load
from tests.importer_fixtures import (
    SERF,
    clock_labels,
    long_lines,
    stamps,
    wide_lines,
    write_text,
    write_xlsx,
)
from ui.render.i18n import catalogue, placeholders

SH = "Asia/Shanghai"


def ts(text: str, tz: str = SH) -> pd.Timestamp:
    return pd.Timestamp(text, tz=tz)


def codes(report: ImportReport) -> set[str]:
    return {w.code for w in report.warnings}


def warning(report: ImportReport, code: str):
    (w,) = [w for w in report.warnings if w.code == code]
    return w


def load(path, **opts):
    return read_load(path, options=ImportOptions(**opts))


# ----------------------------------------------------------------------------- long files


def test_long_energy_kwh(tmp_path):
    times = stamps("2025-01-06 08:00", 8).strftime("%Y-%m-%d %H:%M")
    vals = [1.5, 2.0, 2.5, 3.0, 3.5, 3.0, 2.5, 2.0]
    path = write_text(tmp_path / "e.csv", long_lines("时间,电量(kWh)", times, vals))
    frame, rep = read_load(path)
    assert list(frame.columns) == ["kwh"]
    assert frame.index.tz is not None and str(frame.index.tz) == SH
    assert frame.index.name == "interval_start"
    assert frame.index[0] == ts("2025-01-06 08:00")  # first label 08:00 → start-labelled
    assert frame["kwh"].tolist() == vals
    assert (rep.format, rep.kind, rep.unit, rep.unit_assumed) == ("long", "energy", "kWh", False)
    assert (rep.time_column, rep.value_column) == ("时间", "电量(kWh)")
    assert (rep.label_convention, rep.label_detected, rep.interval_minutes) == ("start", True, 15)
    assert (rep.rows_read, rep.intervals, rep.missing_intervals) == (8, 8, 0)
    assert (rep.encoding, rep.delimiter, rep.decimal, rep.sheet) == ("utf-8", ",", ".", None)
    assert codes(rep) == set()


def test_long_power_kw_to_kwh(tmp_path):
    times = stamps("2025-01-06 00:00", 4).strftime("%Y-%m-%d %H:%M:%S")
    path = write_text(
        tmp_path / "p.csv", long_lines("数据时间,有功功率(kW)", times, [400, 400, 200, 0])
    )
    frame, rep = read_load(path)
    # 400 kW × 0.25 h = 100 kWh; 200 kW × 0.25 h = 50 kWh
    assert frame["kwh"].tolist() == [100.0, 100.0, 50.0, 0.0]
    assert (rep.kind, rep.unit, rep.unit_assumed) == ("power", "kW", False)
    assert codes(rep) == set()


def test_long_power_in_watts(tmp_path):
    times = stamps("2025-05-01 10:00", 3).strftime("%Y-%m-%dT%H:%M:%S")
    path = write_text(
        tmp_path / "w.csv", long_lines("timestamp,power (W)", times, [2000, 1000, 4000])
    )
    frame, rep = read_load(path)
    # 2000 W = 2 kW × 0.25 h = 0.5 kWh
    assert frame["kwh"].tolist() == [0.5, 0.25, 1.0]
    assert (rep.kind, rep.unit) == ("power", "W")
    assert codes(rep) == set()


def test_long_energy_mwh_hourly_semicolon(tmp_path):
    times = stamps("2025-02-01 00:00", 3, 60).strftime("%Y-%m-%d %H:%M")
    path = write_text(
        tmp_path / "m.csv", long_lines("Date Time;Energy [MWh]", times, [0.25, 0.5, 1.0], sep=";")
    )
    frame, rep = read_load(path)
    # 0.25 MWh = 250 kWh
    assert frame["kwh"].tolist() == [250.0, 500.0, 1000.0]
    assert (rep.interval_minutes, rep.unit, rep.delimiter) == (60, "MWh", ";")
    assert codes(rep) == set()


def test_register_with_reset(tmp_path):
    times = stamps("2025-01-06 00:00", 5).strftime("%Y-%m-%d %H:%M")
    path = write_text(
        tmp_path / "r.csv",
        long_lines("采集时间,正向有功总示数(kWh)", times, [1000.0, 1010.0, 1025.5, 3.0, 8.0]),
    )
    frame, rep = read_load(path)
    # diffs: 1010−1000 = 10; 1025.5−1010 = 15.5; 3.0 < 1025.5 and 1025.5 is far from 10⁴ → reset → NaN;
    # 8−3 = 5. Readings mark interval ends: the rise 00:00→00:15 is the interval starting 00:00.
    assert frame.index[0] == ts("2025-01-06 00:00")
    np.testing.assert_array_equal(frame["kwh"].to_numpy(), [10.0, 15.5, np.nan, 5.0])
    # 4 intervals in the span: 3 with data (data.intervals counts those) + 1 missing
    assert (rep.kind, rep.label_convention, rep.intervals, rep.missing_intervals) == (
        "register",
        "end",
        3,
        1,
    )
    assert codes(rep) == {"import.register_reset"}
    assert warning(rep, "import.register_reset").first_rows == (5,)  # header row 1, 3.0 on row 5


def test_register_with_rollover(tmp_path):
    times = stamps("2025-01-06 00:00", 4).strftime("%Y-%m-%d %H:%M")
    path = write_text(
        tmp_path / "r.csv", long_lines("时间,表码(kWh)", times, [99990.0, 99995.5, 2.5, 10.0])
    )
    frame, rep = read_load(path)
    # 99995.5−99990 = 5.5; rollover at 10⁵: 2.5 + 100000 − 99995.5 = 7.0; 10−2.5 = 7.5
    np.testing.assert_allclose(frame["kwh"].to_numpy(), [5.5, 7.0, 7.5])
    assert codes(rep) == {"import.register_rollover"}
    assert warning(rep, "import.register_rollover").count == 1


def test_register_inferred_from_a_rising_series(tmp_path):
    times = stamps("2025-01-06 00:00", 9).strftime("%Y-%m-%d %H:%M")
    readings = [5000.0 + 10 * k for k in range(9)]  # rises 10 kWh every 15 min
    path = write_text(tmp_path / "r.csv", long_lines("时间,用电量(kWh)", times, readings))
    frame, rep = read_load(path)
    assert frame["kwh"].tolist() == [10.0] * 8
    assert rep.kind == "register"
    assert codes(rep) == {"import.register_inferred"}


def test_register_word_wins_over_energy_word(tmp_path):
    times = stamps("2025-01-06 00:00", 3).strftime("%Y-%m-%d %H:%M")
    path = write_text(
        tmp_path / "r.csv", long_lines("时间,正向有功总电量示值(kWh)", times, [10.0, 11.0, 13.0])
    )
    frame, rep = read_load(path)
    assert rep.kind == "register"
    assert frame["kwh"].tolist() == [1.0, 2.0]
    assert codes(rep) == set()


# ----------------------------------------------------------------------------- wide curves


def _day_values(points: int, scale: float = 1.0) -> list[float]:
    return [scale * k for k in range(1, points + 1)]


def test_wide_96_end_labelled_gbk_with_title_row(tmp_path):
    labels = clock_labels(96, end=True)
    assert labels[0] == "00:15" and labels[-1] == "24:00"
    lines = wide_lines(
        labels,
        {"2025-03-03": _day_values(96), "2025-03-04": _day_values(96, 2.0)},
        title="某某公司负荷曲线",
        extra={"户号": "3200012345", "电表号": "0001", "数据类型": "有功功率"},
    )
    path = write_text(tmp_path / "负荷.csv", lines, encoding="gbk")
    frame, rep = read_load(path)
    # value k (kW) of day 1 covers the interval starting (k−1)·15 min: k × 0.25 h kWh
    assert frame.index[0] == ts("2025-03-03 00:00")
    assert frame.loc[ts("2025-03-03 00:00"), "kwh"] == 0.25  # "00:15" column: 1 kW × 0.25 h
    assert frame.loc[ts("2025-03-03 23:45"), "kwh"] == 24.0  # "24:00" column: 96 kW × 0.25 h
    assert frame.loc[ts("2025-03-04 00:00"), "kwh"] == 0.5  # day 2: 2 kW × 0.25 h
    assert frame.index[-1] == ts("2025-03-04 23:45")
    assert (rep.format, rep.encoding, rep.label_convention, rep.label_detected) == (
        "wide",
        "gbk",
        "end",
        True,
    )
    assert (rep.value_column, rep.kind, rep.unit, rep.unit_assumed) == (
        "96 columns",
        "power",
        "kW",
        True,
    )
    assert (rep.rows_read, rep.intervals) == (2, 192)
    assert codes(rep) == {"import.wide_unit_assumed"}


@pytest.mark.parametrize(
    ("style", "first"),
    [("unpadded", "0:00"), ("T", "T0000"), ("P", "P1"), ("int", "1")],
)
def test_wide_96_start_and_positional_labels(tmp_path, style, first):
    labels = clock_labels(96, end=False, style=style)
    assert labels[0] == first
    path = write_text(
        tmp_path / "w.csv", wide_lines(labels, {"2025/3/3": _day_values(96)}, title="负荷曲线(kW)")
    )
    frame, rep = read_load(path)
    # the first value (1 kW) is the interval starting 00:00: 0.25 kWh; the 96th starts 23:45
    assert frame.index[0] == ts("2025-03-03 00:00")
    assert frame.index[-1] == ts("2025-03-03 23:45")
    assert frame["kwh"].iloc[0] == 0.25 and frame["kwh"].iloc[-1] == 24.0
    assert rep.label_convention == "start"
    assert codes(rep) == set()


@pytest.mark.parametrize(
    ("points", "end", "minutes"), [(24, True, 60), (48, False, 30), (288, True, 5)]
)
def test_wide_24_48_288_points(tmp_path, points, end, minutes):
    path = write_text(
        tmp_path / "w.csv",
        wide_lines(
            clock_labels(points, end=end), {"2025-03-03": [120.0] * points}, date_header="date"
        ),
    )
    frame, rep = read_load(path)
    # 120 kW for 60 / 30 / 5 min = 120 / 60 / 10 kWh
    assert rep.interval_minutes == minutes
    assert len(frame) == points
    assert frame.index[0] == ts("2025-03-03 00:00")
    assert frame["kwh"].iloc[0] == pytest.approx(120.0 * minutes / 60)
    assert rep.label_convention == ("end" if end else "start")
    assert codes(rep) == {"import.wide_unit_assumed"}


def test_wide_energy_curve_named_in_title(tmp_path):
    path = write_text(
        tmp_path / "w.csv",
        wide_lines(
            clock_labels(24, end=True), {"2025-03-03": [5.0] * 24}, title="日用电量曲线 单位:kWh"
        ),
    )
    frame, rep = read_load(path)
    assert (rep.kind, rep.unit, rep.unit_assumed) == ("energy", "kWh", False)
    assert frame["kwh"].sum() == 120.0  # 24 × 5 kWh
    assert codes(rep) == set()


# ----------------------------------------------------------------------------- containers


def test_xlsx_with_chinese_sheet_name_and_datetime_cells(tmp_path):
    times = stamps("2025-04-01 00:00", 4).to_pydatetime().tolist()
    rows = [
        ["某某公司负荷数据", None],
        ["时间", "负荷(kW)"],
        *[[t, 40.0 * (i + 1)] for i, t in enumerate(times)],
    ]
    path = write_xlsx(tmp_path / "load.xlsx", rows, sheet="负荷数据", first_sheet="说明")
    frame, rep = read_load(path)
    # 40, 80, 120, 160 kW × 0.25 h
    assert frame["kwh"].tolist() == [10.0, 20.0, 30.0, 40.0]
    assert frame.index[0] == ts("2025-04-01 00:00")
    assert (rep.sheet, rep.delimiter, rep.time_column) == ("负荷数据", None, "时间")
    assert codes(rep) == set()


def test_xlsx_wide_end_labelled(tmp_path):
    labels = clock_labels(24, end=True)
    rows = [["日期", *labels], ["2025-04-01", *[10.0] * 24]]
    frame, rep = read_load(write_xlsx(tmp_path / "w.xlsx", rows, sheet="日负荷"))
    assert frame.index[0] == ts("2025-04-01 00:00") and len(frame) == 24
    assert (rep.format, rep.label_convention) == ("wide", "end")
    assert codes(rep) == {"import.wide_unit_assumed"}


def test_utf8_bom(tmp_path):
    times = stamps("2025-01-06 00:00", 2).strftime("%Y-%m-%d %H:%M")
    path = write_text(
        tmp_path / "b.csv", long_lines("时间,电量(kWh)", times, [1, 2]), encoding="utf-8-sig"
    )
    frame, rep = read_load(path)
    assert rep.encoding == "utf-8-sig" and rep.time_column == "时间"
    assert frame["kwh"].tolist() == [1.0, 2.0]
    assert codes(rep) == set()


def test_gb18030_only_character(tmp_path):
    times = stamps("2025-01-06 00:00", 2).strftime("%Y-%m-%d %H:%M")
    lines = ["𠮷祥工厂 电量报表", *long_lines("时间,电量(kWh)", times, [1, 2])]  # 𠮷 is not in GBK
    frame, rep = read_load(
        write_text(tmp_path / "g.csv", lines, encoding="gb18030", newline="\r\n")
    )
    assert rep.encoding == "gb18030"
    assert frame["kwh"].tolist() == [1.0, 2.0]
    assert codes(rep) == set()


def test_semicolon_decimal_comma_dayfirst(tmp_path):
    lines = [
        "Zeitstempel;Leistung [kW]",
        "01.02.2025 23:00;1,5",
        "02.02.2025 00:00;2,0",
        "02.02.2025 01:00;0,5",
    ]
    frame, rep = read_load(write_text(tmp_path / "de.csv", lines))
    # month-first would jump from 2 Jan to 2 Feb: day-first is the regular reading
    assert frame.index[0] == ts("2025-02-01 23:00")
    assert frame["kwh"].tolist() == [1.5, 2.0, 0.5]  # kW × 1 h
    assert (rep.delimiter, rep.decimal, rep.dayfirst, rep.interval_minutes) == (";", ",", True, 60)
    assert codes(rep) == set()


def test_tab_delimited(tmp_path):
    lines = ["time\tkwh", "2025-01-06 00:00\t1", "2025-01-06 00:30\t2"]
    frame, rep = read_load(write_text(tmp_path / "t.tsv", lines))
    assert rep.delimiter == "\t" and rep.interval_minutes == 30
    assert frame["kwh"].tolist() == [1.0, 2.0]
    assert codes(rep) == set()  # "kwh" is a unit token: energy in kWh


@pytest.mark.parametrize(
    ("lines", "dayfirst", "first"),
    [
        (
            ["12/1/2018 23:00", "13/1/2018 0:00", "13/1/2018 1:00"],
            True,
            "2018-01-12 23:00",
        ),  # 13 > 12
        (["1/12/2018 23:00", "1/13/2018 0:00", "1/13/2018 1:00"], False, "2018-01-12 23:00"),
        (
            ["1/1/2018 22:00", "1/1/2018 23:00", "2/1/2018 0:00", "2/1/2018 1:00"],
            True,
            "2018-01-01 22:00",
        ),
    ],
)
def test_unpadded_dates_day_or_month_first(tmp_path, lines, dayfirst, first):
    path = write_text(tmp_path / "d.csv", ["datetime,energy (kWh)", *[f"{t},1.0" for t in lines]])
    frame, rep = read_load(path)
    assert rep.dayfirst is dayfirst
    assert frame.index[0] == ts(first)
    assert rep.missing_intervals == 0
    assert codes(rep) == set()


def test_dayfirst_override(tmp_path):
    lines = ["1/1/2018 22:00", "1/1/2018 23:00", "2/1/2018 0:00"]
    path = write_text(tmp_path / "d.csv", ["datetime,energy (kWh)", *[f"{t},1.0" for t in lines]])
    frame, rep = load(path, dayfirst=False)
    assert rep.dayfirst is False
    assert frame.index[-1] == ts("2018-02-01 00:00")  # read month-first as told
    # 1 Jan 23:00 → 1 Feb 00:00 = 30 days + 1 h = 721 h: the 720 hours between are missing
    assert rep.missing_intervals == 720
    assert codes(rep) == {"import.gaps"}


# ----------------------------------------------------------------------------- labels


def test_midnight_row_dated_with_the_day_that_ended(tmp_path):
    times = stamps("2025-03-01 00:15", 96).strftime("%Y-%m-%d %H:%M")  # … 2025-03-02 00:00
    assert times[-1] == "2025-03-02 00:00"
    frame, rep = read_load(
        write_text(tmp_path / "m.csv", long_lines("时间,电量(kWh)", times, [1.0] * 96))
    )
    # end labels: one whole day 00:00 … 23:45 on 1 March
    assert frame.index[0] == ts("2025-03-01 00:00") and frame.index[-1] == ts("2025-03-01 23:45")
    assert (rep.label_convention, rep.label_detected, rep.intervals) == ("end", True, 96)
    assert codes(rep) == set()


def test_24_00_label_means_end(tmp_path):
    lines = [
        "时间,电量(kWh)",
        "2025-03-01 23:15,1",
        "2025-03-01 23:30,2",
        "2025-03-01 23:45,3",
        "2025-03-01 24:00,4",
    ]
    frame, rep = read_load(write_text(tmp_path / "m.csv", lines))
    # 24:00 = 2 March 00:00, the end of the interval starting 23:45 on 1 March
    assert frame.index[-1] == ts("2025-03-01 23:45")
    assert frame.index[0] == ts("2025-03-01 23:00")
    assert frame["kwh"].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert rep.label_convention == "end"
    assert codes(rep) == set()


def test_date_and_time_columns_with_24_00(tmp_path):
    lines = [
        "日期,时间,电量(kWh)",
        "2025-03-01,23:30,1",
        "2025-03-01,23:45,2",
        "2025-03-01,24:00,3",
    ]
    frame, rep = read_load(write_text(tmp_path / "dt.csv", lines))
    assert frame.index.tolist() == [
        ts("2025-03-01 23:15"),
        ts("2025-03-01 23:30"),
        ts("2025-03-01 23:45"),
    ]
    assert rep.time_column == "日期 + 时间" and rep.label_convention == "end"
    assert codes(rep) == set()


def test_label_override_end_and_start(tmp_path):
    times = stamps("2025-03-01 00:00", 3).strftime("%Y-%m-%d %H:%M")
    path = write_text(tmp_path / "o.csv", long_lines("时间,电量(kWh)", times, [1, 2, 3]))
    frame, rep = load(path, labels="end")
    assert frame.index[0] == ts("2025-02-28 23:45")  # 00:00 marks the end of 23:45–00:00
    assert (rep.label_convention, rep.label_detected) == ("end", False)
    lines = ["时间,电量(kWh)", "2025-03-01 23:45,1", "2025-03-01 24:00,2"]
    frame, rep = load(write_text(tmp_path / "s.csv", lines), labels="start")
    assert frame.index[-1] == ts(
        "2025-03-02 00:00"
    )  # told: 24:00 starts the next day's first interval
    assert (rep.label_convention, rep.label_detected) == ("start", False)
    assert codes(rep) == set()


def test_end_time_header_is_end_labelled(tmp_path):
    lines = [
        "开始时间,结束时间,电量(kWh)",
        "2025-03-01 00:00,2025-03-01 00:15,1",
        "2025-03-01 00:15,2025-03-01 00:30,2",
    ]
    path = write_text(tmp_path / "two.csv", lines)
    frame, rep = read_load(path)
    assert rep.time_column == "开始时间" and frame.index[0] == ts("2025-03-01 00:00")
    frame, rep = load(path, time_column="结束时间")
    assert rep.time_column == "结束时间" and rep.label_convention == "end"
    assert frame.index[0] == ts("2025-03-01 00:00")  # 00:15 end label → start 00:00
    assert codes(rep) == set()


# ----------------------------------------------------------------------------- time zones


def test_serf_pv_minus_seven_offset_in_watts():
    frame, rep = read_load(SERF, options=ImportOptions(unit="W"))
    # 2016-07-01 00:00−07:00 = 15:00+08:00
    assert frame.index[0] == ts("2016-07-01 15:00")
    # row 2016-07-01 12:00:00−07:00 = 19:00 UTC = 2016-07-02 03:00+08:00: 3404.3 W → 3.4043 kW × 0.25 h
    assert frame.loc[ts("2016-07-02 03:00"), "kwh"] == pytest.approx(0.851075)
    assert (rep.source_offset, rep.tz, rep.unit, rep.kind, rep.unit_assumed) == (
        "-07:00",
        SH,
        "W",
        "power",
        False,
    )
    assert (rep.intervals, rep.missing_intervals, rep.label_convention) == (10_000, 0, "start")
    assert codes(rep) == {"import.negative"}  # inverter tare at night, kept as is
    assert (frame["kwh"] < 0).sum() == warning(rep, "import.negative").count


def test_serf_without_unit_assumes_kw_and_explicit_tz():
    frame, rep = read_load(SERF, options=ImportOptions(tz="Etc/GMT+7"))  # POSIX sign: UTC−7
    assert frame.index[0] == pd.Timestamp("2016-07-01 00:00", tz="Etc/GMT+7")
    assert frame["kwh"].iloc[48] == pytest.approx(3404.3 * 0.25)  # read as kW: 851.075 kWh
    assert (rep.unit, rep.unit_assumed) == ("kW", True)
    assert codes(rep) == {"import.unit_assumed", "import.negative"}


def test_dst_fold_europe_berlin(tmp_path):
    wall = [f"2024-10-27 {h:02d}:{m:02d}" for h in (0, 1) for m in (0, 15, 30, 45)]
    wall += [f"2024-10-27 02:{m:02d}" for m in (0, 15, 30, 45)] * 2  # the repeated hour
    wall += [f"2024-10-27 03:{m:02d}" for m in (0, 15, 30, 45)]
    frame, rep = load(
        write_text(tmp_path / "f.csv", long_lines("time,kWh", wall, [1.0] * 20)), tz="Europe/Berlin"
    )
    # 20 rows → 20 real intervals: 02:00 CEST … 02:45 CEST, then 02:00 CET … 02:45 CET
    assert len(frame) == 20 and rep.missing_intervals == 0
    assert frame.index[8] == pd.Timestamp("2024-10-27 02:00+02:00")
    assert frame.index[12] == pd.Timestamp("2024-10-27 02:00+01:00")
    assert codes(rep) == {"import.dst_fold"}
    assert warning(rep, "import.dst_fold").count == 8
    assert warning(rep, "import.dst_fold").first_rows == (10, 11, 12, 13, 14)


def test_dst_gap_europe_berlin(tmp_path):
    wall = [
        f"2024-03-31 {h:02d}:{m:02d}" for h in range(4) for m in (0, 15, 30, 45)
    ]  # 02:xx does not exist
    frame, rep = load(
        write_text(tmp_path / "g.csv", long_lines("time,kWh", wall, [1.0] * 16)), tz="Europe/Berlin"
    )
    # 00:00 … 01:45 CET (8) then 03:00 … 03:45 CEST (4): contiguous in absolute time, 12 intervals
    assert len(frame) == 12 and rep.missing_intervals == 0
    assert codes(rep) == {"import.dst_gap"}
    assert warning(rep, "import.dst_gap").count == 4
    assert warning(rep, "import.dst_gap").first_rows == (10, 11, 12, 13)


# ----------------------------------------------------------------------------- clean-up


def _long(tmp_path, times, values, header="时间,电量(kWh)", **opts):
    return load(write_text(tmp_path / "x.csv", long_lines(header, times, values)), **opts)


def test_duplicates_keep_first(tmp_path):
    times = ["2025-01-06 00:00", "2025-01-06 00:15", "2025-01-06 00:15", "2025-01-06 00:30"]
    frame, rep = _long(tmp_path, times, [1, 2, 9, 3])
    assert frame["kwh"].tolist() == [1.0, 2.0, 3.0]  # the first 00:15 row (2) is kept
    assert rep.duplicate_rows_dropped == 1
    assert codes(rep) == {"import.duplicates"}
    w = warning(rep, "import.duplicates")
    assert (w.count, w.first_rows, w.params["differing"]) == (1, (4,), 1)


def test_gaps_stay_nan(tmp_path):
    times = ["2025-01-06 00:00", "2025-01-06 00:15", "2025-01-06 01:00", "2025-01-06 01:15"]
    frame, rep = _long(tmp_path, times, [1, 2, 3, 4])
    # 00:30 and 00:45 are missing: 6 intervals, 2 NaN, never filled
    assert len(frame) == 6 and frame["kwh"].isna().sum() == 2
    assert frame["kwh"].sum() == 10.0
    assert rep.missing_intervals == 2
    assert codes(rep) == {"import.gaps"}
    w = warning(rep, "import.gaps")
    assert (w.count, w.first_rows, w.params["first_gap"]) == (2, (4,), "2025-01-06T00:30:00+08:00")


def test_negative_values_kept_and_reported(tmp_path):
    times = stamps("2025-01-06 00:00", 4).strftime("%Y-%m-%d %H:%M")
    frame, rep = _long(tmp_path, times, [1, -0.5, 2, -1])
    assert frame["kwh"].tolist() == [1.0, -0.5, 2.0, -1.0]
    assert codes(rep) == {"import.negative"}
    w = warning(rep, "import.negative")
    assert (w.count, w.first_rows, w.params["min_kwh"]) == (2, (3, 5), -1.0)


def test_spikes_flagged_not_removed(tmp_path):
    times = stamps("2025-01-06 00:00", 96).strftime("%Y-%m-%d %H:%M")
    vals = [100.0] * 96
    vals[40] = 100_000.0
    frame, rep = _long(tmp_path, times, vals, header="时间,负荷(kW)")
    # 99th percentile (an observed value) = 25 kWh; 100 000 kW × 0.25 h = 25 000 kWh > 10 × 25
    assert frame["kwh"].iloc[40] == 25_000.0
    assert codes(rep) == {"import.spikes"}
    w = warning(rep, "import.spikes")
    assert (w.count, w.first_rows, w.params["threshold_kwh"]) == (1, (42,), 250.0)


def test_irregular_steps_dropped_and_counted(tmp_path):
    times = [
        "2025-01-06 00:00",
        "2025-01-06 00:07",
        "2025-01-06 00:15",
        "2025-01-06 00:30",
        "2025-01-06 00:45",
    ]
    frame, rep = _long(tmp_path, times, [1, 99, 2, 3, 4])
    assert frame["kwh"].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert codes(rep) == {"import.irregular_steps"}
    assert warning(rep, "import.irregular_steps").first_rows == (3,)


def test_non_numeric_cells_become_nan(tmp_path):
    times = stamps("2025-01-06 00:00", 6).strftime("%Y-%m-%d %H:%M")
    frame, rep = _long(tmp_path, times, [1, "", "--", 4, 5, 6])
    assert frame["kwh"].isna().sum() == 2 and rep.missing_intervals == 2
    assert codes(rep) == {"import.non_numeric"}
    assert warning(rep, "import.non_numeric").first_rows == (3, 4)


def test_unsorted_rows_and_footer_total(tmp_path):
    lines = [
        "时间,电量(kWh)",
        "2025-01-06 00:30,3",
        "2025-01-06 00:00,1",
        "2025-01-06 00:15,2",
        "合计,6",
    ]
    frame, rep = read_load(write_text(tmp_path / "u.csv", lines))
    assert frame["kwh"].tolist() == [1.0, 2.0, 3.0]
    assert codes(rep) == {"import.footer_rows"}


# ----------------------------------------------------------------------------- overrides


def test_unit_and_kind_overrides(tmp_path):
    times = stamps("2025-01-06 00:00", 2).strftime("%Y-%m-%d %H:%M")
    path = write_text(tmp_path / "o.csv", long_lines("时间,功率", times, [2, 4]))
    frame, rep = read_load(path)
    assert frame["kwh"].tolist() == [0.5, 1.0] and codes(rep) == {
        "import.unit_assumed"
    }  # kW assumed
    frame, rep = load(path, unit="MW")
    assert frame["kwh"].tolist() == [500.0, 1000.0] and codes(rep) == set()  # 2 MW × 0.25 h
    frame, rep = load(path, kind="energy", unit="Wh")
    assert frame["kwh"].tolist() == [0.002, 0.004] and rep.kind == "energy"
    frame, rep = load(path, kind="register", unit="kWh")
    assert frame["kwh"].tolist() == [2.0] and rep.kind == "register"  # 4 − 2 in the interval 00:00


def test_column_overrides(tmp_path):
    lines = ["时间,A相功率(kW),总功率(kW)", "2025-01-06 00:00,1,4", "2025-01-06 00:15,1,8"]
    path = write_text(tmp_path / "c.csv", lines)
    frame, rep = read_load(path)
    assert rep.value_column == "A相功率(kW)"
    frame, rep = load(path, value_column="总功率(kW)")
    assert rep.value_column == "总功率(kW)" and frame["kwh"].tolist() == [1.0, 2.0]
    assert codes(rep) == set()


def test_reactive_power_is_not_the_load(tmp_path):
    lines = ["时间,无功功率(kvar),有功功率(kW)", "2025-01-06 00:00,9,4", "2025-01-06 00:15,9,8"]
    frame, rep = read_load(write_text(tmp_path / "q.csv", lines))
    assert rep.value_column == "有功功率(kW)" and frame["kwh"].tolist() == [1.0, 2.0]
    assert codes(rep) == set()


def test_foreign_headers_by_unit_token_and_content(tmp_path):
    lines = ["Horodatage,Puissance (kW)", "2025-01-06 00:00,4", "2025-01-06 00:15,8"]
    frame, rep = read_load(write_text(tmp_path / "fr.csv", lines))
    assert (rep.time_column, rep.value_column, rep.unit) == ("Horodatage", "Puissance (kW)", "kW")
    assert frame["kwh"].tolist() == [1.0, 2.0] and codes(rep) == set()


# ----------------------------------------------------------------------------- inputs & report


def test_bytes_and_binary_io_inputs(tmp_path):
    data = "\n".join(
        long_lines("时间,电量(kWh)", ["2025-01-06 00:00", "2025-01-06 00:15"], [1, 2])
    ).encode()
    _, rep = read_load(data, file_name="up.csv")
    assert rep.file_name == "up.csv"
    frame, rep = read_load(io.BytesIO(data))
    assert rep.file_name == "upload" and frame["kwh"].tolist() == [1.0, 2.0]


def test_report_to_dict_is_json_with_iso_timestamps(tmp_path):
    times = ["2025-01-06 00:00", "2025-01-06 00:15", "2025-01-06 00:15"]
    _, rep = _long(tmp_path, times, [1, 2, 2])
    d = json.loads(json.dumps(rep.to_dict(), ensure_ascii=False))
    assert d["start"] == "2025-01-06T00:00:00+08:00" and d["end"] == "2025-01-06T00:15:00+08:00"
    assert d["warnings"] == [
        {"code": "import.duplicates", "count": 1, "first_rows": [4], "params": {"differing": 0}}
    ]


# ----------------------------------------------------------------------------- bad input


def _err(data: bytes | str, name: str = "bad.csv", **opts) -> InputError:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with pytest.raises(InputError) as info:
        read_load(raw, file_name=name, options=ImportOptions(**opts))
    assert info.value.file == name
    return info.value


def test_error_empty():
    assert _err(b"").code == "import.empty"
    assert _err("时间,电量(kWh)\n").code == "import.empty"


def test_error_unreadable_and_unsupported():
    assert _err("时间,电量\n".encode("utf-16")).code == "import.unreadable"
    assert (
        _err(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, name="old.xls").code
        == "import.unsupported_format"
    )
    assert _err(b"PK\x03\x04 not really a zip", name="x.xlsx").code == "import.unreadable"


def test_error_no_time_column():
    e = _err("名称,电量(kWh)\nA,1\nB,2\n")
    assert e.code == "import.no_time_column" and e.params["candidates"] == "名称, 电量(kWh)"
    e = _err("时间,电量(kWh)\n2025-01-06 00:00,1\n2025-01-06 00:15,2\n", time_column="采集时间")
    assert (e.code, e.column) == ("import.no_time_column", "采集时间")


def test_error_no_value_column():
    e = _err("时间,备注\n2025-01-06 00:00,正常\n2025-01-06 00:15,正常\n")
    assert e.code == "import.no_value_column"
    e = _err("时间,电量(kWh)\n2025-01-06 00:00,1\n2025-01-06 00:15,2\n", value_column="功率")
    assert (e.code, e.column) == ("import.no_value_column", "功率")


def test_error_bad_timestamp_names_row_column_text():
    e = _err("时间,电量(kWh)\n2025-01-06 00:00,1\n2025-13-45 00:15,2\n2025-01-06 00:30,3\n")
    assert (e.code, e.row, e.column, e.params["text"]) == (
        "import.bad_timestamp",
        3,
        "时间",
        "2025-13-45 00:15",
    )


def test_error_bad_number_names_row_and_column():
    e = _err(
        "标题\n时间,电量(kWh)\n2025-01-06 00:00,abc\n2025-01-06 00:15,def\n2025-01-06 00:30,1\n"
    )
    # title on row 1, header row 2, first bad cell row 3
    assert (e.code, e.row, e.column, e.params["text"]) == (
        "import.bad_number",
        3,
        "电量(kWh)",
        "abc",
    )


def test_error_interval_unknown():
    e = _err("时间,电量(kWh)\n2025-01-06 00:00,1\n2025-01-06 00:10,1\n2025-01-06 00:20,1\n")
    assert (e.code, e.params["found"]) == ("import.interval_unknown", "10")


def test_error_too_many_rows():
    rows = "\n".join(f"2025-01-06 {h:02d}:00,1" for h in range(10))
    e = _err("时间,电量(kWh)\n" + rows + "\n", max_rows=5)
    assert (e.code, e.row) == ("import.too_many_rows", 7)  # header row 1, sixth data row on row 7


def test_error_bad_option():
    e = _err("时间,电量(kWh)\n2025-01-06 00:00,1\n", labels="middle")
    assert (e.code, e.params["option"]) == ("import.bad_option", "labels")
    assert _err("x", kind="power", unit="kWh").code == "import.bad_option"
    assert _err("x", tz="Mars/Olympus").code == "import.bad_option"


def test_every_emitted_code_has_catalogue_entries():
    en, zh = catalogue("en"), catalogue("zh-CN")
    source = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (importer, readers))
    found = set(re.findall(r'"(import\.[a-z_]+)"', source))
    assert len(found) >= 20
    for code in found:
        keys = [k for k in (f"warning.{code}", f"error.{code}") if k in en]
        assert keys, code
        for k in keys:
            assert placeholders(en[k]) == placeholders(zh[k])


# ----------------------------------------------------------------------------- speed


def test_one_minute_year_imports(tmp_path):
    # speed is measured in bench/bench_import.py, never by a timed unit test
    idx = pd.date_range("2025-01-01", periods=525_600, freq="min")
    body = pd.DataFrame(
        {
            "时间": idx.strftime("%Y-%m-%d %H:%M"),
            "有功功率(kW)": np.round(np.random.default_rng(1).random(len(idx)) * 500, 3),
        }
    )
    path = tmp_path / "year.csv"
    body.to_csv(path, index=False)
    frame, rep = read_load(path)
    assert len(frame) == 525_600 and rep.interval_minutes == 1
    assert frame["kwh"].iloc[0] == pytest.approx(body.iloc[0, 1] / 60)  # kW × 1/60 h


# ----------------------------------------------------------------------------- more shapes


def test_same_day_midnight_row_listed_last_is_24_00(tmp_path):
    times = stamps("2025-03-01 00:15", 95).strftime("%Y-%m-%d %H:%M").tolist() + [
        "2025-03-01 00:00"
    ]
    frame, rep = read_load(
        write_text(tmp_path / "m.csv", long_lines("时间,电量(kWh)", times, [1.0] * 95 + [7.0]))
    )
    # the last row "2025-03-01 00:00" follows 23:45 of the same date: it is 24:00, the interval 23:45
    assert frame.index[0] == ts("2025-03-01 00:00") and frame.index[-1] == ts("2025-03-01 23:45")
    assert frame["kwh"].iloc[-1] == 7.0 and len(frame) == 96
    assert (rep.label_convention, rep.missing_intervals) == ("end", 0)
    assert codes(rep) == set()


def test_xlsx_wide_with_time_cells_in_the_header(tmp_path):
    import datetime as dt

    labels = [dt.time(h, m) for h in range(24) for m in (0, 15, 30, 45)][1:] + ["24:00"]
    rows = [
        ["日期", *labels],
        [dt.datetime(2025, 4, 1), *[4.0] * 96],
        [dt.datetime(2025, 4, 2), *[8.0] * 96],
    ]
    frame, rep = read_load(write_xlsx(tmp_path / "w.xlsx", rows, sheet="日负荷曲线"))
    # 4 kW × 0.25 h = 1 kWh on 1 April from 00:00; 8 kW → 2 kWh on 2 April until 23:45
    assert frame.index[0] == ts("2025-04-01 00:00") and frame["kwh"].iloc[0] == 1.0
    assert frame.index[-1] == ts("2025-04-02 23:45") and frame["kwh"].iloc[-1] == 2.0
    assert (rep.format, rep.label_convention, rep.sheet) == ("wide", "end", "日负荷曲线")
    assert codes(rep) == {"import.wide_unit_assumed"}


def test_xlsx_bad_timestamp_names_the_sheet_row(tmp_path):
    rows = [
        ["导出时间", "2025-04-02"],
        [],
        ["时间", "负荷(kW)"],
        ["2025-04-01 00:00", 1.0],
        ["2025-04-01 00:15", 1.0],
        ["昨天", 1.0],
        ["2025-04-01 00:45", 1.0],
    ]
    with pytest.raises(InputError) as info:
        read_load(write_xlsx(tmp_path / "b.xlsx", rows))
    e = info.value
    # metadata row 1, blank row 2, header row 3: "昨天" sits on spreadsheet row 6
    assert (e.code, e.row, e.column, e.params["text"], e.file) == (
        "import.bad_timestamp",
        6,
        "时间",
        "昨天",
        "b.xlsx",
    )


def test_wide_blank_cells_of_a_partial_day(tmp_path):
    day2 = [10.0] * 48 + [""] * 48  # exported at noon: the afternoon is not measured yet
    lines = wide_lines(
        clock_labels(96, end=True),
        {"2025-03-03": [10.0] * 96, "2025-03-04": day2},
        title="负荷(kW)",
    )
    frame, rep = read_load(write_text(tmp_path / "p.csv", lines))
    assert len(frame) == 192 and rep.missing_intervals == 48  # kept as NaN, never filled
    assert codes(rep) == {"import.non_numeric"}
    w = warning(rep, "import.non_numeric")
    assert (w.count, w.first_rows) == (48, (4,))  # title row 1, header row 2, day 2 on row 4


def test_file_without_header(tmp_path):
    frame, rep = read_load(
        write_text(tmp_path / "h.csv", ["2025-01-06 00:00,4", "2025-01-06 00:15,8"])
    )
    # the only numeric column, no unit: kW assumed → 4 kW × 0.25 h = 1 kWh
    assert frame["kwh"].tolist() == [1.0, 2.0]
    assert (rep.time_column, rep.value_column) == ("column_1", "column_2")
    assert codes(rep) == {"import.unit_assumed"}


def test_ambiguous_date_order_is_reported(tmp_path):
    lines = ["datetime,kWh", "3/1/2018 0:00,1", "3/1/2018 0:15,1"]
    frame, rep = read_load(write_text(tmp_path / "a.csv", lines))
    # "/" with both fields ≤ 12 and nothing to tell them apart: month-first (3 January? no: 1 March)
    assert frame.index[0] == ts("2018-03-01 00:00") and rep.dayfirst is False
    assert codes(rep) == {"import.date_order_assumed"}
    frame, rep = load(write_text(tmp_path / "a.csv", lines), dayfirst=True)
    assert frame.index[0] == ts("2018-01-03 00:00") and codes(rep) == set()


def test_aware_end_labels_named_in_header(tmp_path):
    lines = ["interval_end,kWh", "2025-01-01T00:15:00+01:00,1", "2025-01-01T00:30:00+01:00,2"]
    frame, rep = read_load(write_text(tmp_path / "a.csv", lines))
    # 00:15+01:00 ends the interval starting 00:00+01:00 = 07:00+08:00
    assert frame.index[0] == ts("2025-01-01 07:00")
    assert (rep.label_convention, rep.source_offset) == ("end", "+01:00")
    assert codes(rep) == set()


def test_fifteen_minute_year_end_labelled(tmp_path):
    idx = pd.date_range("2025-01-01 00:15", periods=35_040, freq="15min")
    lines = long_lines(
        "数据时间,有功功率(kW)", idx.strftime("%Y/%m/%d %H:%M"), ["123.4"] * len(idx)
    )
    path = write_text(tmp_path / "y.csv", lines)
    frame, rep = read_load(path)
    assert frame["kwh"].sum() == pytest.approx(123.4 * 0.25 * 35_040)  # kW × 0.25 h × intervals
    assert len(frame) == 35_040 and rep.label_convention == "end"  # 00:15 … next 1 Jan 00:00


def test_register_rise_across_a_gap_is_nan(tmp_path):
    times = ["2025-01-06 00:00", "2025-01-06 00:15", "2025-01-06 00:45", "2025-01-06 01:00"]
    frame, rep = _long(tmp_path, times, [100.0, 104.0, 112.0, 115.0], header="时间,表码(kWh)")
    # 104−100 = 4 (00:00); no reading at 00:30 → 00:15 absent; 112−104 spans 00:15–00:45 → NaN at 00:30;
    # 115−112 = 3 (00:45)
    np.testing.assert_array_equal(frame["kwh"].to_numpy(), [4.0, np.nan, np.nan, 3.0])
    assert rep.missing_intervals == 2
    assert codes(rep) == {"import.gaps"}


def test_xlsx_zip_bomb_is_refused(tmp_path):
    # a "workbook" whose single member claims 2 GB once unpacked: refused before openpyxl reads it
    import io
    import zipfile

    from analytics.findings import InputError
    from analytics.iotools.raw import check_archive

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * 3_000_000)
    with pytest.raises(InputError) as err:
        check_archive(buf.getvalue(), file_name="bomb.xlsx", limit=2_000_000)
    assert err.value.code == "import.archive_too_large"
    assert err.value.file == "bomb.xlsx"
    assert err.value.params["size_mb"] == 3  # 3,000,000 bytes // 1,000,000
