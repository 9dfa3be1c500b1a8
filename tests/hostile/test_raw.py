"""Hostile corpus for the raw readers (analytics/iotools/raw.py), issue 12.

Every file is generated here (tmp_path or bytes): XLSX dimension and zip bombs, wide and
far-away rows, cover sheets, huge cells, oversize files, row floods, mixed and broken
encodings, NUL bytes. Each case states its exact code and row/column (worked out next to
it); a few run through the CLI and must exit 2 with one stderr line and no traceback.
"""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest

from analytics.cli.main import main
from analytics.findings import InputError
from analytics.iotools import raw
from analytics.iotools.raw import read_table
from tests.importer_fixtures import xlsx_workbook as _xlsx

ROWS = 2_000_000  # the load importer's default row cap


# --------------------------------------------------------------------------- builders


_SHEET = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "{dimension}<sheetData>{rows}</sheetData>{tail}</worksheet>"
)


def _row(r: int, *cells: tuple[str, str]) -> str:
    """``<row>`` with inline-string or number cells: ``("A", "时间")``, ``("B", "1.5")``."""
    out = []
    for col, v in cells:
        if v == "":
            out.append(f'<c r="{col}{r}" s="0"/>')  # a styled empty cell
        elif re.fullmatch(r"-?\d+(\.\d+)?", v):
            out.append(f'<c r="{col}{r}"><v>{v}</v></c>')
        else:
            out.append(f'<c r="{col}{r}" t="inlineStr"><is><t>{v}</t></is></c>')
    return f'<row r="{r}">{"".join(out)}</row>'


def _crafted(rows: str, *, dimension: str | None = "A1:B3", tail: str = "") -> bytes:
    """A workbook from openpyxl with its only sheet's XML replaced by ``rows``."""
    base = _xlsx({"Sheet1": [["x"]]})
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = _SHEET.format(dimension=dim, rows=rows, tail=tail).encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = sheet if info.filename == "xl/worksheets/sheet1.xml" else src.read(info)
            dst.writestr(info.filename, data)
    return out.getvalue()


_TABLE = _row(1, ("A", "时间"), ("B", "kWh")) + "".join(
    _row(r, ("A", f"2025-01-01 00:{15 * (r - 2):02d}"), ("B", f"{r}.5")) for r in (2, 3)
)


def _err(data: bytes, name: str, **kw) -> InputError:
    with pytest.raises(InputError) as exc:
        read_table(data, file_name=name, max_rows=kw.pop("max_rows", ROWS), **kw)
    return exc.value


def _cli(capsys, path) -> str:
    """Run ``analyze --load path``; assert exit 2, one stderr line, no traceback."""
    status = main(["analyze", "--load", str(path)])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("error: ")
    return err


# --------------------------------------------------------------------------- XLSX bounds


def test_dimension_bomb_refused_from_declaration_before_openpyxl(tmp_path, capsys):
    # 6 KB on disk; declares A1:XFD1048576 = 1,048,576 rows × 16,384 columns (XFD = 24·676 +
    # 6·26 + 4 = 16,384). Today's reader padded every row to 16,384 cells and grew past 6 GB.
    data = _crafted(_TABLE, dimension="A1:XFD1048576")
    assert len(data) < 10_000
    t0 = time.perf_counter()
    err = _err(data, "bomb.xlsx")
    assert time.perf_counter() - t0 < 2.0
    assert err.code == "import.sheet_too_large" and err.file == "bomb.xlsx"
    assert (err.params["sheet"], err.params["dimension"]) == ("Sheet1", "A1:XFD1048576")
    assert (err.params["rows"], err.params["columns"]) == (1_048_576, 16_384)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data)
    line = _cli(capsys, path)
    assert "Sheet1" in line and "A1:XFD1048576" in line


def test_declared_cells_over_twenty_million_refused():
    # A1:ALL20001: ALL = 1·676 + 12·26 + 12 = 1,000 columns (≤ 2,000), 20,001 rows (≤ the row
    # cap), but 20,001 × 1,000 = 20,001,000 cells > 20,000,000.
    err = _err(_crafted(_TABLE, dimension="A1:ALL20001"), "cells.xlsx")
    assert err.code == "import.sheet_too_large"
    assert (err.params["rows"], err.params["columns"]) == (20_001, 1_000)


def test_declared_width_over_two_thousand_columns_refused():
    # BXY = 2·676 + 24·26 + 25 = 2,001 columns > 2,000, on 3 rows (6,003 cells, fine)
    err = _err(_crafted(_TABLE, dimension="A1:BXY3"), "wide.xlsx")
    assert err.code == "import.sheet_too_large"
    assert (err.params["rows"], err.params["columns"]) == (3, 2_001)


