"""The strict bills reader: shapes of real bill tables, Chinese headers, named errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from analytics.findings import InputError
from analytics.iotools.bills import parse_month, read_bills
from tests.importer_fixtures import write_text, write_xlsx


def test_english_csv_with_every_column(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "bills.csv",
        [
            "month,energy_kwh,peak_kwh,flat_kwh,valley_kwh,demand_kw,total_cny",
            '2025-02,120000,40000,50000,30000,410.5,"86,500.20"',
            "2025-01,118000,39000,49000,30000,400,85000",
        ],
    )
    bills, report = read_bills(path)
    t = bills.table
    assert bills.months == ["2025-01", "2025-02"]  # sorted
    assert list(t["row"]) == [3, 2]  # the source rows, as a spreadsheet numbers them
    assert t.loc[1, "total_cny"] == 86500.20  # thousands separator read
    assert t.loc[0, "energy_kwh_peak"] == 39000.0 and t.loc[1, "demand_kw"] == 410.5
    assert report.rows_read == 2


def test_chinese_headers_with_units_and_chinese_months(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "电费.csv",
        ["月份,电量(kWh),尖峰电量,总电费（元）", "2025年1月,1000,100,800", "2025/2,1100,,"],
        encoding="gbk",
    )
    t = read_bills(path)[0].table
    assert list(t["month"]) == ["2025-01", "2025-02"]
    assert list(t["energy_kwh"]) == [1000.0, 1100.0]
    # an empty optional cell is "not given", never zero
    assert t["total_cny"].isna().tolist() == [False, True]
    assert t["energy_kwh_sharp"].isna().tolist() == [False, True]


def test_per_period_kwh_sum_to_the_month_when_no_total_column(tmp_path: Path) -> None:
    path = write_text(tmp_path / "b.csv", ["月份,峰电量,平电量,谷电量", "202503,10,20,30.5"])
    t = read_bills(path)[0].table
    assert t.loc[0, "month"] == "2025-03" and t.loc[0, "energy_kwh"] == 60.5  # 10 + 20 + 30.5


def test_xlsx_with_first_of_month_dates(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "bills.xlsx",
        [["月份", "用电量", "电费合计"], [dt.datetime(2025, 4, 1), 500, 400.0]],
        sheet="账单",
    )
    t = read_bills(path)[0].table
    assert (t.loc[0, "month"], t.loc[0, "energy_kwh"], t.loc[0, "total_cny"]) == (
        "2025-04",
        500.0,
        400.0,
    )


@pytest.mark.parametrize(
    ("lines", "code", "row", "column"),
    [
        (["month,energy_kwh,户号", "2025-01,1,3"], "bills.unknown_column", None, "户号"),
        (["kwh,total_cny", "1,2"], "bills.no_month_column", None, None),
        (["month,total_cny", "2025-01,2"], "bills.no_energy_column", None, None),
        (["month,kwh", "2025-01,1", "Jan 2025,2"], "bills.bad_month", 3, "month"),
        (["month,kwh", "2025-13,1"], "bills.bad_month", 2, "month"),
        (["month,kwh", "2025-01,1", "2025/1,2"], "bills.duplicate_month", 3, "month"),
        (["month,kwh", "2025-01,abc"], "bills.bad_number", 2, "kwh"),
        (["month,kwh", "2025-01,-5"], "bills.negative", 2, "kwh"),
        (["month,kwh", "2025-01,"], "bills.missing_energy", 2, "kwh"),
        (["月份,电量,电量", "2025-01,1,1"], "bills.duplicate_column", None, "电量"),
    ],
)
def test_named_errors(tmp_path: Path, lines, code, row, column) -> None:
    with pytest.raises(InputError) as e:
        read_bills(write_text(tmp_path / "bills.csv", lines))
    assert (e.value.code, e.value.row, e.value.column, e.value.file) == (
        code,
        row,
        column,
        "bills.csv",
    )


def test_month_spellings() -> None:
    assert [
        parse_month(s) for s in ("2025-1", "2025.01", "202512", "2025年12月", "2025-03-01")
    ] == [
        "2025-01",
        "2025-01",
        "2025-12",
        "2025-12",
        "2025-03",
    ]
    assert parse_month("2025-03-15") is None and parse_month("1969-01") is None
