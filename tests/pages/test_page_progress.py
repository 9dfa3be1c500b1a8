"""AppTest: the optimiser's progress bar on a first solve, none on a cached result, and the
figures equal the library's solve without any bar."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics.iotools.load import ImportOptions, read_load
from analytics.iotools.production import read_production
from analytics.production import ShiftOptions, analyze_production, optimise_shift
from analytics.tou import classify_periods, default_tariffs_for
from tests.conftest import ROOT, SAMPLE
from ui.render.format import fmt_cny, fmt_energy, fmt_kw


def _library(options: ShiftOptions):
    load = SAMPLE / "sunan_load_2025_15min.csv"
    frame, _ = read_load(load, file_name=load.name, options=ImportOptions())
    data, _ = read_production(SAMPLE / "sunan_production_runs_2025.csv")
    periods = classify_periods(frame.index, default_tariffs_for(frame))
    pa = analyze_production(frame, data, periods=periods, run_shift=False)
    return optimise_shift(frame, pa.data, pa.alignment, periods, options)


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
    lib = _library(ShiftOptions(months=("2025-02",), include_demand=False))
    values = {m.label: m.value for m in at.metric}
    assert values["Energy moved"] == fmt_energy(lib.shifted_energy_kwh)
    assert values["Saving in the month"] == fmt_cny(lib.saving_cny, "en")
    assert values["Peak after"] == fmt_kw(lib.new_peak_kw)
    assert len(at.dataframe[-1].value) == len(lib.moves)

    at.selectbox(key="prod.granularity").set_value("week")  # a rerun: the solve is cached
    at.run()
    assert not at.exception, at.exception
    assert not at.session_state["speed.last.shift"].bar
    assert {m.label: m.value for m in at.metric}["Saving in the month"] == values[
        "Saving in the month"
    ]
