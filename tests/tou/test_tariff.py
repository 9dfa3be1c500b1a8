"""The tariff model and its strict loader (analytics/tou/tariff.py): presets, problems by line, editing."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from analytics.findings import InputError
from analytics.tou.engine import bill, period_grid
from analytics.tou.tariff import (
    PERIODS,
    edit_tariff,
    get_tariff,
    list_presets,
    load_tariff,
    preset_paths,
    price_table,
)
from tests.tou.fixtures import JS_426, JS_OLD, TEST_TOML, frame_at, periods_at


# --------------------------------------------------------------------------- loader
def test_pricing_b_times_ratio_plus_a_matches_the_fact_sheet() -> None:
    t = get_tariff(JS_426)
    prices = price_table(t).loc[10]  # October 2026 example, fact sheet §0.1 / §2.7
    assert prices["peak"] == pytest.approx(0.395724 * 1.8 + 0.244276)  # = 0.956579
    assert prices["peak"] == pytest.approx(0.9566, abs=1e-4)
    assert prices["flat"] == pytest.approx(0.6400, abs=1e-4)  # 0.395724 + 0.244276 = 0.6400
    assert prices["valley"] == pytest.approx(0.3828, abs=1e-4)  # × 0.35 + 0.244276 = 0.382779
    # Guangdong Shantou 2026-09: 0.6206 × (2.125, 1.7, 1, 0.38) + 0.0277
    gd = price_table(get_tariff("guangdong_large_industrial_1_10kv_2021_331")).loc[9]
    for period, published in (
        ("sharp", 1.3465),
        ("peak", 1.0827),
        ("flat", 0.6483),
        ("valley", 0.2635),
    ):
        assert gd[period] == pytest.approx(published, abs=1e-4)
    # Shanghai 2025-05 (other months: valley r 0.5, deep valley r 0.2):
    # 0.65233 × 0.5 + 0.07573 = 0.40190; 0.65233 × 0.2 + 0.07573 = 0.20620
    sh = price_table(get_tariff("shanghai_large_industrial_10kv_2024_28")).loc[5]
    assert sh["valley"] == pytest.approx(0.4019, abs=1e-4)
    assert sh["deep_valley"] == pytest.approx(0.2062, abs=1e-4)
    # Shanghai July: peak r 1.8 → 0.65233 × 1.8 + 0.07573 = 1.24992
    assert price_table(get_tariff("shanghai_large_industrial_10kv_2024_28")).loc[
        7, "peak"
    ] == pytest.approx(1.24992, abs=1e-5)


BAD_TOML = """id = "bad file"
name = "Bad"
province = "Test"
user_class = "large_industrial_two_part"
voltage = "1-10kV"
valid_from = 2025-01-01
source = "test"
source_url = "https://example.org/test"
confidence = "C9"
colour = "green"

[[season]]
name = "a"
months = [1, 2, 3, 4, 5, 6, 13]
windows = [
  { period = "valley", start = "00:00", end = "08:00" },
  { period = "peak", start = "07:00", end = "12:00" },
  { period = "flat", start = "12:00", end = "22:00" },
]

[[season]]
name = "b"
months = [7, 8, 9, 10, 11, 12]
windows = [
  { period = "valley", start = "00:00", end = "12:15" },
  { period = "shoulder", start = "12:00", end = "24:00" },
]

