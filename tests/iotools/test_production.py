"""Production import: runs, counts, machine-state logs; Chinese headers; row-level errors."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from analytics.findings import InputError
from analytics.iotools import ProductionOptions
from analytics.iotools.production import read_production
from analytics.production.metrics import align
from tests.conftest import SAMPLE
from tests.production_factory import TZ, grid

RUNS = SAMPLE / "sunan_production_runs_2025.csv"


def _codes(warnings) -> set[str]:
    return {w.code for w in warnings}


def test_sample_runs_import_clean() -> None:
    data, prod_report = read_production(RUNS)
    seg = data.segments
    assert data.layout == "runs"
    assert len(seg) == 1777  # README: 1,777 runs
    assert int(seg["movable"].sum()) == 1076  # README: 1,076 movable
    assert data.lines == ["L1", "L2", "L3"]
    assert str(seg["start"].dt.tz) == TZ
    assert seg["start"].iloc[0] == pd.Timestamp("2025-01-02 08:00", tz=TZ)
    assert _codes(prod_report.warnings) == set()


def test_chinese_headers_gbk_slash_dates_and_flags() -> None:
    text = (
        "某厂生产计划 2025年\n"
        "产线,开始时间,结束时间,产量(件),产品,可移动\n"
        '一号线,2025/3/3 8:00,2025/3/3 12:00,"1,200",外壳,是\n'
        "二号线,2025年3月3日 13:00,2025年3月3日 24:00,800,支架,否\n"
    )
    data, prod_report = read_production(text.encode("gbk"), file_name="计划.csv")
    seg = data.segments
    assert list(seg["line"]) == ["一号线", "二号线"]
    assert list(seg["units"]) == [1200.0, 800.0]
    assert list(seg["movable"]) == [True, False]
    assert seg["end"].iloc[1] == pd.Timestamp("2025-03-04 00:00", tz=TZ)  # 24:00 = next midnight
    assert list(seg["row"]) == [3, 4]  # title line 1, header line 2
    assert _codes(prod_report.warnings) == set()


def test_row_problems_are_warned_with_exact_codes() -> None:
    text = (
        "line,start,end,units\n"
        "A,2025-03-03 08:00,2025-03-03 10:00,100\n"  # row 2
        "A,2025-03-03 09:00,2025-03-03 11:00,100\n"  # row 3 overlaps row 2 on line A
        "B,2025-03-03 10:00,2025-03-03 09:00,50\n"  # row 4 end before start: dropped
        "B,2025-03-03 12:00,2025-03-03 13:00,\n"  # row 5 units missing → 0
        "B,2025-03-03 14:00,2025-03-03 15:00,-5\n"  # row 6 negative → 0
        "B,2025-03-03 12:00,2025-03-03 13:00,\n"  # row 7 duplicates row 5
    )
    data, prod_report = read_production(text.encode(), file_name="runs.csv")
    by = {w.code: w for w in prod_report.warnings}
    assert set(by) == {
        "production.overlap",
        "production.end_before_start",
        "production.units_missing",
        "production.negative_units",
        "production.duplicates",
    }
    assert by["production.overlap"].first_rows == (3,)
    assert by["production.end_before_start"].first_rows == (4,)
    assert by["production.units_missing"].first_rows == (5, 7)
    assert by["production.negative_units"].first_rows == (6,)
    assert by["production.duplicates"].first_rows == (7,)
    assert len(data.segments) == 4  # 6 rows − 1 reversed − 1 duplicate
    assert data.units == 200.0  # 100 + 100 + 0 + 0


@pytest.mark.parametrize(
    ("text", "code", "row", "column"),
    [
        ("line,start,end,units\nA,2025-03-03 08:00,soon,5\n", "production.bad_timestamp", 2, "end"),
        (
            "line,start,end,units\nA,2025-03-03 08:00,2025-03-03 09:00,5\n"
            "A,2025-03-03 10:00,2025-03-03 11:00,five\n",
            "production.bad_number",
            3,
            "units",
        ),
        (
            "line,start,end,units,movable\nA,2025-03-03 08:00,2025-03-03 09:00,5,maybe\n",
            "production.bad_flag",
            2,
            "movable",
        ),
        ("name,colour\nA,red\nB,blue\n", "production.unknown_layout", 1, None),
    ],
)
def test_bad_input_names_file_row_and_column(text, code, row, column) -> None:
    with pytest.raises(InputError) as info:
        read_production(text.encode(), file_name="bad.csv")
    err = info.value
    assert (err.code, err.file, err.row, err.column) == (code, "bad.csv", row, column)
    assert err.expected


def test_counts_with_offsets_and_end_labels() -> None:
    text = (
        "timestamp;line;output\n"
        "2025-03-03T09:00+08:00;A;10\n"
        "2025-03-03T10:00+08:00;A;12,5\n"  # decimal comma in a ; file
        "2025-03-03T11:00+08:00;A;0\n"
    )
    data, prod_report = read_production(
        text.encode(), file_name="counts.csv", options=ProductionOptions(labels="end")
    )
    seg = data.segments
    assert data.layout == "counts" and data.step_minutes == 60
    assert seg["start"].iloc[0] == pd.Timestamp("2025-03-03 08:00", tz=TZ)  # end label 09:00 − 1 h
    assert list(seg["units"]) == [10.0, 12.5, 0.0]
    assert _codes(prod_report.warnings) == set()


def test_machine_state_log_5min_aligns_with_15min_meter() -> None:
    # One hour of 5-minute rows for two machines: M1 runs 08:00–08:40 (8 windows × 3 items),
    # M2 runs 08:00–08:10 only; power 60 kW running, 6 kW stopped (M1), 30 / 3 kW (M2).
    stamps = pd.date_range("2025-03-03 08:00", periods=12, freq="5min")
    rows = []
    for k, ts in enumerate(stamps):
        m1 = k < 8
        m2 = k < 2
        rows.append(
            f"{ts:%Y-%m-%d %H:%M},M1,{'运行' if m1 else '停机'},{3 if m1 else 0},{60 if m1 else 6}"
        )
        rows.append(
            f"{ts:%Y-%m-%d %H:%M},M2,{'running' if m2 else 'idle'},{2 if m2 else 0},{30 if m2 else 3}"
        )
    rows.append("2025-03-03 09:00,M1,blinking,0,6")  # an unknown state: not running
    text = "采集时间,设备,状态,产量,功率(kW)\n" + "\n".join(rows) + "\n"
    data, prod_report = read_production(io.BytesIO(text.encode()), file_name="states.csv")
    assert data.layout == "states" and data.step_minutes == 5
    assert _codes(prod_report.warnings) == {"production.unknown_state"}
    assert len(data.segments) == 10  # 8 running M1 windows + 2 running M2 windows

    idx = grid("2025-03-03", 1)
    frame = pd.DataFrame({"kwh": np.full(len(idx), 10.0)}, index=idx)
    a = align(frame, data)
    i8 = idx.get_loc(pd.Timestamp("2025-03-03 08:00", tz=TZ))
    # 08:00–08:15: M1 3 windows × 3 + M2 2 windows × 2 = 13 units; 08:15: 9; 08:30: 2 × 3 = 6
    assert list(a.units.iloc[i8 : i8 + 4]) == [13.0, 9.0, 6.0, 0.0]
    # coverage: 08:30–08:45 is run for 10 of 15 min (≥ half) → production; 08:45 not
    assert list(a.production.iloc[i8 : i8 + 4]) == [True, True, True, False]
    assert a.coverage.iloc[i8 + 2] == pytest.approx(10 / 15)
    # M1 energy 08:00–08:15 = 3 × 60 kW × 5/60 h = 15 kWh; 08:30 = 2 × 5 + 6 × 5/60 = 10.5
    assert a.line_kwh["M1"].iloc[i8 : i8 + 4].tolist() == pytest.approx([15.0, 15.0, 10.5, 1.5])
    # M2 08:00 = 2 × 30 × 5/60 + 3 × 5/60 = 5.25
    assert a.line_kwh["M2"].iloc[i8] == pytest.approx(5.25)


# --------------------------------------------------------------------------- states (issue 12)
def test_normalise_state_and_a_map_over_the_words() -> None:
    from analytics.iotools.production import normalise_state

    assert [normalise_state(v) for v in (" 1.0 ", "2", "2.50", "RUN", "1e3")] == [
        "1",
        "2",
        "2.5",
        "run",
        "1000",
    ]
    # "setup" is a stopped word; the map says it runs here: rows 2 and 3 run (4 + 6 = 10 units)
    text = (
        "timestamp,machine,state,items\n"
        "2025-03-03 08:00,M1,setup,4\n"
        "2025-03-03 08:15,M1,running,6\n"
        "2025-03-03 08:30,M1,idle,0\n"
    )
    data, report = read_production(
        text.encode(), options=ProductionOptions(state_map={"SETUP": "Running"})
    )
    assert data.segments["row"].tolist() == [2, 3] and data.units == 10.0
    assert report.warnings == []


def test_a_text_state_without_a_map_keeps_the_warning() -> None:
    text = (
        "timestamp,machine,state,items\n2025-03-03 08:00,M1,warming,4\n2025-03-03 08:15,M1,run,6\n"
    )
    data, report = read_production(text.encode())
    assert [(w.code, w.count, w.params["states"]) for w in report.warnings] == [
        ("production.unknown_state", 1, "warming")
    ]
    assert data.units == 6.0
