"""The tariff tab says, per figure, which demand/capacity price is sourced and which illustrative."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from analytics.cli.main import main
from analytics.tou import edit_tariff, get_tariff
from tests.conftest import ROOT, SAMPLE
from ui.render.format import fmt_cny
from ui.tariffs import charge_rows, not_modelled_text

JS = "jiangsu_large_industrial_1_10kv_2025_426"
LOAD = SAMPLE / "sunan_load_2025_15min.csv"


def test_charge_rows_per_figure() -> None:
    old = charge_rows(get_tariff(JS), "en")
    assert old["Value"].tolist() == [40.0, 30.0]
    assert old["Status"].tolist() == ["illustrative (not published)"] * 2
    new = charge_rows(get_tariff(JS + "_td2026"), "zh-CN")
    assert new["数值"].tolist() == [51.2, 32.0]
    assert new["状态"].tolist() == ["有来源（C3）"] * 2
    assert all("1077" in s for s in new["来源"])
    # an edited demand price becomes illustrative; the capacity figure keeps its source
    edited = charge_rows(
        edit_tariff(get_tariff(JS + "_td2026"), demand_cny_per_kw_month=45.0), "en"
    )
    assert edited["Status"].tolist() == ["illustrative (not published)", "sourced (C3)"]
    assert not_modelled_text(get_tariff(JS), "en") == (
        "Rules of this document not modelled: sharp-peak (尖峰) hours, holiday deep-valley (深谷) hours."
    )
    assert not_modelled_text(get_tariff("shanghai_large_industrial_10kv_2024_28"), "en") is None


@pytest.mark.slow
def test_tariff_tab_shows_each_figures_status() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("pages/tou.py")
    at.run()
    at.selectbox(key="tariff").set_value(JS + "_td2026")
    at.run()
    assert not at.exception, at.exception
    tables = [d.value for d in at.dataframe if "Status" in getattr(d.value, "columns", [])]
    assert tables, "the charges table is missing"
    assert tables[0]["Status"].tolist() == ["sourced (C3)", "sourced (C3)"]
    assert any("not modelled" in c.value for c in at.caption)


@pytest.mark.slow
def test_agency_pricing_on_the_page_equals_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["analyze", "--load", str(LOAD), "--agency-province", "jiangsu", "--no-shift"]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["tariff.agency"] = "jiangsu"
    at.run()
    at.switch_page("pages/tou.py")
    at.run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Total cost"] == fmt_cny(doc["tou"]["total_cost_cny"])
    months = [d.value for d in at.dataframe if "Table" in getattr(d.value, "columns", [])]
    assert months and months[0]["Month"].tolist() == [m["month"] for m in doc["agency"]["months"]]
    assert months[0]["Peak [CNY/kWh]"].tolist()[6] == round(
        doc["agency"]["months"][6]["prices_cny_per_kwh"]["peak"], 4
    )
