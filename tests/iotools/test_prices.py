"""The price-series reader (analytics/iotools/prices.py): shapes and row-level errors."""

from __future__ import annotations

import io

import openpyxl
import pytest

from analytics.findings import InputError
from analytics.iotools import read_prices


def _read(text: str, name: str = "p.csv", encoding: str = "utf-8"):
    return read_prices(text.encode(encoding), file_name=name)


def test_chinese_headers_mwh_unit_negative_prices_gbk() -> None:
    text = "日前出清结果\n时间,出清电价(元/MWh)\n2026-05-01 12:00,-80\n2026-05-01 12:15,15.5\n"
    prices, report = _read(text, encoding="gbk")
    # −80 CNY/MWh = −0.08 CNY/kWh; 15.5 CNY/MWh = 0.0155 CNY/kWh
    assert prices.tolist() == pytest.approx([-0.08, 0.0155])
    assert report.unit == "CNY/MWh"
    assert report.step_minutes == 15
    assert str(prices.index.tz) == "Asia/Shanghai"
    assert report.end.isoformat() == "2026-05-01T12:30:00+08:00"


def test_xlsx_half_hourly_unsorted_is_sorted() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["timestamp", "price_cny_per_kwh"])
    ws.append(["2026-01-01 01:00", 0.3])
    ws.append(["2026-01-01 00:00", 0.1])
    ws.append(["2026-01-01 00:30", 0.2])
    buf = io.BytesIO()
    wb.save(buf)
    prices, report = read_prices(buf.getvalue(), file_name="p.xlsx")
    assert prices.tolist() == pytest.approx([0.1, 0.2, 0.3])
    assert report.step_minutes == 30


@pytest.mark.parametrize(
    ("text", "code", "row", "column"),
    [
        ("when,price\n2026-01-01 00:00,1\n", "prices.no_time_column", 1, None),
        ("time,value\n2026-01-01 00:00,1\n", "prices.no_price_column", 1, None),
        ("time,price\n2026-01-01 00:00,0.1\nyesterday,0.2\n", "prices.bad_timestamp", 3, "time"),
        ("time,price\n2026-01-01 00:00,0.1\n2026-01-01 00:15,abc\n", "prices.bad_number", 3,
         "price"),
        ("time,price\n2026-01-01 00:00,0.1\n2026-01-01 00:15,\n", "prices.bad_number", 3,
         "price"),
        ("time,price\n2026-01-01 00:00,0.1\n2026-01-01 00:15,350\n", "prices.out_of_range", 3,
         "price"),
        ("time,price\n2026-01-01 00:00,0.1\n2026-01-01 00:00,0.2\n", "prices.duplicate_time", 3,
         "time"),
        ("time,price\n2026-01-01 00:00,0.1\n", "prices.step_unknown", None, "time"),
        ("time,price\n2026-01-01 00:00,0.1\n2026-01-01 00:07,0.1\n2026-01-01 00:14,0.1\n",
         "prices.step_unknown", None, "time"),
        ("time,price\n2026-01-01 00:00,0.1\n2026-01-01 00:15,0.1\n2026-01-01 00:40,0.1\n"
         "2026-01-01 00:55,0.1\n", "prices.off_step", 4, "time"),
    ],
)  # fmt: skip
def test_bad_rows_name_file_row_column(text: str, code: str, row, column) -> None:
    with pytest.raises(InputError) as err:
        _read(text)
    assert err.value.code == code
    assert err.value.file == "p.csv"
    assert err.value.row == row
    if column is not None:
        assert err.value.column == column
    assert err.value.expected


def test_row_cap_from_the_raw_reader() -> None:
    text = "time,price\n" + "".join(f"2026-01-01 {h:02d}:00,0.1\n" for h in range(10))
    with pytest.raises(InputError) as err:
        read_prices(text.encode(), file_name="p.csv", max_rows=5)
    assert err.value.code == "import.too_many_rows"


def test_the_sample_series_is_reproduced_by_its_generator() -> None:
    import runpy

    import pandas as pd

    from tests.conftest import SAMPLE

    gen = runpy.run_path(str(SAMPLE / "prices" / "generate_prices.py"))
    committed = pd.read_csv(SAMPLE / "prices" / "hourly_price_2025_illustrative.csv")
    pd.testing.assert_frame_equal(gen["hourly_series"](), committed)
    prices, report = read_prices(SAMPLE / "prices" / "hourly_price_2025_illustrative.csv")
    assert report.step_minutes == 60 and len(prices) == 8760
