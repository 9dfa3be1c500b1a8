"""The TOU engine (analytics/tou/engine.py): classification at interval start and the bill, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.iotools.frame import make_frame
from analytics.tou.engine import bill, classify, default_tariffs_for, to_tou_json
from analytics.tou.tariff import (
    PERIODS,
    get_tariff,
)
from tests.tou.fixtures import JS_426, JS_OLD, TZ, frame_at, periods_at


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
    # 05-31 12:00 old rules flat 0.3958 + 0.2443 = 0.6401 (placeholders); 06-01 12:00 426
    # summer valley (11–13) 0.395724 × 0.35 + 0.244276 = 0.3827794
    assert b.tariff_ids == (JS_OLD, JS_426)
    assert b.energy_cost_cny["flat"] == pytest.approx(0.6401)
    assert b.energy_cost_cny["valley"] == pytest.approx(0.3827794)
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


def test_classification_is_vectorised_over_a_year(test_tariff) -> None:
    idx = pd.date_range("2025-01-01", periods=365 * 96, freq="15min", tz=TZ)
    got = classify(idx, test_tariff)
    assert len(got) == len(idx) and got.index.equals(idx)
    assert str(got.dtype) == "category"
    # every sharp interval is in July 10:00–11:00 on a working day
    sharp = got[got == "sharp"].index
    assert set(sharp.month) == {7} and set(sharp.hour) == {10}
