"""The tariff tab says, per figure, which demand/capacity price is sourced and which illustrative."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics.tou import edit_tariff, get_tariff
from tests.conftest import ROOT
from ui.tariffs import charge_rows, not_modelled_text

JS = "jiangsu_large_industrial_1_10kv_2025_426"


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
