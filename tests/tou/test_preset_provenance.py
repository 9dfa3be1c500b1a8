"""Preset provenance: published examples reproduced to 1e-4, placeholder ratios never claim C1/C2,
rules a preset lacks are named, and every demand/capacity figure says whether it is sourced."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from analytics.findings import InputError
from analytics.tou import get_tariff, load_tariff, preset_paths
from analytics.tou.tariff import PERIOD_CODE, RULE_NAMES
from tests.tou.fixtures import TEST_TOML

PRESETS = [p for p in preset_paths() if p.stem != "template"]


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_b_and_a_reproduce_the_published_examples(path: Path) -> None:
    t = load_tariff(path)
    if not t.examples:
        # no published example: the preset must be illustrative and say so
        assert t.illustrative and "No published example" in t.notes
        return
    for ex in t.examples:
        row = t.month_price[int(ex.month[5:]) - 1]
        for period, published in ex.prices.items():
            got = float(row[PERIOD_CODE[period]])
            if ex.reproduced:
                assert abs(got - published) <= 1e-4 + 1e-12, (ex.month, period, got, published)
            else:
                # an example may stay unreproduced only under placeholder ratios (U/C3)
                assert t.placeholder_ratios and t.meta.confidence in ("C3", "U")
                assert abs(got - published) > 1e-4


def test_the_published_figures_by_hand() -> None:
    js = get_tariff("jiangsu_large_industrial_1_10kv_2025_426").month_price[9]
    # 0.395724 × (1, 1.8, 0.35) + 0.244276 = 0.6400, 0.956579, 0.382779 (fact sheet §0.1)
    assert [round(js[PERIOD_CODE[p]], 4) for p in ("flat", "peak", "valley")] == [
        0.64,
        0.9566,
        0.3828,
    ]
    gd = get_tariff("guangdong_large_industrial_1_10kv_2021_331").month_price[8]
    # 0.6206 × (0.38, 1, 1.7, 2.125) + 0.0277 = 0.263528, 0.6483, 1.08272, 1.346475
    assert [round(gd[PERIOD_CODE[p]], 4) for p in ("valley", "flat", "peak", "sharp")] == [
        0.2635,
        0.6483,
        1.0827,
        1.3465,
    ]


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_placeholder_ratios_never_claim_c1_or_c2(path: Path) -> None:
    t = load_tariff(path)
    if t.placeholder_ratios:
        assert t.meta.confidence in ("C3", "U")
    assert set(t.not_modelled) <= set(RULE_NAMES)


def test_loader_refuses_placeholder_ratios_with_c2() -> None:
    text = TEST_TOML.replace('confidence = "U"', 'confidence = "C2"\nplaceholder_ratios = true')
    with pytest.raises(InputError) as info:
        load_tariff(text)
    assert "tariff.placeholder_claims_confidence" in {p.code for p in info.value.params["problems"]}
    bad = TEST_TOML.replace('confidence = "U"', 'confidence = "U"\nnot_modelled = ["rain_peak"]')
    with pytest.raises(InputError) as info:
        load_tariff(bad)
    assert "tariff.unknown_rule" in {p.code for p in info.value.params["problems"]}
    bad = TEST_TOML.replace("[charges]", "[charges]\ndemand_colour = 1")
    with pytest.raises(InputError) as info:
        load_tariff(bad)
    assert "tariff.unknown_key" in {p.code for p in info.value.params["problems"]}


def test_jiangsu_pre2025_says_which_rules_it_lacks() -> None:
    t = get_tariff("jiangsu_large_industrial_1_10kv_pre2025")
    assert {"sharp_peak", "holiday_deep_valley"} <= set(t.not_modelled)
    assert "555" in t.notes and "LACKS" in t.notes
    assert t.placeholder_ratios and t.meta.confidence == "U"  # bands C3, ratios placeholders


def test_zhejiang_2024_21_no_longer_claims_c2() -> None:
    t = get_tariff("zhejiang_large_industrial_1_10kv_2024_21")
    assert t.placeholder_ratios and t.meta.confidence == "U"


@pytest.mark.parametrize("path", PRESETS, ids=lambda p: p.stem)
def test_every_charge_figure_has_its_own_provenance(path: Path) -> None:
    t = load_tariff(path)
    for figure, value in (
        ("demand", t.demand_cny_per_kw_month),
        ("capacity", t.capacity_cny_per_kva_month),
    ):
        if value is None:
            continue
        info = t.charge_info[figure]
        assert info.source.strip()
        if not info.illustrative:
            # sourced figures are the 4th-period (1077号) ones, valid from 2026-08-01
            assert "1077" in info.source and str(t.valid_from) >= "2026-08-01"
            assert info.confidence in ("C1", "C2", "C3")
        else:
            assert info.confidence == "U"


def test_fourth_period_figures_by_hand() -> None:
    # 发改价格〔2026〕1077号 附件1, 两部制 1~10（20）千伏: demand CNY/kW·month, capacity CNY/kVA·month
    expected = {
        "jiangsu_large_industrial_1_10kv_2025_426_td2026": (51.2, 32.0),
        "zhejiang_large_industrial_1_10kv_2026_112_td2026": (47.2, 29.5),
        "shanghai_large_industrial_10kv_2024_28_td2026": (44.8, 28.0),
        "guangdong_large_industrial_1_10kv_2021_331_td2026": (36.1, 22.6),
    }
    for tid, (d, c) in expected.items():
        t = get_tariff(tid)
        assert (t.demand_cny_per_kw_month, t.capacity_cny_per_kva_month) == (d, c)
        assert str(t.valid_from) == "2026-08-01" and t.valid_to is None
        before = get_tariff(tid.removesuffix("_td2026"))
        assert str(before.valid_to) == "2026-07-31"
        assert before.charge_info["demand"].illustrative
        # the version split changes only the charges: same periods and energy prices
        assert (before.month_period == t.month_period).all()
        assert all(
            math.isclose(x, y) or (math.isnan(x) and math.isnan(y))
            for x, y in zip(before.month_price.ravel(), t.month_price.ravel(), strict=True)
        )