def test_declared_rows_over_the_row_cap_refused():
    # max_rows 100 + 60 title rows allowed = 160; A1:B161 declares 161
    err = _err(_crafted(_TABLE, dimension="A1:B161"), "long.xlsx", max_rows=100)
    assert err.code == "import.sheet_too_large"
    assert (err.params["rows"], err.params["max_rows"]) == (161, 160)


def test_dimension_that_lies_small_hides_no_rows():
    # declares "A1" only; openpyxl's read-only mode used to stop at row 1 and lose rows 2–3.
    table = read_table(_crafted(_TABLE, dimension="A1"), file_name="lie.xlsx", max_rows=ROWS)
    assert table.header == ["时间", "kWh"]
    assert table.rows.tolist() == [2, 3]
    assert table.cells[1].tolist() == ["2.5", "3.5"]  # r + 0.5 for rows 2 and 3


def test_row_past_excel_last_row_refused():
    # a row numbered 1,048,577, one past Excel's last row 1,048,576 (no dimension declared)
    rows = _TABLE + _row(1_048_577, ("A", "2025-01-01 00:30"), ("B", "9"))
    err = _err(_crafted(rows, dimension=None), "far.xlsx")
    assert err.code == "import.sheet_too_large"
    assert err.params["rows"] == 1_048_577


def test_far_row_within_excel_is_read_at_its_own_row():
    # a data row at 1,048,576 after rows 2–3: read once, numbered as the sheet shows it,
    # without materialising the 1,048,572 empty rows between
    rows = _TABLE + _row(1_048_576, ("A", "2025-01-01 00:30"), ("B", "9"))
    table = read_table(_crafted(rows, dimension=None), file_name="far.xlsx", max_rows=ROWS)
    assert table.rows.tolist() == [2, 3, 1_048_576]
    assert table.cells[1].tolist() == ["2.5", "3.5", "9"]


def test_value_beyond_column_two_thousand_refused_with_its_cell():
    # no dimension (so the declaration cannot catch it); a value in XFD2 = column 16,384
    rows = _row(1, ("A", "时间"), ("B", "kWh")) + _row(
        2, ("A", "2025-01-01 00:00"), ("B", "1.5"), ("XFD", "7")
    )
    err = _err(_crafted(rows, dimension=None), "xfd.xlsx")
    assert (err.code, err.row, err.column) == ("import.too_many_columns", 2, "XFD")


def test_styled_empty_cell_far_right_is_trimmed_not_refused():
    # an empty styled cell at XFD2 carries no value: the row is cut at column 2,000
    rows = _row(1, ("A", "时间"), ("B", "kWh")) + _row(
        2, ("A", "2025-01-01 00:00"), ("B", "1.5"), ("XFD", "")
    )
    table = read_table(_crafted(rows, dimension=None), file_name="pad.xlsx", max_rows=ROWS)
    assert table.cells.shape == (1, 2_000)
    assert table.cells.iloc[0, :2].tolist() == ["2025-01-01 00:00", "1.5"]


def test_high_ratio_member_refused_before_inflating():
    # 5,000,000 spaces of padding after sheetData deflate to ~5 KB: a ratio near 1,000 > 100
    err = _err(_crafted(_TABLE, tail=" " * 5_000_000), "ratio.xlsx")
    assert err.code == "import.archive_ratio"
    assert err.params["member"] == "xl/worksheets/sheet1.xml" and err.params["ratio"] > 100


def test_unpacked_over_three_hundred_megabytes_refused(tmp_path):
    # one member of 301,000,000 bytes, streamed in: refused from the directory (301 MB > 300 MB)
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
        zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f,
    ):
        for _ in range(301):
            f.write(b" " * 1_000_000)
    err = _err(buf.getvalue(), "big.xlsx")
    assert err.code == "import.archive_too_large"
    assert (err.params["size_mb"], err.params["limit_mb"]) == (301, 300)


def test_zip_directory_of_ten_thousand_and_one_members_refused():
    # 10,001 empty members > 10,000, counted from the end record before zipfile opens it
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(10_001):
            zf.writestr(f"m{i}", b"")
    err = _err(buf.getvalue(), "many.xlsx")
    assert (err.code, err.params["members"]) == ("import.archive_too_many_members", 10_001)


