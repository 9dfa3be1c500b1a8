"""Unit tests for analytics/iotools/raw.py: the helpers behind the bounds and the decoding.

The adversarial files live in tests/hostile/test_raw.py; here each helper is checked on
small inputs whose answers are worked out by hand next to them.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from analytics.findings import InputError
from analytics.iotools import raw
from analytics.iotools.raw import detect_encoding, read_table, source_bytes
from tests.importer_fixtures import xlsx_workbook as _xlsx


@pytest.mark.parametrize(
    ("index", "letter"),
    [(1, "A"), (26, "Z"), (27, "AA"), (702, "ZZ"), (703, "AAA"), (2_000, "BXX"), (16_384, "XFD")],
)
def test_column_letter(index, letter):
    # 702 = 26 + 26·26 (ZZ); 2,000 = 2·676 + 24·26 + 24 (B X X); 16,384 = 24·676 + 6·26 + 4
    assert raw._column_letter(index) == letter


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("A1", (1, 1)),
        ("$B$7", (7, 2)),
        ("xfd1048576", (1_048_576, 16_384)),
        ("1A", None),
        ("", None),
    ],
)
def test_cell_ref(ref, expected):
    assert raw._cell_ref(ref) == expected


def test_declared_dimension_read_from_the_head_of_the_sheet():
    data = _xlsx({"s": [["a", "b", "c"], [1, 2, 3]]})  # openpyxl declares A1:C2
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheets = raw._worksheets(zf)
        assert sheets == [("s", "xl/worksheets/sheet1.xml")]
        assert raw.declared_dimension(zf, sheets[0][1]) == ("A1:C2", 2, 3)


def test_worksheets_keep_workbook_order_and_titles():
    data = _xlsx({"封面": [["x"]], "数据 & 说明": [["y"]]})  # & is stored escaped as &amp;
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert [t for t, _ in raw._worksheets(zf)] == ["封面", "数据 & 说明"]


def test_line_of_offsets():
    data = b"ab\ncd\n\nef"
    # bytes 0–2 are line 1 (the LF at 2 ends it), 3–5 line 2, 6 line 3, 7– line 4
    assert [raw._line_of(data, o) for o in (0, 2, 3, 6, 7)] == [1, 1, 2, 3, 4]
    assert raw._line_of(b"a\rb\rc", 4) == 3  # bare CRs count when there is no LF


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"time,kwh\n1,2\n", "utf-8"),
        ("时间,电量\n".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "时间,电量\n".encode(), "utf-8-sig"),
        ("时间,电量\n".encode("gbk"), "gbk"),
        ("时间,🙂\n".encode("gb18030"), "gb18030"),
    ],
)
def test_detect_encoding(data, encoding):
    assert detect_encoding(data, file_name="f.csv") == encoding


def test_validation_chunks_never_cut_a_character(monkeypatch):
    # 8-byte chunks, each line "时间\n" is 7 bytes: a chunk must end at a LF, not inside 间
    monkeypatch.setattr(raw, "_CHUNK_BYTES", 8)
    data = "时间\n".encode() * 5
    assert raw._first_failure(data, 0, "utf-8") == (None, 10)  # 5 lines × 2 characters
    long_line = "时" * 10  # 30 bytes, longer than a chunk: taken whole
    assert raw._first_failure(long_line.encode(), 0, "utf-8") == (None, 10)


def test_first_failure_counts_evidence_before_the_bad_byte():
    data = "时间,电量\n".encode() + b"x,\xb1\xb8\n"
    # 4 multi-byte characters before; the bad byte 0xB1 at 14 (12 + ",\n" 2) + 2 ("x,") = 16
    assert raw._first_failure(data, 0, "utf-8") == (16, 4)


def test_two_accidental_utf8_pairs_are_not_evidence():
    # GBK 时 = CA B1 happens to be valid UTF-8 (U+02B1); 间 = BC E4 is not (BC cannot lead).
    # One accidental character (< 3) is no evidence: the file reads as GBK, not as mixed
    data = "时".encode("gbk") + b",1\n" + "间".encode("gbk") + b"\n"
    assert raw._first_failure(data, 0, "utf-8") == (5, 1)  # CA B1 "," "1" LF = 5 bytes
    assert detect_encoding(data, file_name="g.csv") == "gbk"


def test_source_bytes_caps_bytes_and_file_objects():
    with pytest.raises(InputError) as exc:
        source_bytes(b"12345", "x.csv", max_bytes=4)
    assert (exc.value.code, exc.value.params["limit_mb"]) == ("import.file_too_large", 0)
    with pytest.raises(InputError) as exc:
        source_bytes(io.BytesIO(b"12345"), "x.csv", max_bytes=4)
    assert exc.value.code == "import.file_too_large"
    assert source_bytes(io.BytesIO(b"1234"), "x.csv", max_bytes=4) == (b"1234", "x.csv")


def test_zip_entries_from_the_end_record():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(3):
            zf.writestr(f"m{i}", b"x")
    assert raw._zip_entries(buf.getvalue()) == 3
    assert raw._zip_entries(b"not a zip") is None


def test_small_member_passes_the_ratio_check_whatever_its_ratio():
    # 900,000 spaces (under the 1 MB floor) deflate ~1,000×: harmless, accepted
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.xml", b" " * 900_000)
    raw.check_archive(buf.getvalue(), file_name="ok.xlsx")


def test_a_real_year_of_quarter_hours_passes_every_archive_check():
    # 35,040 rows written by openpyxl inflate ~9× (measured), far under 100×
    rows = [["时间", "kW"]] + [[f"2025-01-01 {i:05d}", 0.0] for i in range(35_040)]
    table = read_table(_xlsx({"d": rows}), file_name="year.xlsx", max_rows=2_000_000)
    assert len(table.cells) == 35_040 and table.rows[-1] == 35_041  # header row 1


def test_table_score():
    data = [(2, ["2025-01-01 00:00", "1.5"]), (3, ["00:15", "2"]), (4, ["备注", ""])]
    assert raw._table_score(data) == (True, 2)  # 2 of 3 rows hold two times/numbers
    cover = [(1, ["标题"]), (2, ["导出时间", "2025-12-31"]), (3, ["单位", "kW"])]
    assert raw._table_score(cover) == (False, 0)


def test_first_qualifying_sheet_wins_over_a_longer_later_one():
    # both sheets are tables: the first one is read, as before this change
    short = [["时间", "kW"], ["2025-01-01 00:00", 1], ["2025-01-01 00:15", 2]]
    long = [["时间", "kW"]] + [[f"2025-01-02 00:{i:02d}", i] for i in range(30)]
    table = read_table(_xlsx({"A": short, "B": long}), file_name="two.xlsx", max_rows=100)
    assert (table.sheet, len(table.cells)) == ("A", 2)


def test_sheet_keyword_picks_a_sheet_and_csv_ignores_it():
    short = [["时间", "kW"], ["2025-01-01 00:00", 1], ["2025-01-01 00:15", 2]]
    data = _xlsx({"A": short, "B": short[:2]})
    table = read_table(data, file_name="two.xlsx", max_rows=100, sheet="B")
    assert (table.sheet, len(table.cells)) == ("B", 1)
    csv = read_table(b"t,k\n2025-01-01,1\n", file_name="a.csv", max_rows=10, sheet="B")
    assert csv.sheet is None and csv.cells[1].tolist() == ["1"]


def test_text_only_workbook_falls_back_to_the_first_two_by_two_sheet():
    # no sheet holds times and numbers: the first with two rows of two cells, as before
    data = _xlsx({"a": [["x"]], "b": [["名称", "值"], ["甲", "乙"]]})
    assert read_table(data, file_name="t.xlsx", max_rows=10).sheet == "b"


def test_csv_semicolon_preamble_and_rows_unchanged():
    text = "某某公司负荷曲线\n单位;kW\n\n时间;负荷\n2025-01-01 00:00;1,5\n\n2025-01-01 00:15;2,5\n"
    table = read_table(text.encode("gbk"), file_name="p.csv", max_rows=10)
    # lines: 1 title, 2 unit, 3 blank, 4 header, 5 data, 6 blank, 7 data
    assert (table.encoding, table.delimiter, table.header_row) == ("gbk", ";", 4)
    assert table.preamble == ["某某公司负荷曲线", "单位;kW"]
    assert table.rows.tolist() == [5, 7]
    assert table.cells[1].tolist() == ["1,5", "2,5"]


def test_quoted_file_skips_the_raw_precheck_and_is_capped_after_parsing():
    # quotes may hide line feeds: counted by pandas instead; 11 rows > 10 → row 12 (header 1)
    lines = ['"t","k"'] + [f'"2025-01-01 00:{i:02d}","1"' for i in range(11)]
    with pytest.raises(InputError) as exc:
        read_table(("\n".join(lines) + "\n").encode(), file_name="q.csv", max_rows=10)
    assert (exc.value.code, exc.value.row) == ("import.too_many_rows", 12)


def test_blank_line_flood_is_bounded_in_lines():
    # max_rows 2 → at most 2·2 + 1 = 5 lines parsed after the title lines; header, one data
    # row and 9 lines of a bare comma (","), which are not rows: refused at line 6 (1 + 5)
    text = '"t","k"\n"2025-01-01","1"\n' + ",\n" * 9
    with pytest.raises(InputError) as exc:
        read_table(text.encode(), file_name="b.csv", max_rows=2)
    assert (exc.value.code, exc.value.row) == ("import.too_many_rows", 6)
