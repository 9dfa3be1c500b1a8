"""``--sheet``: the workbook sheet holding the data, found by content or named."""

from __future__ import annotations

import json

from openpyxl import Workbook

from analytics.cli.main import main


def _workbook(path) -> None:
    wb = Workbook()
    cover = wb.active
    cover.title = "封面"
    cover["A1"], cover["A2"] = "苏南精密 2025 年 3 月用电数据", "导出: 用电信息采集系统"
    data = wb.create_sheet("数据")
    data.append(["时间", "用电量(kWh)"])
    for i in range(8):  # 2025-03-03 00:00 … 01:45, 15 min: 1 + 2 + … + 8 = 36 kWh
        data.append([f"2025-03-03 {i // 4:02d}:{i % 4 * 15:02d}", float(i + 1)])
    other = wb.create_sheet("备用")
    other.append(["时间", "用电量(kWh)"])
    for i in range(4):  # 10 kWh each: 40 kWh
        other.append([f"2025-03-04 00:{i * 15:02d}", 10.0])
    wb.save(path)


def test_the_data_sheet_behind_a_cover_is_found_or_named(tmp_path, capsys) -> None:
    book = tmp_path / "export.xlsx"
    _workbook(book)
    out = tmp_path / "a.json"
    assert main(["analyze", "--load", str(book), "--labels", "start", "--json", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["load"]["energy_kwh"] == 36.0
    assert (
        main(
            [
                "analyze",
                "--load",
                str(book),
                "--labels",
                "start",
                "--sheet",
                "备用",
                "--json",
                str(out),
            ]
        )
        == 0
    )
    assert json.loads(out.read_text(encoding="utf-8"))["load"]["energy_kwh"] == 40.0


def test_an_unknown_sheet_is_one_line_listing_the_sheets(tmp_path, capsys) -> None:
    book = tmp_path / "export.xlsx"
    _workbook(book)
    capsys.readouterr()
    assert main(["analyze", "--load", str(book), "--sheet", "Data"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "Data" in err and "封面" in err and "数据" in err and "备用" in err