def test_time_budget_names_the_row_reached():
    # a zero budget is spent once the workbook is open: the stream stops at its first row
    data = _xlsx({"数据": [["时间", "kWh"], ["2025-01-01 00:00", 1.0]]})
    err = _err(data, "slow.xlsx", time_budget_s=0.0)
    assert (err.code, err.row, err.params["sheet"]) == ("import.time_budget", 1, "数据")


def test_huge_xlsx_cell_refused_with_row_and_column():
    # B3 holds 10,001 characters, one over the 10,000 cap
    data = _xlsx(
        {"d": [["时间", "备注"], ["2025-01-01 00:00", "ok"], ["2025-01-01 00:15", "x" * 10_001]]}
    )
    err = _err(data, "cell.xlsx")
    assert (err.code, err.row, err.column, err.params["chars"]) == (
        "import.field_too_large",
        3,
        "B",
        10_001,
    )


def test_broken_sheet_xml_is_unreadable_not_a_traceback():
    err = _err(_crafted("<row r='1'><c r='A1'><v>1</v></c>", dimension=None), "bad.xlsx")
    assert err.code == "import.unreadable"


# --------------------------------------------------------------------------- which sheet


COVER = [
    ["苏南某厂 2025 年负荷数据"],
    ["导出时间", "2025-12-31"],
    ["单位", "kW"],
    ["说明", "见第二页"],
]
DATA = [["时间", "有功功率(kW)"]] + [[f"2025-01-01 00:{15 * i:02d}", 100.0 + i] for i in range(4)]


def test_data_behind_a_cover_sheet_is_found(tmp_path):
    # the cover has 3 two-cell rows but none with two times/numbers; 数据 has 4 of 5 rows
    table = read_table(_xlsx({"封面": COVER, "数据": DATA}), file_name="c.xlsx", max_rows=ROWS)
    assert table.sheet == "数据"
    assert table.header == ["时间", "有功功率(kW)"]
    assert table.cells[1].tolist() == ["100", "101", "102", "103"]  # 100.0 + i, stored as integers
    assert table.rows.tolist() == [2, 3, 4, 5]


def test_unknown_sheet_lists_the_sheets(tmp_path, capsys):
    data = _xlsx({"封面": COVER, "数据": DATA})
    err = _err(data, "c.xlsx", sheet="Sheet9")
    assert (err.code, err.params["sheet"], err.params["sheets"]) == (
        "import.unknown_sheet",
        "Sheet9",
        "封面, 数据",
    )
    path = tmp_path / "c.xlsx"
    path.write_bytes(data)
    status = main(["analyze", "--load", str(path), "--sheet", "Sheet9"])
    _, stderr = capsys.readouterr()
    # the CLI passes --sheet once ImportOptions.sheet reaches read_table (another change);
    # until then it reads the data sheet and may succeed, so only the no-traceback rule holds
    assert status in (0, 2) and "Traceback" not in stderr


# --------------------------------------------------------------------------- CSV bounds


def test_150k_character_cell_refused_not_crashed(tmp_path, capsys):
    # row 3, column B: 150,000 characters (csv's own limit, 131,072, made it crash)
    text = "时间,电量(kWh)\n2025-01-01 00:00,1.0\n2025-01-01 00:15," + "9" * 150_000 + "\n"
    path = tmp_path / "cell.csv"
    path.write_bytes(text.encode())
    err = _err(path.read_bytes(), "cell.csv")
    assert (err.code, err.row, err.column, err.params["chars"]) == (
        "import.field_too_large",
        3,
        "B",
        150_000,
    )
    assert "row 3" in _cli(capsys, path)


def test_long_cell_below_the_sample_found_after_parsing():
    # 100 data rows; row 101 (header = row 1, data rows 2–101) holds 10,001 characters in B
    lines = ["时间,电量(kWh)"] + [
        f"2025-01-01 {i // 4:02d}:{15 * (i % 4):02d},1" for i in range(99)
    ]
    lines.append("2025-01-02 00:45," + "1" * 10_001)
    err = _err(("\n".join(lines) + "\n").encode(), "late.csv")
    assert (err.code, err.row, err.column) == ("import.field_too_large", 101, "B")


def test_file_over_200_mib_refused_before_reading(tmp_path, capsys):
    # a sparse file of 200 MiB + 1 byte: refused from its size, never read (size_mb 200 = floor)
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:
        f.truncate(raw.MAX_FILE_BYTES + 1)
    with pytest.raises(InputError) as exc:
        raw.source_bytes(path, None)
    assert exc.value.code == "import.file_too_large"
    assert (exc.value.params["size_mb"], exc.value.params["limit_mb"]) == (200, 200)
    assert "200 MB" in _cli(capsys, path)


