"""AppTest of the Load & TOU page: KPIs equal the CLI; tariff switch and price edit reprice."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from analytics.cli.main import main
from analytics.iotools.load import read_load
from analytics.tou.engine import bill
from analytics.tou.tariff import get_tariff
from tests.conftest import ROOT, SAMPLE
from ui.render.format import fmt_cny, fmt_energy, fmt_kw, fmt_price

LOAD = SAMPLE / "sunan_load_2025_15min.csv"
GD = "guangdong_large_industrial_1_10kv_2021_331"


def _tou_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/tou.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _cny(text: str) -> float:
    return float(text.replace(" CNY", "").replace(",", ""))


def test_page_kpis_equal_the_cli_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "--load", str(LOAD)]) == 0
    doc = json.loads(capsys.readouterr().out)
    m = _metrics(_tou_page())
    assert m["Energy"] == fmt_energy(doc["load"]["energy_kwh"])
    assert m["Peak demand"] == fmt_kw(doc["load"]["peak_kw"])
    assert m["Total cost"] == fmt_cny(doc["tou"]["total_cost_cny"])
    assert m["Average price"] == fmt_price(doc["tou"]["average_price_cny_per_kwh"])


def test_switching_tariff_and_editing_a_price_reprices() -> None:
    at = _tou_page()
    at.selectbox(key="tariff").set_value(GD)
    at.run()
    assert not at.exception, at.exception
    frame, _ = read_load(LOAD)
    gd_bill = bill(frame, get_tariff(GD))
    before = _cny(_metrics(at)["Total cost"])
    assert before == pytest.approx(gd_bill.total_cost_cny, abs=0.5)

    flat = at.number_input(key="tariff.edit.flat")
    flat.set_value(round(flat.value + 0.10, 4))
    at.run()
    assert not at.exception, at.exception
    after = _cny(_metrics(at)["Total cost"])
    # +0.10 CNY/kWh on every flat kWh: Δ = 0.10 × E_flat (demand charge unchanged)
    expected_delta = 0.10 * gd_bill.energy_kwh["flat"]
    assert after - before == pytest.approx(expected_delta, abs=1.0)
    assert expected_delta > 10_000  # the sample has real flat-period energy
