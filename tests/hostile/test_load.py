"""Hostile load files (analytics/iotools/load.py): compact dates, interval changes, DST
positional days, overflow, out-of-range dates. Each case: the exact code and row/column, or
the exact figures; the CLI cases exit 2 with one stderr line and no traceback."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.cli.main import main
from analytics.findings import InputError
from analytics.iotools.load import ImportOptions, read_load
from tests.importer_fixtures import write_text

P96 = [f"P{k}" for k in range(1, 97)]


def _long(tmp_path, values, header="时间,电量(kWh)", name="h.csv"):
    t = pd.Timestamp("2025-01-06 00:00")
    lines = [header] + [
        f"{t + pd.Timedelta(minutes=15 * k):%Y-%m-%d %H:%M},{v}" for k, v in enumerate(values)
    ]
    return write_text(tmp_path / name, lines)


def _error(path, **opts) -> InputError:
    with pytest.raises(InputError) as exc:
        read_load(path, options=ImportOptions(**opts))
    return exc.value


@pytest.mark.parametrize("text", ["inf", "-inf", "1e309", "1.7e308", "Infinity"])
def test_overflowing_values_name_row_and_column(tmp_path, text):
    # row 1 is the header; the 4th value (index 3) sits on row 5
    err = _error(_long(tmp_path, ["1", "2", "3", text, "5", "6"]))
    assert (err.code, err.row, err.column) == ("import.value_out_of_range", 5, "电量(kWh)")
    assert err.params["text"] == text


def test_mwh_value_that_would_overflow_when_converted(tmp_path):
    # 1e306 MWh × 1000 = 1e309 kWh (inf): refused at the source, row 3
    err = _error(_long(tmp_path, ["1", "1e306", "1"], header="时间,电量(MWh)"))
    assert (err.code, err.row, err.column) == ("import.value_out_of_range", 3, "电量(MWh)")


def test_sum_overflow_never_happens(tmp_path):
    # two values of 1e300 each would sum to 2e300 — still finite, but both are out of bounds
    err = _error(_long(tmp_path, ["1e300", "1e300", "1"]))
    assert (err.code, err.row) == ("import.value_out_of_range", 2)


@pytest.mark.parametrize(("stamp", "row"), [("2300-01-06 00:45", 5), ("1800-01-06 00:45", 5)])
def test_out_of_range_dates_name_file_row_column_text(tmp_path, stamp, row):
    lines = ["时间,电量(kWh)"] + [f"2025-01-06 00:{m:02d},1" for m in (0, 15, 30)]
    lines += [f"{stamp},1", "2025-01-06 01:00,1"]
    err = _error(write_text(tmp_path / "d.csv", lines))
    assert (err.code, err.file, err.row, err.column) == (
        "import.date_out_of_range",
        "d.csv",
        row,
        "时间",
    )
    assert err.params["text"] == stamp


def test_out_of_range_date_in_the_last_row_is_not_a_footer(tmp_path):
    lines = ["时间,电量(kWh)", "2025-01-06 00:00,1", "2025-01-06 00:15,1", "2300-01-01 00:00,1"]
    err = _error(write_text(tmp_path / "f.csv", lines))
    assert (err.code, err.row) == ("import.date_out_of_range", 4)


def test_compact_date_out_of_range_in_a_wide_file(tmp_path):
    lines = ["日期," + ",".join(P96)] + [
        f"{d}," + ",".join(["1"] * 96)
        for d in ("20250106", "20250107", "20250108", "20250109", "23000110")
    ]
    # 4 of 5 cells are dates of 1990–2099 (80 %): a compact column; row 6 holds the year 2300
    err = _error(write_text(tmp_path / "w.csv", lines))
    assert (err.code, err.row, err.column) == ("import.date_out_of_range", 6, "日期")
    assert err.params["text"] == "23000110"


def test_excel_serial_out_of_range_names_the_cell(tmp_path):
    # 99999 is no serial of 1990–2099, so detection refuses; the chosen column names the cell
    lines = ["date,kWh"] + [f"{43101 + k / 96!r},1" for k in range(6)] + ["99999,1"]
    path = write_text(tmp_path / "s.csv", lines)
    assert _error(path).code == "import.no_time_column"
    err = _error(path, time_column="date")
    assert (err.code, err.row, err.column) == ("import.date_out_of_range", 8, "date")


def test_one_far_row_cannot_blow_the_grid_up(tmp_path):
    # 1971-01-06 … 2025-01-06 at 15 min = 54 years ≈ 1.9 M intervals > max_rows 1000
    lines = ["时间,电量(kWh)", "1971-01-06 00:00,1"] + [
        f"2025-01-06 00:{m:02d},1" for m in (0, 15, 30, 45)
    ]
    err = _error(write_text(tmp_path / "far.csv", lines), max_rows=1000)
    assert (err.code, err.row, err.column) == ("import.span_too_long", 2, "时间")


def test_interval_change_5_then_15_energy_total_is_exact(tmp_path):
    t = pd.Timestamp("2025-01-06 00:00")
    lines = ["time,kWh"]
    lines += [f"{t + pd.Timedelta(minutes=5 * k):%Y-%m-%d %H:%M},0.125" for k in range(24)]
    t2 = t + pd.Timedelta(hours=2)
    lines += [f"{t2 + pd.Timedelta(minutes=15 * k):%Y-%m-%d %H:%M},2.5" for k in range(8)]
    frame, rep = read_load(write_text(tmp_path / "x.csv", lines))
    # 24 × 0.125 + 8 × 2.5 = 3 + 20 = 23 kWh, all kept; 8 quarters of 3 × 0.125 = 0.375
    assert frame["kwh"].sum() == 23.0
    assert frame["kwh"].tolist() == [0.375] * 8 + [2.5] * 8
    w = next(w for w in rep.warnings if w.code == "import.interval_changed")
    assert (w.count, w.first_rows[0]) == (24, 2)


def test_96_point_row_on_the_spring_day_with_every_cell_filled(tmp_path):
    lines = ["日期," + ",".join(P96), "2025-03-30," + ",".join(["1"] * 96)]
    err = _error(write_text(tmp_path / "s.csv", lines), tz="Europe/Berlin")
    # 23-hour day: 92 intervals; P9 (02:00) is the first cell the day has no time for
    assert (err.code, err.row, err.column) == ("import.dst_day_points", 2, "P9")
    assert (err.params["hours"], err.params["points"]) == (23, 92)


def test_96_point_row_on_the_spring_day_read_by_position(tmp_path):
    lines = ["日期," + ",".join(P96), "2025-03-30," + ",".join(["2"] * 92 + [""] * 4)]
    frame, _ = read_load(
        write_text(tmp_path / "s.csv", lines), options=ImportOptions(tz="Europe/Berlin")
    )
    # 92 × 2 kW × 0.25 h = 46 kWh, the last at 23:45 CEST
    assert frame["kwh"].sum() == 46.0 and len(frame) == 92
    assert frame.index[-1] == pd.Timestamp("2025-03-30 23:45", tz="Europe/Berlin")


def test_positional_extra_points_on_an_ordinary_day_are_refused(tmp_path):
    labels = [f"P{k}" for k in range(1, 101)]
    lines = ["日期," + ",".join(labels), "2025-03-29," + ",".join(["1"] * 100)]
    err = _error(write_text(tmp_path / "p.csv", lines), tz="Europe/Berlin")
    assert (err.code, err.row, err.column) == ("import.dst_day_points", 2, "P97")


def test_clock_labels_on_the_autumn_day_berlin(tmp_path):
    labels = [f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 1440, 15)]
    lines = ["日期," + ",".join(labels), "2025-10-26," + ",".join(["4"] * 96)]
    frame, rep = read_load(
        write_text(tmp_path / "a.csv", lines), options=ImportOptions(tz="Europe/Berlin")
    )
    # 96 × 4 kW × 0.25 h = 96 kWh kept; 25-hour day = 100 intervals, 4 empty
    assert frame["kwh"].sum() == 96.0 and len(frame) == 100
    assert rep.missing_intervals == 4


# ----------------------------------------------------------------------------- through the CLI


def _cli(capsys, path, *extra):
    code = main(["analyze", "--load", str(path), *extra])
    err = capsys.readouterr().err
    return code, err


def test_cli_overflow_exits_2_with_one_line(tmp_path, capsys):
    code, err = _cli(capsys, _long(tmp_path, ["1", "1e309", "1"]))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "row 3" in err and "电量(kWh)" in err and "1e309" in err


def test_cli_out_of_range_date_exits_2(tmp_path, capsys):
    lines = ["时间,电量(kWh)", "2025-01-06 00:00,1", "1800-01-06 00:15,1", "2025-01-06 00:30,1"]
    code, err = _cli(capsys, write_text(tmp_path / "o.csv", lines))
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "o.csv" in err and "row 3" in err and "1800-01-06 00:15" in err


def test_cli_dst_day_points_exits_2_in_chinese(tmp_path, capsys):
    lines = ["日期," + ",".join(P96), "2025-03-30," + ",".join(["1"] * 96)]
    path = write_text(tmp_path / "b.csv", lines)
    code, err = _cli(capsys, path, "--tz", "Europe/Berlin", "--lang", "zh-CN")
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "第 2 行" in err and "P9" in err


def test_cli_bad_date_column_override_exits_2(tmp_path, capsys):
    code, err = _cli(capsys, _long(tmp_path, ["1"] * 4), "--date-column", "nope")
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
