"""The guided demo's talking points (ui/render/demo.py): every variant, both languages."""

from __future__ import annotations

import dataclasses
import re

import pytest

from analytics.analysis import analyze
from analytics.iotools import ImportOptions, read_load, read_production, read_pv
from tests.conftest import SAMPLE
from ui.render.demo import STEPS, fmt_day, fmt_moment, step_header, step_message, talking_point
from ui.render.format import fmt_cny, fmt_energy, fmt_kw, fmt_share
from ui.render.i18n import placeholders, translate

ALLOWED_LATIN = {"kWh", "kW", "CO2", "GEC", "PV"}


@pytest.fixture(scope="module")
def analysis():
    load = SAMPLE / "sunan_load_2025_15min.csv"
    frame, report = read_load(load, file_name=load.name, options=ImportOptions())
    pv, pv_report = read_pv(SAMPLE / "sunan_pv_2025_15min.csv", options=ImportOptions())
    production = read_production(SAMPLE / "sunan_production_runs_2025.csv")
    return analyze(
        frame, report, pv=pv, pv_report=pv_report, production=production, run_shift=False
    )


def _variants(a):
    """(step, analysis) for every branch of the script."""
    no_pv = dataclasses.replace(
        a.green, balance=dataclasses.replace(a.green.balance, pv_generation_kwh=0.0)
    )
    met = dataclasses.replace(a.green, gec_count=0)
    yield "cost", a
    yield "peak", a
    yield "peak", dataclasses.replace(a, bill=dataclasses.replace(a.bill, charge_basis="capacity"))
    yield "peak", dataclasses.replace(a, bill=dataclasses.replace(a.bill, charge_basis="none"))
    yield "production", a
    yield "production", dataclasses.replace(a, production=None)
    yield "green", a
    yield "green", dataclasses.replace(a, green=no_pv)
    yield "green", dataclasses.replace(a, green=met)
    yield "canvas", a


@pytest.mark.slow
def test_every_variant_fills_its_template_in_both_languages(analysis) -> None:
    keys = []
    for step, a in _variants(analysis):
        for lang in ("zh-CN", "en"):
            key, params = step_message(step, a, lang, stage="资源化")
            keys.append(key)
            assert placeholders(translate(lang, key)) <= set(params), key
            text = talking_point(step, a, lang, stage="资源化")
            assert "{" not in text
            if lang == "zh-CN":
                latin = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", text)) - ALLOWED_LATIN
                assert latin == set(), (key, latin)
    assert len(set(keys)) == 10  # each branch its own sentence


@pytest.mark.slow
def test_the_figures_are_this_enterprise_s(analysis) -> None:
    a = analysis
    cost = talking_point("cost", a, "zh-CN")
    assert fmt_cny(a.bill.total_cost_cny, "zh-CN") in cost  # 1,205.98 万元
    assert "2025年1月1日至2025年12月31日" in cost  # the data's span, never "今年"
    peak = talking_point("peak", a, "en")
    assert fmt_kw(a.load.peak_kw) in peak and fmt_cny(a.bill.demand_charge_cny, "en") in peak
    # the demand charge's share of the bill: 1,903,960.32 / 12,059,818.48 = 15.8 %
    assert fmt_share(a.bill.demand_charge_cny / a.bill.total_cost_cny) == "15.8 %"
    assert "15.8 %" in peak
    green = talking_point("green", a, "zh-CN")
    assert fmt_energy(a.green.green_purchase_kwh, "zh-CN") in green  # 283.59 万kWh
    assert f"{a.temperature.score:.0f}°" in green


def test_dates_headers_and_the_step_order() -> None:
    import pandas as pd

    ts = pd.Timestamp("2025-07-25 16:30", tz="Asia/Shanghai")
    assert fmt_day(ts, "zh-CN") == "2025年7月25日"
    assert fmt_moment(ts, "zh-CN") == "2025年7月25日 16:30"
    assert fmt_moment(ts, "en") == "2025-07-25 16:30"
    assert [s.id for s in STEPS] == ["cost", "peak", "production", "green", "canvas"]
    assert step_header(1, "zh-CN") == "演示 · 第 2 步，共 5 步：高峰需量"
    assert step_header(4, "en") == "Guided demo · step 5 of 5: Data-asset canvas"
