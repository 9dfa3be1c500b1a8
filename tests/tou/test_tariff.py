"""Tariff loader, presets and the TOU engine, with hand-computed bills."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytics.findings import InputError
from analytics.iotools.frame import make_frame
from analytics.tou.engine import bill, classify, default_tariffs_for, period_grid, to_tou_json
from analytics.tou.tariff import (
    PERIODS,
    edit_tariff,
    get_tariff,
    list_presets,
    load_tariff,
    preset_paths,
    price_table,
)

TZ = "Asia/Shanghai"
JS_OLD = "jiangsu_large_industrial_1_10kv_pre2025"
JS_426 = "jiangsu_large_industrial_1_10kv_2025_426"

# A small tariff whose every number is easy to check by hand.
TEST_TOML = """
id = "test_tou"
name = "Test"
province = "Test"
user_class = "large_industrial_two_part"
voltage = "1-10kV"
valid_from = 2020-01-01
source = "test"
source_url = "https://example.org/test"
confidence = "U"
illustrative = false

[[season]]
name = "all"
months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
windows = [
  { period = "valley", start = "22:00", end = "06:00" },
  { period = "flat", start = "06:00", end = "08:00" },
  { period = "peak", start = "08:00", end = "11:30" },
  { period = "flat", start = "11:30", end = "22:00" },
]

[[sharp_peak]]
months = [7]
windows = [{ start = "10:00", end = "11:00" }]

[[holiday_rule]]
days = "statutory_holidays"
windows = [{ period = "deep_valley", start = "10:00", end = "14:00" }]

[[holiday_rule]]
days = "rest_days"
period = "valley"

[prices]
sharp = 1.5
peak = 1.2
flat = 0.7
valley = 0.3
deep_valley = 0.1

