"""AppTest: the optimiser's progress bar on a first solve, none on a cached result, and the
figures equal the library's solve without any bar."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from analytics.iotools.load import ImportOptions, read_load
from analytics.iotools.production import read_production
from analytics.production import ShiftOptions, analyze_production, optimise_shift
from analytics.tou import classify_periods, default_tariffs_for
from tests.conftest import ROOT, SAMPLE
from ui.render.format import fmt_cny, fmt_energy, fmt_kw
from ui.render.i18n import translate

ACTUAL = translate("en", "prod.reg.actual")


def _library(options: ShiftOptions, granularity: str = "day"):
    load = SAMPLE / "sunan_load_2025_15min.csv"
    frame, _ = read_load(load, file_name=load.name, options=ImportOptions())
    data, _ = read_production(SAMPLE / "sunan_production_runs_2025.csv")
    periods = classify_periods(frame.index, default_tariffs_for(frame))
    pa = analyze_production(frame, data, periods=periods, run_shift=False, granularity=granularity)
    return pa, optimise_shift(frame, pa.data, pa.alignment, periods, options)


def _scatter_points(at: AppTest) -> int:
    """Points of the regression scatter (its trace of actual values)."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    traces = [d for s in specs for d in s["data"]]
    x = next(d["x"] for d in traces if d.get("name") == ACTUAL)
    if isinstance(x, dict):  # plotly's typed array: base64 bytes of dtype
        return len(np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]))
    return len(x)


@pytest.mark.slow
def test_first_solve_draws_a_bar_and_equals_the_library() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/production.py")
    at.run()
    assert not at.exception, at.exception
    at.selectbox(key="prod.shift.month").set_value("2025-02")  # a month no other test solves
    at.checkbox(key="prod.shift.demand").uncheck()  # energy cost only: about a second
    at.button(key="prod.shift.run").click()
    at.run()
    assert not at.exception, at.exception
    job = at.session_state["speed.last.shift"]
    assert job.bar and job.estimate_s > 0  # the solve took longer than the grace time
    assert at.session_state["speed.rate.shift"] > 0  # this session's measured rate
    assert not at.get("progress")  # the bar is gone once the result is shown
    pa, lib = _library(ShiftOptions(months=("2025-02",), include_demand=False))
    assert _scatter_points(at) == len(pa.regression.table)  # one point per production day
    values = {m.label: m.value for m in at.metric}
    assert values["Energy moved"] == fmt_energy(lib.shifted_energy_kwh)
    assert values["Saving in the month"] == fmt_cny(lib.saving_cny, "en")
    assert values["Peak after"] == fmt_kw(lib.new_peak_kw)
    assert len(at.dataframe[-1].value) == len(lib.moves)

    at.selectbox(key="prod.granularity").set_value("week")  # a rerun: the solve is cached
    at.run()
    assert not at.exception, at.exception
    weekly, _ = _library(ShiftOptions(months=("2025-02",), include_demand=False), "week")
    assert _scatter_points(at) == len(weekly.regression.table)  # the kept chart follows it
    assert len(weekly.regression.table) < len(pa.regression.table)
    assert not at.session_state["speed.last.shift"].bar
    assert {m.label: m.value for m in at.metric}["Saving in the month"] == values[
        "Saving in the month"
    ]


@pytest.mark.slow
def test_a_large_upload_is_read_under_a_bar_and_imports_as_the_library() -> None:
    import io

    import pandas as pd

    load = SAMPLE / "sunan_load_2025_15min.csv"
    buf = io.BytesIO()
    pd.read_csv(load).to_excel(buf, index=False)  # the sample year as XLSX: ~1 s to read
    xlsx = buf.getvalue()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    at.file_uploader[0].set_value(("year.xlsx", xlsx, "application/vnd.ms-excel"))
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["speed.last.import.xlsx.analysis"].bar  # read + analysed under it
    assert not at.session_state["speed.last.import.xlsx"].bar  # the tab's import: cached
    frame, _ = read_load(xlsx, file_name="year.xlsx", options=ImportOptions())
    detected = at.table[0].value
    assert detected.loc["File"].iloc[0] == "year.xlsx"
    assert len(frame) == 35_040  # one 15-min year, as the page's "Intervals with data" row
    assert detected.loc["Intervals with data"].iloc[0].startswith("35,040")
