"""AppTest of the Load & TOU page's price comparison: the table equals the CLI's sections."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from analytics.cli.main import main
from tests.conftest import ROOT, SAMPLE
from ui.state import FileInput

LOAD = SAMPLE / "sunan_load_2025_15min.csv"
PRICES = SAMPLE / "prices" / "hourly_price_2025_illustrative.csv"
PACKAGE = SAMPLE / "prices" / "package_tou_linked_illustrative.toml"


def _page(lang: str = "en", **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["lang"] = lang
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    at.switch_page("pages/tou.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest):
    frames = [d.value for d in at.dataframe if "Priced by" in d.value.columns]
    assert len(frames) == 1
    return frames[0].set_index("Priced by")


def test_the_sample_prices_every_way_and_equals_the_cli(capsys) -> None:
    argv = ["analyze", "--load", str(LOAD), "--no-shift"]
    assert main([*argv, "--prices", str(PRICES), "--package", str(PACKAGE)]) == 0
    doc = json.loads(capsys.readouterr().out)
    at = _page()
    assert any("Nothing to compare yet" in i.value for i in at.info)
    at.toggle(key="prices.use_sample").set_value(True)
    at.run()
    assert not at.exception, at.exception
    table = _table(at)
    assert list(table.index) == [
        "Agency TOU (the current bill)",
        "Price series",
        "Retail package",
    ]
    for row, section in (
        ("Agency TOU (the current bill)", doc["tou"]),
        ("Price series", doc["market"]),
        ("Retail package", doc["package"]),
    ):
        assert table.loc[row, "Total [CNY]"] == round(section["total_cost_cny"], 2)
    assert table.loc["Price series", "Energy cost [CNY]"] == round(
        doc["market"]["energy_cost_cny"], 2
    )
    assert table.loc["Retail package", "Average energy price [CNY/kWh]"] == round(
        doc["package"]["average_price_cny_per_kwh"], 4
    )
    # difference = total − agency total
    assert table.loc["Price series", "vs. agency TOU [CNY]"] == pytest.approx(
        doc["market"]["total_cost_cny"] - doc["tou"]["total_cost_cny"], abs=0.01
    )
    assert any("favours the current tariff" in i.value for i in at.info)
    assert at.get("plotly_chart")


def test_an_uncovering_series_shows_the_error_not_a_zero(tmp_path) -> None:
    short = FileInput.of("short.csv", b"time,price\n2025-01-01 00:00,0.5\n2025-01-01 00:15,0.5\n")
    at = _page(**{"prices.series.file": short})
    assert not [d for d in at.dataframe if "Priced by" in d.value.columns]
    errors = " ".join(e.value for e in at.error).replace("\\", "")  # markdown-escaped
    assert "short.csv" in errors and "2025-01-01T00:30:00+08:00" in errors


def test_zh_cn_section() -> None:
    at = _page("zh-CN", **{"prices.use_sample": True})
    frames = [d.value for d in at.dataframe if "计价方式" in d.value.columns]
    assert len(frames) == 1
    assert "零售套餐" in set(frames[0]["计价方式"])
    assert any("偏向现行电价" in i.value for i in at.info)


@pytest.mark.slow
def test_the_load_shift_row_after_the_production_page() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["lang"] = "en"
    at.session_state["prices.use_sample"] = True
    at.run()
    at.switch_page("pages/production.py")
    at.run()
    at.selectbox(key="prod.shift.month").set_value("2025-03")
    at.checkbox(key="prod.shift.demand").uncheck()
    [b for b in at.button if b.label == "Optimise"][0].click()
    at.run()
    assert not at.exception, at.exception
    saving = [m.value for m in at.metric if m.label == "Saving in the month"][0]
    assert any("priced by: retail package" in c.value for c in at.caption)
    at.switch_page("pages/tou.py")
    at.run()
    assert not at.exception, at.exception
    table = _table(at)
    row = "With the load shift (retail package)"  # the package wins when both are given
    assert row in table.index
    # the shifted load priced by the package the shift was optimised with: its total is the
    # package row's total minus the shift's saving
    diff = table.loc[row, "Total [CNY]"] - table.loc["Retail package", "Total [CNY]"]
    assert diff < 0
    assert -diff == pytest.approx(_cny(saving), abs=1.0)


def _cny(text: str) -> float:
    return float(text.replace(" CNY", "").replace(",", ""))
