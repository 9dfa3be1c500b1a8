"""Power factor (力调): the three sourced tables, rounding, and the monthly section."""

from __future__ import annotations

import math

import pytest

from analytics.findings import InputError
from analytics.tou import bill
from analytics.tou.power_factor import (
    adjustment_rules,
    adjustment_share,
    monthly_power_factor,
    parse_rules,
    power_factor_section,
    rounded_hundredths,
)
from tests.tou.bill_fixtures import flat_tariff, hourly_frame


@pytest.mark.parametrize(
    ("pf", "standard", "share"),
    [
        # 0.90 standard: 0.5 % per 0.01 from 0.89 to 0.70, 1 % to 0.65, 2 % below
        (0.90, 0.90, 0.0),
        (0.89, 0.90, 0.005),
        (0.80, 0.90, 0.05),  # 10 steps × 0.5 %
        (0.70, 0.90, 0.10),  # 20 × 0.5 %
        (0.64, 0.90, 0.17),  # 10 % + 5 × 1 % + 1 × 2 %
        (0.60, 0.90, 0.25),  # 10 % + 5 % + 5 × 2 % (the worked example of the sources)
        (0.91, 0.90, -0.0015),
        (0.94, 0.90, -0.006),  # 4 × 0.15 %
        (0.95, 0.90, -0.0075),  # the cap
        (1.00, 0.90, -0.0075),
        # 0.85 standard
        (0.84, 0.85, 0.005),
        (0.64, 0.85, 0.11),  # 20 × 0.5 % + 1 × 1 %
        (0.90, 0.85, -0.005),  # 5 × 0.1 %
        (0.91, 0.85, -0.0065),  # 0.5 % + 0.15 %
        (0.94, 0.85, -0.011),  # 0.5 % + 4 × 0.15 % (the cap)
        (0.99, 0.85, -0.011),
        # 0.80 standard
        (0.79, 0.80, 0.005),
        (0.55, 0.80, 0.15),  # 20 × 0.5 % + 5 × 1 %
        (0.90, 0.80, -0.01),  # 10 × 0.1 %
        (0.91, 0.80, -0.0115),
        (0.92, 0.80, -0.013),  # the cap
        (1.00, 0.80, -0.013),
    ],
)
def test_tables_by_hand(pf: float, standard: float, share: float) -> None:
    assert adjustment_share(pf, standard) == pytest.approx(share, abs=1e-12)


def test_power_factor_is_read_at_two_decimals_half_up() -> None:
    assert rounded_hundredths(0.885) == 89  # 88.4999… in binary, half up → 0.89
    assert rounded_hundredths(0.8849) == 88
    assert adjustment_share(0.885) == pytest.approx(0.005)  # 0.89: 1 step
    assert adjustment_share(0.8849) == pytest.approx(0.010)  # 0.88: 2 steps


def test_every_table_carries_its_source_and_confidence() -> None:
    rules = adjustment_rules()
    assert "215" in rules.document and rules.source_urls
    assert set(rules.standards) == {90, 85, 80}
    for table in rules.standards.values():
        assert table.surcharge_confidence in {"C1", "C2", "C3", "U"}
        assert table.rebate_confidence in {"C1", "C2", "C3", "U"}
        assert table.applies_to and table.applies_to_en
    assert rules.rules["leading_add_confidence"] == "U"


def test_the_table_loader_rejects_unknown_keys() -> None:
    with pytest.raises(InputError) as e:
        parse_rules('document = "x"\nsource_urls = []\nsurprise = 1\n[rules]\n')
    assert e.value.code == "power_factor.table_invalid" and e.value.column == ".surprise"


def test_unknown_standard_is_refused() -> None:
    with pytest.raises(InputError) as e:
        adjustment_share(0.9, 0.95)
    assert e.value.code == "power_factor.bad_standard"


def _three_months():
    # hourly, every month at 10 kW; Q/P = 0.75, 0.48, 0.30
    return hourly_frame(
        {
            "2018-01": (7440.0, 5580.0),  # 744 h; pf = 1 / √(1 + 0.75²) = 0.80 → below 0.90
            "2018-02": (6720.0, 3225.6),  # 672 h; pf = 1 / √1.2304 = 0.9015 → 0.90, at it
            "2018-03": (7440.0, 2232.0),  # pf = 1 / √1.09 = 0.9578 → 0.96, above
        }
    )


def test_a_month_on_each_side_of_the_standard_and_one_at_it() -> None:
    frame = _three_months()
    b = bill(frame, flat_tariff())
    res = monthly_power_factor(frame, b)
    m = res.months.set_index("month")
    assert list(m["pf_rounded"]) == [0.80, 0.90, 0.96]
    assert m.at["2018-01", "pf"] == pytest.approx(0.8, abs=1e-12)
    assert m.at["2018-02", "pf"] == pytest.approx(1 / math.sqrt(1.2304))
    # basis = energy × 0.50 + 10 kW × 40: Jan 3720 + 400 = 4120, Feb 3360 + 400 = 3760, Mar 4120
    assert list(m["basis_cny"]) == pytest.approx([4120.0, 3760.0, 4120.0])
    # Jan +5 % × 4120 = +206.0; Feb 0; Mar −0.75 % × 4120 = −30.9
    assert list(m["adjustment_share"]) == pytest.approx([0.05, 0.0, -0.0075])
    assert list(m["adjustment_cny"]) == pytest.approx([206.0, 0.0, -30.9])
    assert res.adjustment_cny == pytest.approx(175.1)
    sec = power_factor_section(res)
    assert sec["standard"] == 0.9 and sec["reactive"] == "lagging"
    assert [r["month"] for r in sec["months"]] == ["2018-01", "2018-02", "2018-03"]
    assert {"month", "kwh", "kvarh", "pf", "adjustment_share", "adjustment_cny"} <= set(
        sec["months"][0]
    )


def test_the_085_standard() -> None:
    frame = _three_months()
    res = monthly_power_factor(frame, bill(frame, flat_tariff()), standard=0.85)
    # Jan 0.80: 5 × 0.5 % = 2.5 % × 4120 = 103.0; Feb 0.90: −0.5 % × 3760 = −18.8;
    # Mar 0.96: −1.10 % × 4120 = −45.32
    assert list(res.months["adjustment_cny"]) == pytest.approx([103.0, -18.8, -45.32])


def test_leading_energy_is_not_counted_unless_asked() -> None:
    frame = _three_months()
    frame["kvarh_lead"] = 0.0
    frame.loc["2018-03", "kvarh_lead"] = 3348.0 / 744  # Mar leading 3348 kvarh
    b = bill(frame, flat_tariff())
    ignored = monthly_power_factor(frame, b)
    assert [w.code for w in ignored.warnings] == ["power_factor.leading_not_counted"]
    assert ignored.warnings[0].count == 744
    assert list(ignored.months["pf_rounded"]) == [0.80, 0.90, 0.96]
    added = monthly_power_factor(frame, b, leading="add")
    # Mar Q = 2232 + 3348 = 5580 = 0.75 P → pf 0.80 → +5 % × 4120 = 206.0
    assert added.months.set_index("month").at["2018-03", "adjustment_cny"] == pytest.approx(206.0)
    assert added.warnings == ()


def test_no_reactive_column_gives_no_section() -> None:
    frame = _three_months().drop(columns="kvarh_lag")
    assert monthly_power_factor(frame, bill(frame, flat_tariff())) is None
