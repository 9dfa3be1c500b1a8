"""Stage criteria: crafted indicator sets land in each stage with the stated reasons."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analytics.stage.assessment import (
    ASSET_CRITERIA,
    CAPITAL_CRITERIA,
    Indicators,
    Questionnaire,
    assess,
    measure_indicators,
    stage_section,
)
from analytics.stage.canvas import canvas_figures
from ui.render.i18n import LANGS, has_key

GOOD = Indicators(
    interval_minutes=15,
    history_days=365.0,
    completeness_share=0.999,
    production_linked=True,
    green_data=False,
    meters=1,
)
GOVERNED = Questionnaire(catalogued=True, compliance_reviewed=True)


def _met(result) -> dict[str, bool]:
    return {r.code: r.met for r in result.reasons}


def test_raw_hourly_short_data_is_a_resource_with_every_failed_criterion() -> None:
    ind = Indicators(interval_minutes=60, history_days=90.0, completeness_share=0.80)
    r = assess(ind, Questionnaire())
    assert r.stage == "resource" and not r.advanced
    assert _met(r) == dict.fromkeys(ASSET_CRITERIA, False)
    # the params the messages quote
    reasons = {x.code: x for x in r.reasons}
    assert reasons["resolution"].params == {"minutes": 60, "max_minutes": 15}
    assert reasons["history"].params == {"history_days": 90.0, "min_days": 360}
    assert reasons["completeness"].params == {"completeness_share": 0.8, "min_share": 0.95}
    assert r.next_steps == ASSET_CRITERIA
    assert r.next_stage == "asset"


def test_good_data_without_governance_stays_a_resource() -> None:
    r = assess(GOOD, Questionnaire())
    assert r.stage == "resource"
    assert r.next_steps == ("catalogued", "compliance")
    assert _met(r)["resolution"] and _met(r)["history"] and _met(r)["linked"]


def test_governed_but_unlinked_data_stays_a_resource() -> None:
    lone = Indicators(15, 365.0, 1.0, production_linked=False, green_data=False, meters=1)
    assert assess(lone, GOVERNED).next_steps == ("linked",)
    # a second meter, or PV, links it
    assert assess(Indicators(15, 365.0, 1.0, meters=2), GOVERNED).stage == "asset"
    assert assess(Indicators(15, 365.0, 1.0, green_data=True), GOVERNED).stage == "asset"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("interval_minutes", 30, "resolution"),
        ("history_days", 359.9, "history"),
        ("completeness_share", 0.9499, "completeness"),
    ],
)
def test_each_data_threshold_is_a_boundary(field: str, value: float, code: str) -> None:
    ok = assess(GOOD, GOVERNED)
    assert ok.stage == "asset"
    bad = assess(Indicators(**{**GOOD.__dict__, field: value}), GOVERNED)
    assert bad.stage == "resource" and bad.next_steps == (code,)


def test_asset_stage_reasons_and_steps_to_capital() -> None:
    r = assess(GOOD, GOVERNED)
    assert r.stage == "asset"
    assert _met(r) == {
        **dict.fromkeys(ASSET_CRITERIA, True),
        **dict.fromkeys(CAPITAL_CRITERIA, False),
    }
    assert r.next_steps == ("registered", "circulated")
    # registered alone is not enough: the data must also circulate (exchange or financing)
    reg = assess(GOOD, Questionnaire(True, True, registered_asset=True))
    assert reg.stage == "asset" and reg.next_steps == ("circulated",)


def test_capital_stage_and_advanced_capitalisation() -> None:
    listed = assess(GOOD, Questionnaire(True, True, True, exchange_listed=True))
    assert listed.stage == "capital" and not listed.advanced
    assert listed.next_steps == ("financed",)
    assert listed.next_stage is None
    pledged = assess(GOOD, Questionnaire(True, True, True, financed=True))
    assert pledged.stage == "capital" and pledged.next_steps == ("exchange_listed",)
    both = assess(GOOD, Questionnaire(True, True, True, True, True))
    assert both.stage == "capital" and both.advanced and both.next_steps == ("ecosystem",)


def test_answers_without_the_data_do_not_lift_the_stage() -> None:
    poor = Indicators(interval_minutes=60, history_days=30.0, completeness_share=0.5)
    r = assess(poor, Questionnaire(True, True, True, True, True))
    assert r.stage == "resource"
    assert r.next_steps == ("resolution", "history", "completeness", "linked")


def test_measured_indicators_of_a_frame_with_a_gap() -> None:
    # 10 days of 15-min intervals = 960; 96 missing (one day) → completeness 864 / 960 = 0.9
    idx = pd.date_range("2025-03-01", periods=960, freq="15min", tz="Asia/Shanghai")
    kwh = np.ones(960)
    kwh[96:192] = np.nan
    ind = measure_indicators(pd.DataFrame({"kwh": kwh}, index=idx), green_data=True, meters=3)
    assert ind.interval_minutes == 15
    assert ind.history_days == pytest.approx(10.0)  # 959 steps + one interval = 10 days
    assert ind.completeness_share == pytest.approx(0.9)
    assert ind.green_data and not ind.production_linked and ind.meters == 3


def test_stage_section_is_plain_json() -> None:
    sec = stage_section(assess(GOOD, GOVERNED))
    assert json.loads(json.dumps(sec)) == sec
    assert sec["stage"] == "asset"
    assert set(sec["indicators"]) == {
        "interval_minutes",
        "history_days",
        "completeness_share",
        "production_linked",
        "green_data",
        "meters",
        "catalogued",
        "compliance_reviewed",
        "registered_asset",
        "exchange_listed",
        "financed",
    }
    assert sec["next_steps"] == ["registered", "circulated"]


def test_every_reason_and_step_has_catalogue_text() -> None:
    codes = {*ASSET_CRITERIA, *CAPITAL_CRITERIA, "exchange_listed", "financed"}
    for lang in LANGS:
        for c in codes:
            assert has_key(f"stage.crit.{c}.met", lang) and has_key(f"stage.crit.{c}.unmet", lang)
            assert has_key(f"stage.step.{c}", lang)
        assert has_key("stage.step.ecosystem", lang)


def test_canvas_figures_quote_the_enterprise_numbers() -> None:
    doc = {
        "load": {"energy_kwh": 100.0},
        "tou": {
            "energy_kwh": {
                "sharp": 10.0,
                "peak": 30.0,
                "flat": 40.0,
                "valley": 20.0,
                "deep_valley": 0.0,
            },
            "total_cost_cny": 1000.0,
            "demand_charge_cny": 200.0,
            "average_price_cny_per_kwh": 10.0,
        },
        "green": {
            "target_share": 0.3,
            "gec_count": 7,
            "gec_cost_cny": 36.54,
            "green_purchase_kwh": 6500.0,
            "co2_location_t": 3.0,
            "co2_market_t": 2.0,
        },
    }
    figs = {f.code: f for f in canvas_figures(doc)}
    assert figs["tou"].box == "value_propositions"
    assert figs["tou"].params["peak_share"] == pytest.approx(0.4)  # (10 + 30) / 100
    assert figs["green"].params["gec_count"] == 7
    assert "shift" not in figs
    doc["production"] = {
        "sec_kwh_per_unit": 2.5,
        "idle_share": 0.2,
        "shift": {"saving_cny": 123.0, "shiftable_energy_kwh": 50.0},
    }
    figs = {f.code: f for f in canvas_figures(doc)}
    assert figs["shift"].box == "value_propositions" and figs["shift"].params["saving_cny"] == 123.0
    assert figs["sec"].params["sec_kwh_per_unit"] == 2.5
