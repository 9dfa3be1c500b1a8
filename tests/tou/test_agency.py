"""Agency-purchase tables by month (analytics/tou/agency.py): loader, prices, nearest month, CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analytics.cli.main import main
from analytics.findings import InputError
from analytics.tou import bill, get_tariff
from analytics.tou.agency import (
    agency_provinces,
    agency_tables,
    agency_versions,
    load_agency_table,
    month_version,
    rule_versions,
)
from analytics.tou.tariff import PERIOD_CODE
from tests.conftest import SAMPLE
from tests.tou.fixtures import JS_426, frame_at

LOAD = SAMPLE / "sunan_load_2025_15min.csv"

# A Guizhou-style table (from 2026-02-01 only the on-grid price and the line loss float,
# market-2026 §3.2); the numbers are made up to be easy to check by hand.
GUIZHOU_LIKE = """
province = "Jiangsu"
month = "2026-11"
user_class = "large_industrial_two_part"
voltage = "1-10kV"
applies_to = "agency"
source = "test"

[[component]]
name = "agency_purchase_price"
price_cny_per_kwh = 0.30
floats = true
source = "test"

[[component]]
name = "on_grid_line_loss"
price_cny_per_kwh = 0.02
floats = true
source = "test"

[[component]]
name = "transmission_distribution"
price_cny_per_kwh = 0.15
floats = false
source = "test"

[[component]]
name = "system_operation"
price_cny_per_kwh = 0.03
floats = false
source = "test"