def test_row_flood_refused_from_the_raw_line_count():
    # max_rows 10; header on line 1, 11 data lines (2–12): the 11th data row is line 12
    lines = ["时间,电量(kWh)"] + [f"2025-01-01 00:{i:02d},1" for i in range(11)]
    err = _err(("\n".join(lines) + "\n").encode(), "flood.csv", max_rows=10)
    assert (err.code, err.row, err.params["limit"]) == ("import.too_many_rows", 12, 10)


def test_row_flood_with_blank_lines_counts_only_rows():
    # a blank line after every data row: data rows on lines 2, 4, …, 22; the 11th is line 22;
    # 10 data rows with blanks (21 lines) pass
    lines = ["时间,电量(kWh)"]
    for i in range(11):
        lines += [f"2025-01-01 00:{i:02d},1", ""]
    err = _err(("\n".join(lines) + "\n").encode(), "blank.csv", max_rows=10)
    assert (err.code, err.row) == ("import.too_many_rows", 22)
    ok = read_table(("\n".join(lines[:21]) + "\n").encode(), file_name="b.csv", max_rows=10)
    assert len(ok.cells) == 10


# --------------------------------------------------------------------------- encodings


def test_gbk_bytes_late_in_a_utf8_file_name_their_line(tmp_path, capsys):
    # UTF-8 header (时间 电量: 4 multi-byte characters = evidence), then line 4 in GBK
    head = "时间,电量(kWh)\n2025-01-01 00:00,1.0\n2025-01-01 00:15,2.0\n".encode()
    late = b"2025-01-01 00:30,3.0," + "备注".encode("gbk") + b"\n"
    data = head + late
    # offset: header 19 bytes (时间 电量 4×3 + ",(kWh)\n" 7) + 2 data lines × 21
    # ("2025-01-01 00:00,1.0\n") = 61, + 21 bytes ("2025-01-01 00:30,3.0,") into line 4 = 82
    err = _err(data, "mixed.csv")
    assert (err.code, err.row, err.params["offset"]) == ("import.mixed_encoding", 4, 82)
    path = tmp_path / "mixed.csv"
    path.write_bytes(data)
    assert "line 4" in _cli(capsys, path)


def test_gbk_late_in_a_bom_file_is_mixed():
    # a BOM says UTF-8 even with an ASCII header: GBK on line 3 is an error, not mojibake
    data = b"\xef\xbb\xbftime,kwh\n2025-01-01 00:00,1\n2025-01-01 00:15," + "备注".encode("gbk")
    err = _err(data, "bom.csv")
    assert (err.code, err.row) == ("import.mixed_encoding", 3)


def test_bytes_valid_in_no_encoding_name_their_line():
    # 0xFF is invalid in UTF-8, GBK and GB18030. "time,kwh\n" = 9 bytes, "2025-01-01,1\n" = 13,
    # so line 3 starts at byte 22; "2025-01-02," = 11 more → 0xFF at byte 33
    data = b"time,kwh\n2025-01-01,1\n2025-01-02,\xff\n"
    err = _err(data, "bad.csv")
    assert (err.code, err.row, err.params["offset"]) == ("import.bad_encoding", 3, 33)


def test_nul_byte_late_names_its_line():
    # line 4 holds a NUL; offsets: "t,k\n" 4 + "1,2\n" 4 + "3,4\n" 4 = 12, then "5" → byte 13
    data = b"t,k\n1,2\n3,4\n5\x00,6\n"
    err = _err(data, "nul.csv")
    assert (err.code, err.row, err.params["offset"]) == ("import.nul_byte", 4, 13)


def test_utf16_stays_unreadable_with_its_line():
    err = _err("时间,电量\n1,2\n".encode("utf-16"), "u16.csv")
    assert (err.code, err.row) == ("import.unreadable", 1)


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gbk"), ("gb18030", "gb18030")],
)
def test_accepted_encodings_still_read(encoding, expected):
    # gb18030 case: 🙂 exists only in GB18030 (4 bytes), so GBK fails and GB18030 reads it
    note = "🙂" if encoding == "gb18030" else "正常"
    text = f"时间,电量(kWh),备注\n2025-01-01 00:00,1.5,{note}\n2025-01-01 00:15,2.5,{note}\n"
    table = read_table(text.encode(encoding), file_name="e.csv", max_rows=ROWS)
    assert table.encoding == expected
    assert table.header == ["时间", "电量(kWh)", "备注"]
    assert table.cells[2].tolist() == [note, note]
