"""Grid factors and green defaults are sourced data (after Electricity Maps' config tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.findings import InputError
from analytics.green.factors import factor_regions, factor_years, grid_factors, load_factors
from analytics.green.potential import default_prices, price_defaults
from analytics.green.pv import cities


def test_every_factor_has_a_source_and_a_confidence() -> None:
    fs = grid_factors()
    assert fs
    for f in fs:
        assert f.document and (f.url or f.seen_in), f
        assert f.confidence in {"C1", "C2", "C3", "U"}
        assert f.illustrative == (f.confidence in {"C3", "U"})


def test_fact_sheet_national_values_and_no_mixed_series() -> None:
    scope2 = [f for f in grid_factors() if f.purpose in ("location", "market_residual")]
    by = {(f.year, f.region, f.kind): f.value for f in scope2}
    # fact sheet §3.1: 2021 0.5568, 2022 0.5366, 2023 0.5306; residual 0.5942/0.5856/0.6096
    assert [by[(y, "national", "average")] for y in (2021, 2022, 2023)] == [0.5568, 0.5366, 0.5306]
    assert [by[(y, "national", "residual")] for y in (2021, 2022, 2023)] == [0.5942, 0.5856, 0.6096]
    values = set(by.values())
    assert not values & {0.5703, 0.5810, 0.6205, 0.5777}  # carbon-market and footprint series
    assert factor_years() == [2021, 2022, 2023]
    assert factor_regions()[0] == "national"
    assert {"east_china", "jiangsu", "zhejiang", "shanghai", "guangdong"} <= set(factor_regions())


def test_strict_loader_rejects_unknown_keys_and_unsourced_values(tmp_path: Path) -> None:
    head = 'series = "x"\nseries_en = "x"\nunit = "tCO2/MWh"\n'
    entry = (
        '[[factor]]\nyear = 2023\nscope = "national"\nregion = "national"\nkind = "average"\n'
        'purpose = "{purpose}"\npublished = "2025-12-31"\n'
        'value = 0.5\ndocument = "{doc}"\nurl = ""\nseen_in = "{seen}"\nconfidence = "C2"\n'
        "illustrative = false\n"
    )
    ok = tmp_path / "ok.toml"
    ok.write_text(
        head + entry.format(doc="公告", seen="repost", purpose="location"), encoding="utf-8"
    )
    assert load_factors(ok)[0].value == 0.5
    for name, text in {
        "unsourced": head + entry.format(doc="公告", seen="", purpose="location"),
        "unknown": head + entry.format(doc="d", seen="s", purpose="location") + "colour = 1\n",
        "wrong_purpose": head + entry.format(doc="d", seen="s", purpose="product_footprint"),
    }.items():
        p = tmp_path / f"{name}.toml"
        p.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_factors(p)
        assert err.value.code == "green.factor_file_invalid"


def test_prices_and_city_yields_carry_sources() -> None:
    for key, d in price_defaults().items():
        assert d["source"] and d["confidence"] in {"C1", "C2", "C3", "U"}, key
        assert isinstance(d["illustrative"], bool)
    p = default_prices()
    assert (p.gec_cny_per_certificate, p.green_premium_cny_per_kwh) == (5.22, 0.03)
    cs = cities()
    assert cs["nanjing"].yield_kwh_per_kwp == 1150 and cs["nanjing"].confidence == "C3"
    for c in cs.values():
        assert c.source and c.illustrative  # no city yield is confirmed (fact sheet §5)
        assert c.yield_range[0] <= c.yield_kwh_per_kwp <= c.yield_range[1]
        assert {"Jiangsu", "Zhejiang", "Shanghai", "Guangdong"} >= {c.province}


def test_factors_carry_purpose_data_year_and_publication_date() -> None:
    from analytics.green.factors import PURPOSES, factor_entry, factor_for

    for f in grid_factors():
        assert f.purpose in PURPOSES and f.published[:4] >= str(f.year), f
    # market-2026.md §3.9: 2023 published 2025-12-31; ex-market 0.6096 is the residual
    res = factor_for("residual", 2023)
    assert (res.purpose, res.published, res.value) == ("market_residual", "2025-12-31", 0.6096)
    assert factor_for("average", 2021).published == "2024-04-12"
    # life-cycle 2023 0.6205, 2024 0.5777 and T&D 0.0327 incl. losses: product footprint only
    assert factor_for("lifecycle", 2023).value == 0.6205
    life, td = factor_for("lifecycle"), factor_for("td_lifecycle")
    assert (life.year, life.value, td.value) == (2024, 0.5777, 0.0327)
    assert {life.purpose, td.purpose} == {"product_footprint"}
    assert factor_for("cbam_proxy").purpose == "cbam" and factor_for("cbam_proxy").illustrative
    e = factor_entry("green.grid_factor_t_per_mwh", factor_for("average", 2023))
    assert e == {
        "field": "green.grid_factor_t_per_mwh",
        "purpose": "location",
        "kind": "average",
        "series": "电力平均二氧化碳排放因子",
        "region": "national",
        "data_year": 2023,
        "published": "2025-12-31",
        "value": 0.5306,
        "confidence": "C2",
        "illustrative": False,
    }
    with pytest.raises(InputError):
        factor_for("lifecycle", 2019)
