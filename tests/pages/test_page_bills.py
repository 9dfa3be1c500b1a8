"""AppTest of the Load & TOU page's bill section: the numbers equal the CLI's sections."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.cli.main import main
from tests.conftest import ROOT
from tests.importer_fixtures import write_text
from ui.render.format import fmt_cny
from ui.state import FileInput

pytestmark = pytest.mark.slow


def _files(tmp_path: Path) -> tuple[Path, Path]:
    lines = ["时间,有功电量(kWh),无功电量(kvarh)"]
    for i, t in enumerate(pd.date_range("2025-01-01", periods=(31 + 28) * 96, freq="15min")):
        q = 1.5 if t.month == 1 else 0.3  # Jan Q/P = 0.75 → pf 0.80; Feb 0.15 → 0.99
        lines.append(f"{t:%Y-%m-%d %H:%M},{2 + (i % 4)},{q * (2 + (i % 4)) / 2:.4f}")
    load = write_text(tmp_path / "reactive_load.csv", lines)
    bills = write_text(
        tmp_path / "bills.csv", ["月份,电量,总电费", "2025-01,14900,12000", "2025-03,100,80"]
    )
    return load, bills


def _page(load: Path, bills: Path | None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["lang"] = lang
    at.session_state["source"] = "upload"
    at.session_state["upload.load"] = FileInput.of(load.name, load.read_bytes())
    if bills is not None:
        at.session_state["upload.bills"] = FileInput.of(bills.name, bills.read_bytes())
    at.run()
    at.switch_page("pages/tou.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_page_shows_the_cli_sections(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    load, bills = _files(tmp_path)
    at = _page(load, bills)
    at.number_input(key="bills.kva").set_value(100.0).run()
    assert not at.exception, at.exception
    argv = ["analyze", "--load", str(load), "--no-shift", "--bills", str(bills)]
    assert main([*argv, "--contracted-kva", "100"]) == 0
    doc = json.loads(capsys.readouterr().out)
    pf = _table(at, "Power factor")
    cli_pf = doc["power_factor"]["months"]
    assert list(pf["Month"]) == [m["month"] for m in cli_pf] == ["2025-01", "2025-02"]
    assert list(pf["Power factor"]) == [round(m["pf"], 4) for m in cli_pf]
    assert list(pf["Rounded"]) == [0.8, 0.99]
    assert list(pf["Adjustment CNY"]) == [round(m["adjustment_cny"], 2) for m in cli_pf]
    check = _table(at, "Billed kWh")
    cli_check = doc["bill_check"]["months"]
    assert list(check["Month"]) == ["2025-01", "2025-03"]
    assert list(check["Computed kWh"]) == [
        str(round(m["computed_kwh"], 1)) if m["computed_kwh"] is not None else "—"
        for m in cli_check
    ]
    assert list(check["Check"]) == ["differs", "no load data"]
    choice = doc["tou"]["basic_charge_choice"]
    label = f"{choice['cheaper'].capitalize()} charge is cheaper by"
    metric = next(m for m in at.metric if m.label == label)
    assert metric.value == fmt_cny(choice["saving_cny"], "en")
    basic = _table(at, "Capacity charge CNY")
    assert list(basic["Saving CNY"]) == [round(m["saving_cny"], 2) for m in choice["months"]]


def test_page_in_chinese_without_bills(tmp_path: Path) -> None:
    load, _ = _files(tmp_path)
    at = _page(load, None, lang="zh-CN")
    pf = _table(at, "功率因数")
    assert list(pf["取值"]) == [0.8, 0.99]
    assert any("月平均功率因数与力调电费" in s.value for s in at.subheader)
