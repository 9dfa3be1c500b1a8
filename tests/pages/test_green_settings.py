"""One green setting for the session (issue 15): what the Green page sets reaches the Overview
and the report the Report button downloads; the defaults leave the report as it was."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from analytics.analysis import analyze
from analytics.green import DEFAULT_WEIGHTS, analyze_green, green_temperature
from analytics.iotools.load import ImportOptions, read_load
from analytics.iotools.production import read_production
from analytics.iotools.pv import read_pv
from analytics.stage import Questionnaire
from tests.conftest import ROOT, SAMPLE
from ui.render.format import fmt_count, fmt_share
from ui.render.report import assess_analysis, build_report

pytestmark = pytest.mark.slow  # three app runs on the whole sample year

LOAD = SAMPLE / "sunan_load_2025_15min.csv"
PV = SAMPLE / "sunan_pv_2025_15min.csv"
RUNS = SAMPLE / "sunan_production_runs_2025.csv"
GENERATED = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")  # the report's "generated" time


@pytest.fixture(scope="module")
def analysis():
    """The sample as the app analyses it (load, PV file, production schedule, no shift run)."""
    frame, report = read_load(LOAD, file_name=LOAD.name, options=ImportOptions())
    pv, pv_report = read_pv(PV, file_name=PV.name, options=ImportOptions())
    production = read_production(RUNS, file_name=RUNS.name)
    return analyze(
        frame, report, pv=pv, pv_report=pv_report, production=production, run_shift=False
    )


def _app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page)
        at.run()
        assert not at.exception, at.exception
    return at


def _report(at: AppTest) -> str:
    """The bytes the Report button downloads (its own builder, kept in the session)."""
    return at.session_state["report.make"]().decode("utf-8")


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_green_page_target_and_weight_reach_the_report_and_the_overview(analysis) -> None:
    at = _app("pages/green.py")
    before = _report(at)
    at.slider(key="green.target").set_value(100.0)
    at.number_input(key="green.w.renewable_share").set_value(2.0)
    at.run()
    assert not at.exception, at.exception

    # expected: the library with the same inputs — target 100 %, the renewable-share weight 2
    # (the others at their defaults), the measured idle share of the schedule
    frame, _ = read_load(LOAD, file_name=LOAD.name, options=ImportOptions())
    pv, _ = read_pv(PV, file_name=PV.name, options=ImportOptions())
    g = analyze_green(frame, pv, periods=analysis.periods, target_share=1.0)
    weights = {**DEFAULT_WEIGHTS, "renewable_share": 2.0}
    idle = analysis.production.metrics.idle_share
    temp = green_temperature(g, idle_share=idle, weights=weights)
    gec = fmt_count(g.gec_count, "gec", "en")
    score = f"{temp.score:.0f}°"
    # the recomputed figures differ from the defaults' (else the test proves nothing)
    assert g.gec_count != analysis.green.gec_count
    assert score != f"{analysis.temperature.score:.0f}°"

    html = _report(at)
    assert html != before
    assert fmt_share(1.0, 0) == "100 %"
    assert f"reaching the green-power target of 100 % takes {gec}".lower() in html.lower()
    assert f"Green Temperature: {score}" in html
    assert gec in html and score in html
    assert fmt_count(analysis.green.gec_count, "gec", "en") not in html
    # the Green page itself shows the same figures
    assert _metrics(at)["GECs to buy"] == gec

    at.switch_page("pages/home.py")
    at.run()
    assert not at.exception, at.exception
    m = _metrics(at)
    assert m["Green Temperature"] == score
    assert m["GECs for the target"] == gec
    story = " ".join(x.value for x in at.markdown)
    assert "**100 %**" in story and f"**{gec.split()[0]}**" in story
    banner = " ".join(x.value for x in at.info)
    assert "green-power target 100 %" in banner and "weights changed" in banner

    # the canvas pre-fill quotes the same certificates (as the report's canvas does)
    at.switch_page("pages/canvas.py")
    at.run()
    assert not at.exception, at.exception
    boxes = " ".join(str(x.value) for x in at.text_area)
    assert gec.split()[0] in boxes
    assert any("green-power target 100 %" in x.value for x in at.info)

    # back on the Green page the widgets still hold the visitor's values
    at.switch_page("pages/green.py")
    at.run()
    assert not at.exception, at.exception
    assert at.slider(key="green.target").value == 100.0
    assert at.number_input(key="green.w.renewable_share").value == 2.0
    assert _metrics(at)["GECs to buy"] == gec


def test_defaults_leave_the_report_unchanged(analysis) -> None:
    at = _app("pages/green.py")
    saved = at.session_state["gs.overrides"]
    assert saved[1] == {}  # the Green page's defaults are the analysis' defaults
    assert not [x for x in at.info if "Active adjustments" in x.value]
    html = _report(at)
    # the report of the analysis' own green figures, as the Report button built it before
    stage = assess_analysis(analysis, Questionnaire(), production_linked=True, meters=1)
    expected = build_report(analysis, lang="en", file_name=LOAD.name, stage=stage)
    assert GENERATED.sub("", html) == GENERATED.sub("", expected)
    at.switch_page("pages/home.py")
    at.run()
    assert not at.exception, at.exception
    assert GENERATED.sub("", _report(at)) == GENERATED.sub("", expected)
    m = _metrics(at)
    assert m["Green Temperature"] == f"{analysis.temperature.score:.0f}°"
    assert m["GECs for the target"] == fmt_count(analysis.green.gec_count, "gec", "en")


def test_reset_returns_to_the_defaults(analysis) -> None:
    at = _app("pages/green.py")
    at.slider(key="green.target").set_value(100.0)
    at.run()
    assert at.session_state["gs.overrides"][1] == {"target_share": 1.0}
    at.button(key="st15.reset").click()
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["gs.overrides"][1] == {}
    assert at.slider(key="green.target").value == 30.0  # the assumption without a rule
    gec = fmt_count(analysis.green.gec_count, "gec", "en")
    assert {m.label: m.value for m in at.metric}["GECs to buy"] == gec
    assert "st15.reset" not in [b.key for b in at.button]
