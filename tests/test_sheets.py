"""Spreadsheet formulas are neutralised in every CSV/XLSX GreenTemp writes."""

import csv
import io

import openpyxl
import pandas as pd
import pytest

from analytics.sheets import csv_text, neutralise, safe_text, write_xlsx
from ui.downloads import csv_bytes


def test_text_cells_and_headers_starting_like_formulas_are_prefixed() -> None:
    df = pd.DataFrame(
        {
            "name": ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "plain"],
            "kwh": [1.0, -2.0, 3.0, 4.0, 5.0],
            "=bad": ["a", "b", "c", "d", "e"],
        }
    )
    out = neutralise(df)
    assert out["name"].tolist() == ['\'=HYPERLINK("x")', "'+1", "'-2", "'@SUM(A1)", "plain"]
    assert out["kwh"].tolist() == [1.0, -2.0, 3.0, 4.0, 5.0]  # numbers untouched, negatives too
    assert list(out.columns) == ["name", "kwh", "'=bad"]
    assert df["name"].iloc[0].startswith("=")  # the input is not modified
    assert (
        csv_bytes(df).decode("utf-8-sig").splitlines()[1].startswith("\"'=HYPERLINK")
    )  # quoted by CSV


# --------------------------------------------------------- the one rule (analytics.sheets)


@pytest.mark.parametrize(
    "cell, safe",
    [
        ("textiles\r@SUM(A1:A9)", "textiles @SUM(A1:A9)"),  # CR → space, "@" not at the start
        ("a\nb", "a b"),
        ("a\r\nb", "a b"),  # a CRLF pair is one space
        ("a\n\nb", "a  b"),  # two LFs, two spaces
        ("\r\n=1", "' =1"),  # break → space, then a blank-led formula start
        ("\t=1", "'\t=1"),  # a leading tab
        ("  @x", "'  @x"),
        ("a\tb", "a\tb"),  # an inner tab stays
        ("a\x00b\x1fc\x7fd", "a b c d"),  # controls XLSX cannot hold
        ("a\u2028b\u2029c\x85d\x0be\x0cf", "a b c d e f"),  # the other line ends
        ('x","y', 'x","y'),  # quotes are the CSV writer's business
        ("-2", "'-2"),
        ("a-b", "a-b"),
        ("", ""),
    ],
)
def test_safe_text_follows_the_rule(cell: str, safe: str) -> None:
    assert safe_text(cell) == safe


@pytest.mark.parametrize("value", [None, 1.5, -2, float("nan"), pd.Timestamp("2025-01-01")])
def test_safe_text_leaves_non_text_alone(value: object) -> None:
    assert safe_text(value) is value


def test_categorical_columns_index_and_multiindex_headers_are_neutralised() -> None:
    df = pd.DataFrame(
        {"c": pd.Categorical(["=1", "ok"]), "n": [1, 2]}, index=pd.Index(["@a", "b\nc"], name="+i")
    )
    out = neutralise(df)
    assert out["c"].tolist() == ["'=1", "ok"]
    assert out.index.tolist() == ["'@a", "b c"] and out.index.name == "'+i"
    multi = pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("=a", "x\ny"), ("b", "c")]))
    assert neutralise(multi).columns.tolist() == [("'=a", "x y"), ("b", "c")]


def test_csv_text_quotes_text_and_leaves_numbers_bare() -> None:
    df = pd.DataFrame({"name": ['a"b', "=x", None], "kwh": [1.5, -2.0, float("nan")]})
    # text quoted with the inner quote doubled; numbers bare; a missing value is ""
    assert csv_text(df) == '"name","kwh"\n"a""b",1.5\n"\'=x",-2.0\n"",""\n'
    rows = list(csv.reader(io.StringIO(csv_text(df))))
    assert rows == [["name", "kwh"], ['a"b', "1.5"], ["'=x", "-2.0"], ["", ""]]


def test_xlsx_takes_control_characters_that_openpyxl_refuses_raw() -> None:
    buf = io.BytesIO()
    write_xlsx(pd.DataFrame({"t": ["a\x00b", "=1"]}), buf, sheet="s" * 40)
    ws = openpyxl.load_workbook(buf)["s" * 31]  # the sheet name cut to 31 characters
    assert [c.value for c in ws["A"]] == ["t", "a b", "'=1"]
    assert [c.data_type for c in ws["A"]] == ["s", "s", "s"]  # no formula cell
