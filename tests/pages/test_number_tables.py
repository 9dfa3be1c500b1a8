"""The Load & TOU and Green tables in the one number policy (issue 15): the unit in every
header, thousands separators, months and tariffs as words, the same unit as elsewhere."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics.iotools.load import read_load
from analytics.tou import classify_periods, default_tariffs_for
from analytics.tou.engine import bill as tou_bill
from tests.conftest import ROOT, SAMPLE

pytestmark = pytest.mark.slow  # two app runs per language on the sample year


@pytest.fixture(scope="module")
def bill():
    frame, _ = read_load(SAMPLE / "sunan_load_2025_15min.csv")
    return tou_bill(frame, periods=classify_periods(frame.index, default_tariffs_for(frame)))


def _page(page: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def _table(at: AppTest, header: str):
    return next(d.value for d in at.dataframe if header in d.value.columns)


def test_tou_tables_in_english(bill) -> None:
    at = _page("pages/tou.py", "en")
    periods = _table(at, "Energy [MWh]")
    peak = periods[periods["Period"] == "Peak"].iloc[0]
    # kWh → MWh: ÷ 1,000, one decimal, separators; money in CNY without decimals
    assert peak["Energy [MWh]"] == f"{bill.energy_kwh['peak'] / 1000:,.1f}"
    assert peak["Energy cost [CNY]"] == f"{bill.energy_cost_cny['peak']:,.0f}"
    assert peak["Share of energy [%]"].endswith(tuple("0123456789"))
    assert "," in peak["Energy [MWh]"]  # > 1,000 MWh in a year
    monthly = _table(at, "Total [CNY]")
    m = bill.monthly
    assert monthly["Month"].iloc[0] == "Jan 2025"
    assert not monthly["Tariff"].str.contains("_").any()  # names, never ids
    assert monthly["Energy [MWh]"].iloc[0] == f"{m['energy_kwh'].iloc[0] / 1000:,.1f}"
    # the periods in the unit of the month's total (one unit for the energy columns)
    assert "Peak [MWh]" in monthly.columns
    assert monthly["Total [CNY]"].iloc[0] == f"{m['total_cost_cny'].iloc[0]:,.0f}"
    assert monthly["Max demand [kW]"].iloc[0] == f"{m['max_kw'].iloc[0]:,.0f}"


def test_tou_tables_in_chinese(bill) -> None:
    at = _page("pages/tou.py", "zh-CN")
    periods = _table(at, "电量 [万kWh]")
    peak = periods[periods["时段"] == "高峰"].iloc[0]
    # kWh → 万kWh: ÷ 10,000, two decimals; money ≥ 10 万元 in 万元 with two decimals
    assert peak["电量 [万kWh]"] == f"{bill.energy_kwh['peak'] / 1e4:,.2f}"
    assert peak["电度电费 [万元]"] == f"{bill.energy_cost_cny['peak'] / 1e4:,.2f}"
    monthly = _table(at, "合计 [万元]")
    assert monthly["月份"].iloc[0] == "2025年1月"
    assert monthly["电价"].iloc[0].startswith("江苏")
    assert monthly["合计 [万元]"].iloc[0] == f"{bill.monthly['total_cost_cny'].iloc[0] / 1e4:,.2f}"


def test_green_tables_carry_units() -> None:
    at = _page("pages/green.py", "zh-CN")
    trade = _table(at, "出售自有绿证 [张]")
    assert any(c.startswith("需购电量 [") for c in trade.columns)
    comp = _table(at, "取值 [%]")
    assert "得分 [°]" in comp.columns
    src = _table(at, "默认值")
    assert src["默认值"].str.contains("元/").all()
    assert src["状态"].str.contains(r"（|\(", regex=True).all()  # a word with its code
    metrics = {x.label: x.value for x in at.metric}
    assert metrics["二氧化碳（基于位置）"].endswith(" 吨")
    assert metrics["单独购买绿证的费用"].endswith("元")
