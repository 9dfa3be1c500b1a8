"""Bill check, calibration and the basic-charge choice, by hand on a flat tariff."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.findings import InputError
from analytics.iotools.bills import bills_from_frame
from analytics.tou import bill, classify_periods
from analytics.tou.bills import BillOptions, basic_charge_choice, bill_check, bill_sections
from tests.tou.bill_fixtures import flat_tariff, hourly_frame


def _priced(months):
    frame = hourly_frame(months)
    periods = classify_periods(frame.index, [flat_tariff()])
    return frame, bill(frame, periods=periods), periods


def test_basic_charge_choice_per_month_and_year() -> None:
    # 10 kW every month; demand 10 × 40 = 400 CNY/month
    frame, b, periods = _priced({"2018-12": (7440.0, 0.0), "2019-01": (7440.0, 0.0)})
    out, warnings = basic_charge_choice(b, periods, 20.0)
    # capacity 20 kVA × 30 = 600 CNY/month → demand cheaper by 200 a month, 400 in all
    assert warnings == []
    assert (out["demand_charge_cny"], out["capacity_charge_cny"]) == (800.0, 1200.0)
    assert (out["cheaper"], out["saving_cny"]) == ("demand", 400.0)
    assert [y["year"] for y in out["years"]] == [2018, 2019]
    assert out["years"][0] | {} == {
        "year": 2018,
        "demand_charge_cny": 400.0,
        "capacity_charge_cny": 600.0,
        "cheaper": "demand",
        "saving_cny": 200.0,
    }
    assert [m["month"] for m in out["months"]] == ["2018-12", "2019-01"]
    assert out["declared_demand"] == "not_modelled"
    # 10 kVA × 30 = 300 → capacity cheaper by 100 a month
    small, _ = basic_charge_choice(b, periods, 10.0)
    assert (small["cheaper"], small["saving_cny"]) == ("capacity", 200.0)


def _bills(rows: list[dict]) -> object:
    return bills_from_frame(pd.DataFrame(rows), file="bills.csv")


def test_bill_check_and_calibration_by_hand() -> None:
    # Jan 7440 kWh → 3720 + 400 = 4120 CNY; Feb 6720 kWh → 3360 + 400 = 3760 CNY
    frame, b, _ = _priced({"2018-01": (7440.0, 0.0), "2018-02": (6720.0, 0.0)})
    bills = _bills(
        [
            {"month": "2018-01", "energy_kwh": 7500, "total_cny": 4500},
            {"month": "2018-02", "energy_kwh": 6000, "total_cny": None},
            {"month": "2018-03", "energy_kwh": 100, "total_cny": 80},
        ]
    )
    section, warnings = bill_check(bills, b, frame, BillOptions(calibrate=True))
    jan, feb, mar = section["months"]
    # Jan: (7500 − 7440) / 7440 = 0.806 % (within 2 %); (4500 − 4120) / 4120 = 9.22 % (> 5 %)
    assert jan["kwh_diff_share"] == pytest.approx(60 / 7440)
    assert jan["cny_diff_share"] == pytest.approx(380 / 4120)
    assert jan["flag"] is True and jan["data_coverage_share"] == 1.0
    # Feb: (6000 − 6720) / 6720 = −10.71 % → flagged; no CNY given
    assert feb["kwh_diff_share"] == pytest.approx(-720 / 6720) and feb["flag"] is True
    assert feb["billed_cny"] is None and feb["cny_diff_share"] is None
    # Mar: in the bills, not in the data: listed and flagged, not dropped
    assert mar["has_data"] is False and mar["computed_kwh"] is None and mar["flag"] is True
    assert section["flagged_months"] == ["2018-01", "2018-02", "2018-03"]
    assert {w.code for w in warnings} == {"bills.month_without_data", "bills.months_differ"}
    cal = section["calibration"]
    # Jan factor = (4500 − 400) / 3720 = 1.1021505…
    assert [r["month"] for r in cal["months"]] == ["2018-01"]
    assert cal["months"][0]["factor"] == pytest.approx(4100 / 3720)
    assert cal["factor_mean"] == pytest.approx(4100 / 3720)
    assert cal["not_calibrated"] == [
        {"month": "2018-02", "reason": "no_total"},
        {"month": "2018-03", "reason": "no_data"},
    ]
    # applied: Jan → 4500 exactly; Feb by the mean: 4100/3720 × 3360 + 400 = 4103.2258…
    assert cal["applied"] is True
    assert cal["calibrated_total_cost_cny"] == pytest.approx(4500 + 4100 / 3720 * 3360 + 400)


def test_tolerances_are_configurable_and_a_partial_month_is_not_calibrated() -> None:
    frame, b, _ = _priced({"2018-01": (7440.0, 0.0)})
    half = frame.iloc[:372]  # Jan 1–16: half the month's 744 hours
    b_half = bill(half, flat_tariff())
    bills = _bills([{"month": "2018-01", "energy_kwh": 3800, "total_cny": 2100}])
    # computed 3720 kWh → (3800 − 3720)/3720 = 2.15 %: flagged at 2 %, not at 3 %
    # computed CNY 1860 + 400 = 2260 → (2100 − 2260)/2260 = −7.08 %: not flagged at 10 %
    strict, _ = bill_check(bills, b_half, half)
    loose, _ = bill_check(bills, b_half, half, BillOptions(kwh_tolerance=0.03, cny_tolerance=0.10))
    assert strict["months"][0]["flag"] is True and loose["months"][0]["flag"] is False
    assert loose["months"][0]["data_coverage_share"] == pytest.approx(0.5)
    assert loose["calibration"]["not_calibrated"] == [
        {"month": "2018-01", "reason": "partial_month"}
    ]
    assert loose["calibration"]["applied"] is False


def test_per_period_kwh_and_demand_are_compared() -> None:
    frame, b, _ = _priced({"2018-01": (7440.0, 0.0)})
    bills = _bills([{"month": "2018-01", "flat_kwh": 7440, "demand_kw": 11}])
    section, _ = bill_check(bills, b, frame)
    row = section["months"][0]
    assert row["billed_kwh"] == 7440.0  # the sum of the period columns
    assert row["periods"] == {
        "flat": {"billed_kwh": 7440.0, "computed_kwh": 7440.0, "kwh_diff_share": 0.0}
    }
    assert (row["billed_demand_kw"], row["computed_max_kw"]) == (11.0, 10.0)
    assert row["flag"] is False


def test_bill_sections_checks_bounds_first() -> None:
    frame, b, periods = _priced({"2018-01": (7440.0, 0.0)})
    with pytest.raises(InputError) as e:
        bill_sections(frame, b, periods, options=BillOptions(kwh_tolerance=-0.1))
    assert e.value.code == "bills.bad_tolerance"
    no_q = frame.drop(columns="kvarh_lag")
    out = bill_sections(no_q, b, periods, options=BillOptions(pf_requested=True))
    assert out.power_factor is None and [w.code for w in out.warnings] == [
        "power_factor.no_reactive"
    ]