[prices]
peak = -0.5
flat = 0.6
valley = 0.3
"""


def test_loader_lists_every_problem_by_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(BAD_TOML, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_tariff(path)
    err = info.value
    assert err.code == "tariff.invalid"
    assert err.file == "bad.toml"
    got = [(p.line, p.code, dict(p.params)) for p in err.params["problems"]]
    assert got == [
        (1, "tariff.bad_id", {"value": "bad file"}),
        (9, "tariff.bad_confidence", {"value": "C9"}),
        (10, "tariff.unknown_key", {"key": "colour", "table": "(top)"}),
        (
            12,
            "tariff.hours_not_covered",
            {"season": '[[season]] "a"', "start": "22:00", "end": "24:00"},
        ),
        (12, "tariff.missing_price", {"period": "peak", "months": "1, 2, 3, 4, 5, 6"}),
        (14, "tariff.bad_month", {"value": "13"}),
        (17, "tariff.overlap", {"season": '[[season]] "a"', "start": "07:00", "end": "08:00"}),
        (25, "tariff.bad_time", {"value": "12:15"}),
        (26, "tariff.unknown_period", {"period": "shoulder"}),
        (30, "tariff.negative_price", {"key": "peak", "value": -0.5}),
    ]
    assert err.params["count"] == 10


def test_loader_reports_syntax_errors_missing_keys_and_month_gaps() -> None:
    with pytest.raises(InputError) as info:
        load_tariff('id = "x"\nname = \n')
    assert [(p.line, p.code) for p in info.value.params["problems"]] == [(2, "tariff.toml_syntax")]
    text = TEST_TOML.replace(
        "months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]", "months = [1, 2, 3]"
    )
    text = text.replace('source_url = "https://example.org/test"\n', "")
    with pytest.raises(InputError) as info:
        load_tariff(text)
    codes = [(p.code, dict(p.params)) for p in info.value.params["problems"]]
    assert ("tariff.missing_key", {"key": "source_url"}) in codes
    assert ("tariff.months_not_covered", {"months": "4, 5, 6, 7, 8, 9, 10, 11, 12"}) in codes


def test_wrapping_windows_that_tile_the_day_load(test_tariff) -> None:
    assert test_tariff.id == "test_tou"
    grid = period_grid(test_tariff)
    assert grid.shape == (12, 48)
    assert grid.loc[1, "23:30"] == "valley" and grid.loc[1, "05:30"] == "valley"
    assert grid.loc[7, "10:00"] == "sharp" and grid.loc[6, "10:00"] == "peak"
    assert period_grid(test_tariff, day_type="holiday").loc[6, "10:00"] == "deep_valley"
    assert set(period_grid(test_tariff, day_type="rest").loc[3]) == {"valley"}


# --------------------------------------------------------------------------- presets
@pytest.mark.parametrize("path", preset_paths(), ids=lambda p: p.name)
def test_every_shipped_file_loads_and_cites_its_source(path: Path) -> None:
    t = load_tariff(path)
    assert t.meta.source.strip(), "source (document number) missing"
    assert t.meta.source_url.startswith("https://"), "source_url missing"
    assert t.meta.valid_from is not None
    assert "1093" in t.national_rule, "the national rule NDRC 发改价格〔2021〕1093号 must be cited"
    assert t.meta.confidence in ("C1", "C2", "C3", "U")
    # every period used is priced (the loader checks it; the table must agree)
    for m in range(12):
        for code in np.unique(t.month_period[m]):
            assert not math.isnan(t.month_price[m, code])


def test_presets_list_versions_and_ids() -> None:
    ids = {m.id for m in list_presets()}
    assert {
        JS_OLD,
        JS_426,
        "zhejiang_large_industrial_1_10kv_2024_21",
        "zhejiang_large_industrial_1_10kv_2026_112",
        "shanghai_large_industrial_10kv_2024_28",
        "guangdong_large_industrial_1_10kv_2021_331",
    } <= ids
    assert "template" not in ids
    with pytest.raises(InputError) as info:
        get_tariff("no_such_tariff")
    assert info.value.code == "tariff.unknown"


def test_guangdong_sharp_months_and_shanghai_sharp() -> None:
    gd = get_tariff("guangdong_large_industrial_1_10kv_2021_331")
    assert periods_at(
        ["2025-07-15 11:00", "2025-07-15 15:30", "2025-06-16 11:00", "2025-09-30 16:30"], gd
    ) == ["sharp", "sharp", "peak", "sharp"]
    sh = get_tariff("shanghai_large_industrial_10kv_2024_28")
    assert periods_at(["2025-07-15 12:30", "2025-09-15 12:30", "2025-12-15 19:00"], sh) == [
        "sharp",
        "peak",
        "sharp",
    ]


def test_shanghai_deep_valley_days() -> None:
    sh = get_tariff("shanghai_large_industrial_10kv_2024_28")
    got = periods_at(
        [
            "2025-05-10 03:00",  # Sat in May (rest day, Feb–Jun) → deep valley
            "2025-07-12 03:00",  # Sat in July: not a deep-valley month → valley
            "2025-10-01 23:00",  # 国庆 (statutory holiday) → deep valley
            "2025-02-08 03:00",  # Sat make-up working day (调休) → valley
            "2025-05-12 03:00",
        ],
        sh,
    )  # Monday → valley
    assert got == ["deep_valley", "valley", "deep_valley", "valley", "valley"]


def test_zhejiang_2026_deep_valley_first_three_days() -> None:
    zj = get_tariff("zhejiang_large_industrial_1_10kv_2026_112")
    # 劳动节 2026: May 1–5. Days 1–3: 00–09 valley, 09–15 deep valley; day 4 is priced as usual.
    got = periods_at(
        ["2026-05-01 08:30", "2026-05-03 09:00", "2026-05-04 09:00", "2026-05-06 09:00"], zj
    )
    assert got == ["valley", "deep_valley", "flat", "flat"]


def test_edit_tariff_changes_one_price(test_tariff) -> None:
    f = frame_at({"2025-03-03 09:00": 2.0})
    before = bill(f, test_tariff).total_cost_cny
    after = bill(f, edit_tariff(test_tariff, prices={"peak": 1.5})).total_cost_cny
    # 2 kWh × (1.5 − 1.2) = 0.6 more
    assert after - before == pytest.approx(0.6)
    with pytest.raises(InputError):
        edit_tariff(test_tariff, prices={"peak": -1.0})


def test_every_tariff_code_and_period_has_catalogue_entries_in_both_languages() -> None:
    # the emitted codes of every module are checked against the registry in tests/test_findings.py
    from analytics.tou.tariff import ERROR_CODES, PROBLEM_CODES
    from ui.render.i18n import catalogue

    keys = {f"error.tariff.{c}" for c in PROBLEM_CODES} | {f"error.{c}" for c in ERROR_CODES}
    keys |= {f"period.{p}" for p in PERIODS}
    for lang in ("en", "zh-CN"):
        assert sorted(keys - set(catalogue(lang))) == [], lang


RULES_TOML = """id = "rules"
name = "Rules"
province = "Test"
user_class = "general_ci"
voltage = "1-10kV"
valid_from = 2025-01-01
source = "test"
source_url = "https://example.org/test"
confidence = "U"

[[season]]
name = "all"
months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
windows = [{ period = "flat", start = "00:00", end = "24:00" }]

[[sharp_peak]]
months = [7]
windows = [
  { start = "10:00", end = "11:00" },
  { start = "10:15", end = "12:00" },
]

[[holiday_rule]]
days = "weekends"
holidays = ["christmas"]
period = "valley"

[pricing]
base_cny_per_kwh = 0.4
adder_cny_per_kwh = 0.2

[pricing.ratios]
flat = 1.0
sharp = -2.0
"""


def test_loader_finds_lines_in_sub_tables_and_rules() -> None:
    with pytest.raises(InputError) as info:
        load_tariff(RULES_TOML)
    got = [(p.line, p.code) for p in info.value.params["problems"]]
    assert got == [
        (16, "tariff.missing_price"),  # sharp is used in July; its ratio was rejected (line 34)
        (20, "tariff.bad_time"),  # the second sharp window, "10:15"
        (23, "tariff.missing_price"),  # the rule prices weekends as valley; no valley ratio
        (24, "tariff.bad_day_rule"),
        (25, "tariff.unknown_holiday"),
        (34, "tariff.negative_ratio"),
    ]
