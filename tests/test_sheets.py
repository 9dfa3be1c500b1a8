"""Spreadsheet formulas are neutralised in every CSV/XLSX GreenTemp writes."""

import pandas as pd

from analytics.sheets import neutralise
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
