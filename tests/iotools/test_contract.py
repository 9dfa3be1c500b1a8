"""One reader contract for every reader: ``read_X(source, *, file_name, options) -> (data, report)``."""

from __future__ import annotations

import inspect
from pathlib import Path

import pandas as pd
import pvlib
import pytest

from analytics import iotools
from analytics.iotools import ImportOptions, ProductionOptions
from tests.conftest import SAMPLE

WEATHER = Path(pvlib.__file__).parent / "data" / "723170TYA.CSV"  # Greensboro NC TMY3
CASES = [
    ("read_load", SAMPLE / "sunan_load_2025_15min.csv", ImportOptions()),
    ("read_pv", SAMPLE / "sunan_pv_2025_15min.csv", ImportOptions()),
    ("read_production", SAMPLE / "sunan_production_runs_2025.csv", ProductionOptions()),
    ("read_weather", WEATHER, None),
]


@pytest.mark.parametrize(("name", "path", "options"), CASES, ids=[c[0] for c in CASES])
def test_every_reader_answers_data_and_a_report(name, path, options) -> None:
    reader = getattr(iotools, name)
    params = inspect.signature(reader).parameters
    assert list(params)[:3] == ["source", "file_name", "options"]
    assert params["file_name"].kind is inspect.Parameter.KEYWORD_ONLY
    # from a path and from bytes, the same answer shape; the name used in messages is ours
    for source in (path, path.read_bytes()):
        out = reader(source, file_name="export.csv", options=options)
        assert isinstance(out, tuple) and len(out) == 2
        data, report = out
        assert report.file_name == "export.csv"
        assert isinstance(report.warnings, list)
        assert data is not None


def test_measured_pv_findings_are_in_its_report() -> None:
    # the sample PV has no negative night values: no clip finding, the same report as the importer's
    pv, report = iotools.read_pv(SAMPLE / "sunan_pv_2025_15min.csv")
    _, load_report = iotools.read_load(SAMPLE / "sunan_pv_2025_15min.csv")
    assert [w.code for w in report.warnings] == [w.code for w in load_report.warnings]
    assert (pv["kwh"].dropna() >= 0).all()
    # a negative value is clipped and reported once, last, with its count and energy
    text = (
        "timestamp,energy_kwh\n2025-01-01 00:00,-0.5\n2025-01-01 00:15,2\n2025-01-01 00:30,-0.25\n"
    )
    pv, report = iotools.read_pv(text.encode(), file_name="pv.csv")
    last = report.warnings[-1]
    assert (last.code, last.count, last.params["kwh"]) == (
        "pv.negative_clipped",
        2,
        0.75,
    )  # 0.5 + 0.25
    assert pv["kwh"].tolist() == [0.0, 2.0, 0.0]


def test_production_report_names_the_layout_and_rows() -> None:
    data, report = iotools.read_production(SAMPLE / "sunan_production_runs_2025.csv")
    assert report.layout == data.layout == "runs"
    assert report.rows_read == len(pd.read_csv(SAMPLE / "sunan_production_runs_2025.csv"))
