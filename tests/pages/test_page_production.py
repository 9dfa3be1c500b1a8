"""AppTest: the Production page shows the library's figures for the sample enterprise."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics.iotools.load import ImportOptions, read_load
from analytics.iotools.production import read_production
from analytics.production.metrics import analyze_production
from analytics.tou import classify_periods, default_tariffs_for
from analytics.tou.engine import PERIODS
from tests.conftest import ROOT, SAMPLE
from ui.render.format import fmt_count, fmt_energy, fmt_num, fmt_sec, fmt_share


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    at.switch_page("pages/production.py")
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def library():
    load = SAMPLE / "sunan_load_2025_15min.csv"
    frame, _ = read_load(load, file_name=load.name, options=ImportOptions())
    data, prod_report = read_production(SAMPLE / "sunan_production_runs_2025.csv")
    return analyze_production(
        frame,
        data,
        periods=classify_periods(frame.index, default_tariffs_for(frame)),
        import_warnings=prod_report.warnings,
        run_shift=False,
    )


def test_key_figures_equal_the_library(page: AppTest, library) -> None:
    values = {m.label: m.value for m in page.metric}
    m = library.metrics
    assert values["Units"] == fmt_count(m.units, "unit")
    assert values["Energy per unit (SEC)"] == fmt_sec(m.sec_kwh_per_unit)
    assert values["Idle energy"] == fmt_energy(m.idle_energy_kwh)
    assert values["Idle share"] == fmt_share(m.idle_share)
    assert values["Slope (per unit)"] == f"{fmt_num(library.regression.slope_kwh_per_unit, 3)} kWh"
    assert values["R²"] == fmt_num(library.regression.r2, 3)
    assert len(page.get("plotly_chart")) >= 3  # TOU split, scatter with fit, CUSUM


def test_the_optimiser_runs_from_the_form(page: AppTest) -> None:
    page.selectbox(key="prod.shift.month").set_value("2025-03")
    page.checkbox(key="prod.shift.demand").uncheck()
    submit = [b for b in page.button if b.label == "Optimise"]
    submit[0].click()
    page.run()
    assert not page.exception, page.exception
    values = {m.label: m.value for m in page.metric}
    assert "Saving in the month" in values
    # the moves and the new schedule (besides the page's report button)
    assert (
        len([b for b in page.get("download_button") if b.proto.id and "report" not in b.proto.id])
        == 2
    )
    assert len(page.dataframe[-1].value) > 0  # the moves table


def test_page_agrees_with_the_cli(page: AppTest, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from analytics.cli.main import main

    load, runs = SAMPLE / "sunan_load_2025_15min.csv", SAMPLE / "sunan_production_runs_2025.csv"
    assert main(["analyze", "--load", str(load), "--production", str(runs), "--no-shift"]) == 0
    p = json.loads(capsys.readouterr().out)["production"]
    values = {m.label: m.value for m in page.metric}
    assert values["Units"] == fmt_count(p["units"], "unit")
    assert values["Energy per unit (SEC)"] == fmt_sec(p["sec_kwh_per_unit"])
    assert values["Idle energy"] == fmt_energy(p["idle_energy_kwh"])
    assert values["Idle share"] == fmt_share(p["idle_share"])
    assert values["R²"] == fmt_num(p["regression"]["r2"], 3)


def test_tou_split_follows_the_sidebar_tariff() -> None:
    import json

    from analytics.tou.tariff import get_tariff

    sh = "shanghai_large_industrial_10kv_2024_28"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/production.py")
    at.run()
    at.selectbox(key="tariff").set_value(sh)
    at.run()
    assert not at.exception, at.exception
    load = SAMPLE / "sunan_load_2025_15min.csv"
    frame, _ = read_load(load, file_name=load.name, options=ImportOptions())
    data, prod_report = read_production(SAMPLE / "sunan_production_runs_2025.csv")
    lib = analyze_production(
        frame,
        data,
        periods=classify_periods(frame.index, [get_tariff(sh)]),
        import_warnings=prod_report.warnings,
        run_shift=False,
    )
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    used = [p for p in PERIODS if lib.metrics.hours_by_period[p] > 0]
    assert "sharp" in used and len(used) < len(PERIODS)  # Shanghai: sharp hours, no deep valley
    bars = next(  # the chart shows only the periods the tariff has
        s
        for s in specs
        if s["data"][0].get("type") == "bar" and len(s["data"][0]["y"]) == len(used)
    )
    # the axis is in the number policy's unit (ui.render.format): MWh for these totals in English
    per_kwh = {"kWh": 1.0, "MWh": 1e3}[bars["layout"]["yaxis"]["title"]["text"]]
    assert bars["data"][0]["y"] == pytest.approx(
        [lib.metrics.energy_by_period_kwh[p] / per_kwh for p in used]
    )
    assert (
        lib.metrics.energy_by_period_kwh["sharp"] > 0
    )  # Shanghai has sharp hours in Jul/Aug and Jan/Dec