[charges]
demand_cny_per_kw_month = 40.0
capacity_cny_per_kva_month = 30.0
"""


@pytest.fixture(scope="module")
def test_tariff():
    return load_tariff(TEST_TOML)


def frame_at(points: dict[str, float], minutes: int = 15):
    """A canonical frame with kWh at the given local start times; every other interval NaN."""
    idx = pd.DatetimeIndex(list(points), tz=TZ)
    return make_frame(pd.Series(list(points.values()), index=idx, dtype=float), minutes)


def periods_at(times: list[str], tariff) -> list[str]:
    return classify(pd.DatetimeIndex(times, tz=TZ), tariff).tolist()


# --------------------------------------------------------------------------- loader
def test_pricing_b_times_ratio_plus_a_matches_the_fact_sheet() -> None:
    t = get_tariff(JS_426)
    prices = price_table(t).loc[10]  # October 2026 example, fact sheet §0.1 / §2.7
    assert prices["peak"] == pytest.approx(0.3958 * 1.8 + 0.2443)  # = 0.95674
    assert prices["peak"] == pytest.approx(0.9566, abs=1e-3)
    assert prices["flat"] == pytest.approx(0.6400, abs=1e-3)  # 0.3958 + 0.2443 = 0.6401
    assert prices["valley"] == pytest.approx(0.3828, abs=1e-3)  # 0.3958 × 0.35 + 0.2443 = 0.38283
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


# --------------------------------------------------------------------------- classification
def test_midnight_wrapping_valley_bill(test_tariff) -> None:
    # 15-min intervals on Mon 2025-03-03 → Tue 03-04 (working days): valley is 22:00–06:00.
    f = frame_at(
        {
            "2025-03-03 21:45": 1.0,
            "2025-03-03 23:00": 2.0,
            "2025-03-04 05:45": 3.0,
            "2025-03-04 06:00": 4.0,
        }
    )
    assert classify(f.index[[0, 5, -2, -1]], test_tariff).tolist() == [
        "flat",
        "valley",
        "valley",
        "flat",
    ]
    b = bill(f, test_tariff)
    # flat: 1 + 4 = 5 kWh × 0.7 = 3.5; valley: 2 + 3 = 5 kWh × 0.3 = 1.5
    assert b.energy_kwh == {
        "sharp": 0.0,
        "peak": 0.0,
        "flat": 5.0,
        "valley": 5.0,
        "deep_valley": 0.0,
    }
    assert b.energy_cost_cny["flat"] == pytest.approx(3.5)
    assert b.energy_cost_cny["valley"] == pytest.approx(1.5)
    # demand: max 4 kWh / 0.25 h = 16 kW × 40 = 640; total 3.5 + 1.5 + 640 = 645
    assert b.demand_charge_cny == pytest.approx(640.0)
    assert b.total_cost_cny == pytest.approx(645.0)
    assert b.average_price_cny_per_kwh == pytest.approx(645.0 / 10.0)
    assert b.warnings == ()


def test_half_hour_boundary(test_tariff) -> None:
    # peak is 08:00–11:30: 11:15 and 11:29 are peak, 11:30 is flat (15-min and 1-min starts)
    assert periods_at(
        ["2025-03-03 11:15", "2025-03-03 11:29", "2025-03-03 11:30"], test_tariff
    ) == ["peak", "peak", "flat"]
    f = frame_at({"2025-03-03 11:00": 1.0, "2025-03-03 11:30": 1.0}, minutes=30)
    b = bill(f, test_tariff)
    # 1 kWh × 1.2 + 1 kWh × 0.7 = 1.9 energy; max 1 kWh / 0.5 h = 2 kW × 40 = 80
    assert b.energy_cost_cny["peak"] == pytest.approx(1.2)
    assert b.energy_cost_cny["flat"] == pytest.approx(0.7)
    assert b.total_cost_cny == pytest.approx(81.9)


def test_sharp_peak_month(test_tariff) -> None:
    # July 10:00–11:00 is sharp; June the same hour is peak; July 11:00 is back to peak.
    assert periods_at(
        ["2025-07-01 10:00", "2025-06-30 10:00", "2025-07-01 11:00"], test_tariff
    ) == ["sharp", "peak", "peak"]
    f = frame_at({"2025-07-01 10:30": 2.0})
    b = bill(f, test_tariff)
    # 2 kWh × 1.5 = 3.0; demand 2 / 0.25 = 8 kW × 40 = 320
    assert b.energy_cost_cny["sharp"] == pytest.approx(3.0)
    assert b.total_cost_cny == pytest.approx(323.0)


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


def test_holiday_rule_deep_valley(test_tariff) -> None:
    # 2025-10-01 (国庆, holiday): 10:00–14:00 deep valley; 09:45 stays peak; Thu 10-09 is working.
    assert periods_at(
        [
            "2025-10-01 09:45",
            "2025-10-01 10:00",
            "2025-10-01 13:45",
            "2025-10-01 14:00",
            "2025-10-09 10:00",
        ],
        test_tariff,
    ) == ["peak", "deep_valley", "deep_valley", "flat", "peak"]
    f = frame_at({"2025-10-01 12:00": 4.0})
    b = bill(f, test_tariff)
    # 4 kWh × 0.1 = 0.4; demand 16 kW × 40 = 640
    assert b.energy_cost_cny["deep_valley"] == pytest.approx(0.4)
    assert b.total_cost_cny == pytest.approx(640.4)


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


def test_make_up_working_saturday_priced_as_working_day(test_tariff) -> None:
    # rest days are valley all day; Sat 2025-02-08 and Sun 2025-01-26 are 调休 working days.
    got = periods_at(["2025-02-08 09:00", "2025-01-26 09:00", "2025-02-15 09:00"], test_tariff)
    assert got == ["peak", "peak", "valley"]
    f = frame_at({"2025-02-08 09:00": 1.0, "2025-02-15 09:00": 1.0})
    b = bill(f, test_tariff)
    # 1 kWh × 1.2 (peak, working Saturday) + 1 kWh × 0.3 (valley, rest Saturday) = 1.5
    assert b.energy_kwh["peak"] == 1.0 and b.energy_kwh["valley"] == 1.0
    assert b.total_cost_cny - b.demand_charge_cny == pytest.approx(1.5)


def test_demand_charge_over_two_months(test_tariff) -> None:
    f = frame_at({"2025-03-31 23:45": 5.0, "2025-04-01 00:00": 2.0, "2025-04-15 12:00": 3.0})
    b = bill(f, test_tariff)
    # March max 5 / 0.25 = 20 kW × 40 = 800; April max 3 / 0.25 = 12 kW × 40 = 480; Σ = 1280
    assert b.demand_charge_cny == pytest.approx(1280.0)
    assert b.charge_basis == "demand"
    m = b.monthly.set_index("month")
    assert list(m.index) == ["2025-03", "2025-04"]
    assert m["max_kw"].tolist() == pytest.approx([20.0, 12.0])
    assert m["demand_charge_cny"].tolist() == pytest.approx([800.0, 480.0])
    # March: 5 kWh valley (23:45) × 0.3 = 1.5; April: 2 valley × 0.3 + 3 flat × 0.7 = 2.7
    assert m["energy_cost_cny"].tolist() == pytest.approx([1.5, 2.7])
    assert m["total_cost_cny"].tolist() == pytest.approx([801.5, 482.7])
    assert m["energy_kwh_valley"].tolist() == pytest.approx([5.0, 2.0])
    # capacity instead: 1000 kVA × 30 = 30,000 per month × 2 months = 60,000
    c = bill(f, test_tariff, contracted_kva=1000)
    assert c.charge_basis == "capacity"
    assert c.demand_charge_cny == pytest.approx(60_000.0)


def test_end_labelled_reading_priced_at_its_start() -> None:
    # The reading labelled 08:00 covers 07:45–08:00; the importer turns it into the start 07:45.
    # Pre-2025 Jiangsu: valley 00–08, peak 08–11, so the boundary sits at 08:00.
    old = get_tariff(JS_OLD)
    assert periods_at(["2024-03-05 07:45", "2024-03-05 08:00"], old) == ["valley", "peak"]
    end_labels = pd.DatetimeIndex(["2024-03-05 08:00"], tz=TZ)
    starts = end_labels - pd.Timedelta(minutes=15)
    f = make_frame(pd.Series([1.0], index=starts), 15)
    b = bill(f, old)
    # 1 kWh × (0.3958 × 0.35 + 0.2443 = 0.38283), not the peak 0.95674
    assert b.energy_kwh["valley"] == 1.0
    assert b.energy_cost_cny["valley"] == pytest.approx(0.38283)


def test_series_crossing_two_jiangsu_versions() -> None:
    versions = [get_tariff(JS_426), get_tariff(JS_OLD)]  # order does not matter
    f = frame_at({"2025-05-31 12:00": 1.0, "2025-06-01 12:00": 1.0}, minutes=30)
    assert classify(f.index[[0, -1]], versions).tolist() == ["flat", "valley"]
    b = bill(f, versions)
    # 05-31 12:00 old rules flat 0.6401; 06-01 12:00 426 summer valley (11–13) 0.38283
    assert b.tariff_ids == (JS_OLD, JS_426)
    assert b.energy_cost_cny["flat"] == pytest.approx(0.6401)
    assert b.energy_cost_cny["valley"] == pytest.approx(0.38283)
    # demand: May 1 kWh / 0.5 h = 2 kW × 40 = 80; June the same 80 → 160
    assert b.demand_charge_cny == pytest.approx(160.0)
    assert b.monthly["tariff"].tolist() == [JS_OLD, JS_426]
    assert {w.code for w in b.warnings} == {"tou.illustrative_prices"}
    assert default_tariffs_for(f) == [get_tariff(JS_OLD), get_tariff(JS_426)]
    out = to_tou_json(b)
    assert out["tariff"] == f"{JS_OLD}+{JS_426}"


def test_outside_validity_uses_the_nearest_version() -> None:
    f = frame_at({"2023-01-02 09:00": 1.0, "2023-01-02 10:00": 1.0})  # before 2023-07-01
    assert default_tariffs_for(f) == [get_tariff(JS_OLD)]
    b = bill(f, default_tariffs_for(f))
    out = [w for w in b.warnings if w.code == "tou.outside_validity"]
    # 09:00 … 10:00 at 15 min = 5 intervals, all outside validity
    assert [(w.count, w.params["tariff"], w.params["first"]) for w in out] == [
        (5, JS_OLD, "2023-01-02")
    ]
    assert b.energy_cost_cny["peak"] == pytest.approx(2 * 0.95674)


def test_2027_data_warns_unofficial_calendar(test_tariff) -> None:
    f = frame_at({"2027-01-01 10:00": 1.0})
    b = bill(f, test_tariff)
    assert b.warning_codes == {"calendar.unofficial_year"}
    # 2027-01-01 (元旦, from holidays.China) 10:00 → deep valley 0.1
    assert b.energy_cost_cny["deep_valley"] == pytest.approx(0.1)


def test_tou_json_matches_design_keys(test_tariff) -> None:
    f = frame_at({"2025-03-03 09:00": 2.0})
    out = to_tou_json(bill(f, test_tariff))
    assert list(out) == [
        "tariff",
        "energy_kwh",
        "energy_cost_cny",
        "demand_charge_cny",
        "total_cost_cny",
        "average_price_cny_per_kwh",
    ]
    assert list(out["energy_kwh"]) == list(PERIODS) == list(out["energy_cost_cny"])
    # 2 kWh × 1.2 = 2.4 + 8 kW × 40 = 320 → 322.4; average 322.4 / 2 = 161.2
    assert out["tariff"] == "test_tou"
    assert out["total_cost_cny"] == pytest.approx(322.4)
    assert out["average_price_cny_per_kwh"] == pytest.approx(161.2)


def test_missing_intervals_add_nothing_and_empty_energy_has_no_average(test_tariff) -> None:
    f = frame_at({"2025-03-03 09:00": np.nan, "2025-03-03 10:00": np.nan})
    out = to_tou_json(bill(f, test_tariff))
    assert out["total_cost_cny"] == 0.0
    assert out["average_price_cny_per_kwh"] is None


def test_edit_tariff_changes_one_price(test_tariff) -> None:
    f = frame_at({"2025-03-03 09:00": 2.0})
    before = bill(f, test_tariff).total_cost_cny
    after = bill(f, edit_tariff(test_tariff, prices={"peak": 1.5})).total_cost_cny
    # 2 kWh × (1.5 − 1.2) = 0.6 more
    assert after - before == pytest.approx(0.6)
    with pytest.raises(InputError):
        edit_tariff(test_tariff, prices={"peak": -1.0})


def test_classification_is_vectorised_over_a_year(test_tariff) -> None:
    idx = pd.date_range("2025-01-01", periods=365 * 96, freq="15min", tz=TZ)
    got = classify(idx, test_tariff)
    assert len(got) == len(idx) and got.index.equals(idx)
    assert str(got.dtype) == "category"
    # every sharp interval is in July 10:00–11:00 on a working day
    sharp = got[got == "sharp"].index
    assert set(sharp.month) == {7} and set(sharp.hour) == {10}


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