[[component]]
name = "government_funds"
price_cny_per_kwh = 0.03
floats = false
source = "test"
"""


def test_shipped_tables_load_and_cite_their_sources() -> None:
    assert set(agency_provinces()) >= {"jiangsu", "guangdong", "shanghai"}
    for province in agency_provinces():
        for t in agency_tables(province):
            assert t.source.strip() and t.source_url.startswith("https://")
            assert t.confidence in ("C1", "C2", "C3", "U")
            assert all(c.source.strip() for c in t.components)
            assert t.float_rule.strip(), "the province's floating rule must be cited"


def test_month_price_from_components_jiangsu_2026_10() -> None:
    (t,) = [x for x in agency_tables("jiangsu") if x.month == "2026-10"]
    # floating: 代理购电价格 0.395724; fixed: 0.1298 + 0.0294 + 0.085076 = 0.244276
    assert t.floating_cny_per_kwh == pytest.approx(0.395724)
    assert t.fixed_cny_per_kwh == pytest.approx(0.244276)
    v = month_version(get_tariff(JS_426), t, "2026-10")
    oct_ = v.month_price[9]
    # 426 ratios: peak 0.395724 × 1.80 + 0.244276 = 0.9565792; valley × 0.35 → 0.3827794
    assert oct_[PERIOD_CODE["peak"]] == pytest.approx(0.9565792)
    assert oct_[PERIOD_CODE["flat"]] == pytest.approx(0.64)
    assert oct_[PERIOD_CODE["valley"]] == pytest.approx(0.3827794)
    # and they reproduce the published 2026-10 table to 1e-4 (fact sheet §0.1)
    assert [round(oct_[PERIOD_CODE[p]], 4) for p in ("flat", "peak", "valley")] == [
        0.6400,
        0.9566,
        0.3828,
    ]
    # the month's own table carries the 4th-period T&D demand/capacity prices (1077号)
    assert (v.demand_cny_per_kw_month, v.capacity_cny_per_kva_month) == (51.2, 32.0)
    assert v.id == f"{JS_426}@2026-10"
    assert (str(v.valid_from), str(v.valid_to)) == ("2026-10-01", "2026-10-31")


def test_shipped_tables_reproduce_their_published_prices() -> None:
    gd = get_tariff("guangdong_large_industrial_1_10kv_2021_331")
    (t,) = agency_tables("guangdong")
    sep = month_version(gd, t, "2026-09").month_price[8]
    # 0.62063125 × (0.38, 1, 1.7, 2.125) + 0.02766875 (Shantou 2026-09, fact sheet §2.4)
    got = [round(sep[PERIOD_CODE[p]], 4) for p in ("valley", "flat", "peak", "sharp")]
    assert got == [0.2635, 0.6483, 1.0827, 1.3465]
    sh = get_tariff("shanghai_large_industrial_10kv_2024_28")
    (t,) = agency_tables("shanghai")
    may = month_version(sh, t, "2025-05").month_price[4]
    # 0.652333 × 0.5 + 0.075733 = 0.4019; × 0.2 → 0.2062 (fact sheet §2.3)
    assert round(may[PERIOD_CODE["valley"]], 4) == 0.4019
    assert round(may[PERIOD_CODE["deep_valley"]], 4) == 0.2062


def test_guizhou_style_rule_only_listed_components_float() -> None:
    t = load_agency_table(GUIZHOU_LIKE)
    # floating 0.30 + 0.02 = 0.32; fixed 0.15 + 0.03 + 0.03 = 0.21
    assert t.floating_cny_per_kwh == pytest.approx(0.32)
    assert t.fixed_cny_per_kwh == pytest.approx(0.21)
    assert t.price(1.8) == pytest.approx(0.32 * 1.8 + 0.21)  # 0.786
    assert t.price(0.35) == pytest.approx(0.32 * 0.35 + 0.21)  # 0.322
    # the all-in price would float entirely under a naive rule: 0.53 × 1.8 = 0.954 ≠ 0.786
    assert t.price(1.8) != pytest.approx(0.53 * 1.8)


def test_month_without_table_priced_by_the_nearest_with_a_warning() -> None:
    tables = [load_agency_table(GUIZHOU_LIKE, file="2026-11.toml")] + [
        x for x in agency_tables("jiangsu") if x.month == "2026-10"
    ]
    # 2026-09-15 15:00 (spring/autumn peak 15–22): no Sept table → nearest 2026-10
    # 2026-10-15 15:00 peak → own table; 2026-12-15 03:00 (summer/winter valley 00–06):
    # nearest is 2026-11 (one month) → Guizhou-like table. The frame runs continuously from
    # the first to the last point (NaN between), so 2026-11 is present too (own table).
    f = frame_at({"2026-09-15 15:00": 1.0, "2026-10-15 15:00": 1.0, "2026-12-15 03:00": 1.0})
    pricing = agency_versions(f.index, [get_tariff(JS_426)], sorted(tables, key=lambda t: t.month))
    assert [(a.month, a.table.month, a.nearest) for a in pricing.months] == [
        ("2026-09", "2026-10", True),
        ("2026-10", "2026-10", False),
        ("2026-11", "2026-11", False),
        ("2026-12", "2026-11", True),
    ]
    # the 426 version (no T&D split) ends 2026-07-31: it still sets the periods, with a warning
    w, outside = pricing.warnings
    assert outside.code == "agency.rule_outside_validity"
    assert outside.params["months"] == "2026-09, 2026-10, 2026-11, 2026-12"
    assert w.code == "agency.nearest_month"
    assert w.params["months"] == "2026-09, 2026-12"
    assert w.params["tables"] == "jiangsu/2026-10, jiangsu/2026-11"
    # intervals: 09-15 15:00 → 10-01 00:00 = 369 h × 4 = 1476; 12-01 00:00 → 12-15 03:00
    # inclusive = 339 h × 4 + 1 = 1357; together 2833
    assert w.count == 1476 + 1357
    b = bill(f, pricing.versions)
    # 0.9565792 (Sept, by Oct) + 0.9565792 (Oct) peak; Dec valley 0.32 × 0.35 + 0.21 = 0.322
    assert b.energy_cost_cny["peak"] == pytest.approx(2 * 0.9565792)
    assert b.energy_cost_cny["valley"] == pytest.approx(0.322)
    # borrowed tables lend energy prices only: Sept keeps the preset's demand price
    assert [v.demand_cny_per_kw_month for v in pricing.versions] == [
        get_tariff(JS_426).demand_cny_per_kw_month,
        51.2,
        get_tariff(JS_426).demand_cny_per_kw_month,  # Nov's own table has none
        get_tariff(JS_426).demand_cny_per_kw_month,
    ]


def test_tie_goes_to_the_earlier_month() -> None:
    tables = agency_tables("jiangsu") + [
        load_agency_table(GUIZHOU_LIKE.replace("2026-11", "2026-12"))
    ]
    f = frame_at({"2026-11-15 03:00": 1.0})  # one month from 2026-10 and from 2026-12
    pricing = agency_versions(f.index, [get_tariff(JS_426)], tables)
    assert pricing.months[0].table.month == "2026-10"


@pytest.mark.parametrize(
    ("edit", "code", "line"),
    [
        (("applies_to = \"agency\"", "applies_to = \"agency\"\ncolour = 1"), "agency.unknown_key", 7),
        (("month = \"2026-11\"", "month = \"2026-13\""), "agency.bad_month", 3),
        (("price_cny_per_kwh = 0.30", "price_cny_per_kwh = 9.0"), "agency.price_out_of_range", 11),
        (("price_cny_per_kwh = 0.30", "price_cny_per_kwh = -0.1"), "agency.price_out_of_range", 11),
        (("name = \"on_grid_line_loss\"", "name = \"line_loss\""), "agency.unknown_component", 16),
        (("applies_to = \"agency\"", "applies_to = \"everyone\""), "agency.bad_applies_to", 6),
        (("floats = true\nsource = \"test\"\n\n[[component]]\nname = \"on_grid",
          "floats = \"yes\"\nsource = \"test\"\n\n[[component]]\nname = \"on_grid"),
         "agency.bad_type", 12),
    ],
)  # fmt: skip
def test_loader_is_strict_and_names_the_line(edit: tuple[str, str], code: str, line: int) -> None:
    text = GUIZHOU_LIKE.replace(*edit, 1)
    with pytest.raises(InputError) as info:
        load_agency_table(text, file="bad.toml")
    assert info.value.code == "agency.invalid"
    assert (line, code) in [(p.line, p.code) for p in info.value.params["problems"]]


def test_loader_rejects_absent_component_that_is_given_and_no_floating() -> None:
    text = GUIZHOU_LIKE.replace(
        'source = "test"', 'source = "test"\nabsent = ["government_funds"]', 1
    )
    with pytest.raises(InputError) as info:
        load_agency_table(text)
    assert "agency.absent_but_given" in {p.code for p in info.value.params["problems"]}
    text = GUIZHOU_LIKE.replace("floats = true", "floats = false")
    with pytest.raises(InputError) as info:
        load_agency_table(text)
    assert "agency.no_floating" in {p.code for p in info.value.params["problems"]}


def test_fixed_price_preset_cannot_take_agency_tables() -> None:
    from analytics.tou import load_tariff
    from tests.tou.fixtures import TEST_TOML  # [prices], no ratios

    t = load_tariff(TEST_TOML)
    if t.pricing is not None:  # pragma: no cover - the fixture gives fixed prices
        pytest.skip("fixture has ratios")
    with pytest.raises(InputError) as info:
        month_version(t, load_agency_table(GUIZHOU_LIKE), "2026-11")
    assert info.value.code == "agency.preset_without_ratios"


@pytest.mark.slow
def test_cli_agency_province_prices_by_month(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "--load", str(LOAD), "--agency-province", "jiangsu", "--no-shift"]) == 0
    doc = json.loads(capsys.readouterr().out)
    months = doc["agency"]["months"]
    assert [m["month"] for m in months] == [f"2025-{k:02d}" for k in range(1, 13)]
    assert all(m["table"] == "jiangsu/2026-10" and m["nearest"] for m in months)
    codes = [w["code"] for w in doc["data"]["warnings"]]
    assert "agency.nearest_month" in codes
    (w,) = [w for w in doc["data"]["warnings"] if w["code"] == "agency.nearest_month"]
    assert "2025-01" in w["message"] and "jiangsu/2026-10" in w["message"]
    # June–Dec under 426: peak 0.9565792; Jan–May under the pre-2025 bands, same table
    assert months[6]["prices_cny_per_kwh"]["peak"] == pytest.approx(0.9565792)
    assert doc["tou"]["tariff"].split("+")[0] == "jiangsu_large_industrial_1_10kv_pre2025@2025-01"
    # the energy cost is Σ kWh × the month's price: the average lies between valley and peak
    avg = doc["tou"]["energy_cost_cny"]
    assert sum(avg.values()) / doc["load"]["energy_kwh"] == pytest.approx(
        sum(avg.values()) / sum(doc["tou"]["energy_kwh"].values())
    )


def test_cli_agency_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "--load", str(LOAD), "--agency-province", "atlantis"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "atlantis" in err and "jiangsu" in err


def test_month_version_leaves_other_rows_consistent() -> None:
    (t,) = [x for x in agency_tables("jiangsu") if x.month == "2026-10"]
    v = month_version(get_tariff(JS_426), t, "2026-10")
    # every month row: floating × r + fixed with the preset's ratios (January peak too)
    assert np.asarray(v.month_price)[0, PERIOD_CODE["peak"]] == pytest.approx(0.9565792)


def test_hostile_agency_files_are_refused_before_parsing() -> None:
    deep = "province = " + "[" * 10_000 + "]" * 10_000 + "\n"  # 20 KB, under the size cap
    with pytest.raises(InputError) as info:
        load_agency_table(deep)
    assert [(p.line, p.code) for p in info.value.params["problems"]] == [(1, "agency.too_deep")]
    big = GUIZHOU_LIKE + "# " + "x" * 70_000 + "\n"
    with pytest.raises(InputError) as info:
        load_agency_table(big)
    assert [p.code for p in info.value.params["problems"]] == ["agency.too_large"]


def test_cli_prices_with_a_folder_of_imported_tables(
    tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "2025-07.toml").write_text(GUIZHOU_LIKE.replace("2026-11", "2025-07"), "utf-8")
    args = ["analyze", "--load", str(LOAD), "--agency-tables", str(folder), "--no-shift"]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    july = doc["agency"]["months"][6]
    assert (july["month"], july["table"], july["nearest"]) == ("2025-07", "jiangsu/2025-07", False)
    # 426 summer peak: 0.32 × 1.8 + 0.21 = 0.786; valley 0.32 × 0.35 + 0.21 = 0.322
    assert july["prices_cny_per_kwh"]["peak"] == pytest.approx(0.786)
    assert july["prices_cny_per_kwh"]["valley"] == pytest.approx(0.322)
    assert doc["agency"]["months"][0]["nearest"] is True  # January borrowed July's table


def test_rule_versions_follow_the_tables_province(capsys: pytest.CaptureFixture[str]) -> None:
    gd = agency_tables("guangdong")
    fam = rule_versions(gd)
    assert [v.id for v in fam] == [
        "guangdong_large_industrial_1_10kv_2021_331",
        "guangdong_large_industrial_1_10kv_2021_331_td2026",
    ]
    with pytest.raises(InputError) as info:
        rule_versions(gd, [get_tariff(JS_426)])
    assert info.value.code == "agency.province_mismatch"
    args = ["analyze", "--load", str(LOAD), "--agency-province", "guangdong", "--no-shift"]
    assert main([*args, "--tariff", JS_426]) == 2
    assert "Guangdong" in capsys.readouterr().err
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    # Guangdong 331 rules priced by the Shantou 2026-09 table: July sharp 0.62063125 × 2.125 +
    # 0.02766875 = 1.34651 (the table's own month reproduces the published 1.3465)
    july = doc["agency"]["months"][6]
    assert july["table"] == "guangdong/2026-09"
    assert july["prices_cny_per_kwh"]["sharp"] == pytest.approx(1.34651)
    assert doc["tou"]["tariff"].startswith("guangdong_large_industrial_1_10kv_2021_331@2025-01")


def test_incomplete_table_warns_for_the_months_it_prices() -> None:
    text = GUIZHOU_LIKE.replace(
        'source = "test"', 'source = "test"\ncomplete = false\nabsent = ["system_operation"]', 1
    )
    text = text.replace('name = "system_operation"', 'name = "unsplit_fixed"')
    t = load_agency_table(text)
    assert not t.complete
    f = frame_at({"2026-11-10 03:00": 1.0})
    pricing = agency_versions(f.index, [get_tariff(JS_426 + "_td2026")], [t])
    (w,) = pricing.warnings
    assert (w.code, w.params["months"], w.params["absent"]) == (
        "agency.incomplete_table",
        "2026-11",
        "system_operation",
    )


def test_direct_market_users_get_no_agency_table(capsys: pytest.CaptureFixture[str]) -> None:
    # from 2026-03-01 direct-market users no longer get government TOU (market-2026 §3.2):
    # the shipped tables apply to agency users only, so asking for direct users is refused
    args = ["analyze", "--load", str(LOAD), "--agency-province", "jiangsu"]
    assert main([*args, "--agency-class", "direct"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "direct" in err
    with pytest.raises(InputError) as info:
        agency_tables("jiangsu", applies_to="retail-passthrough")
    assert info.value.code == "agency.no_tables"
