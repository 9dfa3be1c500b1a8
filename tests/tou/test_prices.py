"""Price series and retail packages (analytics/tou/prices.py): hand-computed figures."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.findings import InputError
from analytics.iotools import make_frame
from analytics.tou import (
    bill,
    classify_periods,
    compare_prices,
    default_tariffs_for,
    load_package,
    market_bill,
    market_section,
    package_bill,
    parse_package,
    price_sections,
    read_series,
    uploaded_package,
)

TZ = "Asia/Shanghai"


def _frame(kwh: list[float], start: str = "2026-01-05 00:00", minutes: int = 15) -> pd.DataFrame:
    idx = pd.date_range(start, periods=len(kwh), freq=f"{minutes}min", tz=TZ)
    return make_frame(pd.Series(kwh, index=idx, dtype=float), minutes)


def _csv(
    tmp_path: Path, name: str, rows: list[tuple[str, float]], header: str = "time,price"
) -> Path:
    path = tmp_path / name
    path.write_text(header + "\n" + "\n".join(f"{t},{p}" for t, p in rows) + "\n", encoding="utf-8")
    return path


def _priced(frame: pd.DataFrame):
    periods = classify_periods(frame.index, default_tariffs_for(frame))
    return periods, bill(frame, periods=periods)


FOUR = [("2026-01-05 00:00", 0.5), ("2026-01-05 00:15", -0.1), ("2026-01-05 00:30", 0.3),
        ("2026-01-05 00:45", 0.8)]  # fmt: skip


def test_tiny_series_with_a_negative_price(tmp_path: Path) -> None:
    frame = _frame([10, 20, 30, 40])
    periods, tou = _priced(frame)
    series = read_series(_csv(tmp_path, "spot.csv", FOUR))
    mb = market_bill(frame, series, tou)
    # 10 × 0.5 + 20 × (−0.1) + 30 × 0.3 + 40 × 0.8 = 5 − 2 + 9 + 32 = 44 CNY
    assert mb.energy_cost_cny == pytest.approx(44.0)
    # the basic charge is the TOU bill's, unchanged: max 40 kWh / 0.25 h = 160 kW × demand price
    demand = periods.versions[0].demand_cny_per_kw_month
    assert mb.demand_charge_cny == pytest.approx(160.0 * demand)
    assert mb.demand_charge_cny == tou.demand_charge_cny
    assert mb.total_cost_cny == pytest.approx(44.0 + 160.0 * demand)
    # average energy price = 44 / (10 + 20 + 30 + 40) = 0.44 CNY/kWh
    assert mb.average_price_cny_per_kwh == pytest.approx(0.44)
    section = market_section(mb)
    assert set(section) >= {"energy_cost_cny", "demand_charge_cny", "total_cost_cny",
                            "average_price_cny_per_kwh"}  # fmt: skip
    assert section["source"]["kind"] == "series"
    assert section["source"]["valid_from"] == "2026-01-05"


def test_hourly_series_covers_every_15_minute_interval_starting_in_its_hour(
    tmp_path: Path,
) -> None:
    frame = _frame([1, 2, 3, 4, 5, 6, 7, 8])  # 00:00 … 01:45
    _, tou = _priced(frame)
    series = read_series(
        _csv(tmp_path, "h.csv", [("2026-01-05 00:00", 0.4), ("2026-01-05 01:00", -0.2)])
    )
    assert series.step_minutes == 60
    mb = market_bill(frame, series, tou)
    # (1 + 2 + 3 + 4) × 0.4 + (5 + 6 + 7 + 8) × (−0.2) = 4.0 − 5.2 = −1.2 CNY
    assert mb.energy_cost_cny == pytest.approx(-1.2)
    assert mb.average_price_cny_per_kwh == pytest.approx(-1.2 / 36)


def test_a_series_not_covering_the_load_is_refused_never_priced_as_zero(tmp_path: Path) -> None:
    frame = _frame([10, 20, 30, 40])
    _, tou = _priced(frame)
    short = read_series(_csv(tmp_path, "short.csv", FOUR[:2]))  # ends at 00:30
    with pytest.raises(InputError) as err:
        market_bill(frame, short, tou)
    assert err.value.code == "prices.not_covering"
    assert err.value.file == "short.csv"
    assert err.value.params["interval"] == "2026-01-05T00:30:00+08:00"
    # a gap inside the series: 00:15 is missing, so the first uncovered interval is 00:15
    holed = read_series(_csv(tmp_path, "holed.csv", [FOUR[0], FOUR[2], FOUR[3]]))
    with pytest.raises(InputError) as err:
        market_bill(frame, holed, tou)
    assert err.value.params["interval"] == "2026-01-05T00:15:00+08:00"
    # a load starting before the series
    late = read_series(_csv(tmp_path, "late.csv", FOUR[1:]))
    with pytest.raises(InputError) as err:
        market_bill(frame, late, tou)
    assert err.value.params["interval"] == "2026-01-05T00:00:00+08:00"


def test_a_missing_load_interval_needs_no_price(tmp_path: Path) -> None:
    frame = _frame([10, np.nan, 30, 40])
    _, tou = _priced(frame)
    series = read_series(_csv(tmp_path, "holed.csv", [FOUR[0], FOUR[2], FOUR[3]]))
    # 10 × 0.5 + 30 × 0.3 + 40 × 0.8 = 5 + 9 + 32 = 46 CNY over 80 kWh
    mb = market_bill(frame, series, tou)
    assert mb.energy_cost_cny == pytest.approx(46.0)
    assert mb.energy_kwh == pytest.approx(80.0)


def _package(tmp_path: Path, body: str, name: str = "pkg.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_package_with_a_series_reference(tmp_path: Path) -> None:
    frame = _frame([10, 20, 30, 40])
    periods, tou = _priced(frame)
    _csv(tmp_path, "linked.csv", FOUR)
    _csv(tmp_path, "ref.csv", [(t, 0.6) for t, _ in FOUR])
    pkg = load_package(
        _package(
            tmp_path,
            'reference = "series"\nlinked_share = 0.2\nlinked_series = "linked.csv"\n'
            'adder_cny_per_kwh = 0.01\nreference_series = "ref.csv"\n',
        )
    )
    mb = package_bill(frame, periods, pkg, tou)
    # price_i = 0.8 × 0.6 + 0.2 × linked_i + 0.01 = 0.49 + 0.2 × linked_i
    #         = [0.59, 0.47, 0.55, 0.65]
    # cost = 10 × 0.59 + 20 × 0.47 + 30 × 0.55 + 40 × 0.65 = 5.9 + 9.4 + 16.5 + 26 = 57.8
    assert mb.price_cny_per_kwh == pytest.approx([0.59, 0.47, 0.55, 0.65])
    assert mb.energy_cost_cny == pytest.approx(57.8)
    assert mb.total_cost_cny == pytest.approx(57.8 + tou.demand_charge_cny)
    assert mb.source.kind == "package"
    assert mb.source.id == "pkg"


def test_package_with_the_tou_reference(tmp_path: Path) -> None:
    frame = _frame([10, 20, 30, 40])  # 00:00–01:00 on a January working day: all valley
    periods, tou = _priced(frame)
    valley = float(periods.price_cny_per_kwh[0])
    assert set(periods.series()) == {"valley"}
    _csv(tmp_path, "linked.csv", FOUR)
    pkg = load_package(
        _package(
            tmp_path,
            'reference = "tou"\nlinked_share = 0.2\nlinked_series = "linked.csv"\n'
            "adder_cny_per_kwh = 0.01\n",
        )
    )
    mb = package_bill(frame, periods, pkg, tou)
    # Σ kWh × (0.8 × valley + 0.2 × linked + 0.01) = 0.8 × valley × 100 + 0.2 × 44 + 0.01 × 100
    assert mb.energy_cost_cny == pytest.approx(80.0 * valley + 8.8 + 1.0)


def test_comparison_and_sections(tmp_path: Path) -> None:
    frame = _frame([10, 20, 30, 40])
    periods, tou = _priced(frame)
    series = read_series(_csv(tmp_path, "spot.csv", FOUR))
    shifted = pd.Series([40.0, 30.0, 20.0, 10.0], index=frame.index)
    out = compare_prices(frame, periods, tou, series=series, shifted_kwh=shifted)
    assert list(out) == ["agency_tou", "series", "shifted"]
    assert out["agency_tou"].total_cost_cny == tou.total_cost_cny
    assert out["agency_tou"].energy_cost_cny == pytest.approx(sum(tou.energy_cost_cny.values()))
    # the shifted load has the same energy in the same period, its peak is 160 kW too
    assert out["shifted"].total_cost_cny == pytest.approx(tou.total_cost_cny)
    assert out["shifted"].source.kind == "agency_tou"
    # the same shifted load priced by the series it was optimised with:
    # 40 × 0.5 + 30 × (−0.1) + 20 × 0.3 + 10 × 0.8 = 20 − 3 + 6 + 8 = 31 CNY
    by_series = compare_prices(
        frame, periods, tou, series=series, shifted_kwh=shifted, shifted_by="series"
    )
    assert by_series["shifted"].energy_cost_cny == pytest.approx(31.0)
    assert by_series["shifted"].source.kind == "series"
    sections = price_sections(out)
    assert list(sections) == ["market"]
    assert sections["market"]["energy_cost_cny"] == pytest.approx(44.0)


# --------------------------------------------------------------------------- loader errors
BASE = 'reference = "tou"\nlinked_share = 0.15\nlinked_series = "linked.csv"\nadder_cny_per_kwh = 0.0\n'


@pytest.mark.parametrize(
    ("body", "code", "column"),
    [
        (BASE + "colour = 1\n", "package.unknown_key", "colour"),
        (BASE.replace("linked_share = 0.15", "linked_share = 0.3"), "package.bad_value",
         "linked_share"),
        (BASE.replace("linked_share = 0.15", "linked_share = -0.01"), "package.bad_value",
         "linked_share"),
        (BASE.replace("linked_share = 0.15", 'linked_share = "0.1"'), "package.bad_value",
         "linked_share"),
        (BASE.replace('"tou"', '"spot"'), "package.bad_value", "reference"),
        (BASE.replace('"tou"', '"series"'), "package.missing_key", None),
        (BASE + 'reference_series = "r.csv"\n', "package.bad_value", "reference_series"),
        (BASE.replace('"linked.csv"', '"../linked.csv"'), "package.bad_path", "linked_series"),
        (BASE.replace('"linked.csv"', '"/etc/passwd"'), "package.bad_path", "linked_series"),
        (BASE.replace('"linked.csv"', '"C:\\\\x.csv"'), "package.bad_path", "linked_series"),
        (BASE.replace("adder_cny_per_kwh = 0.0\n", ""), "package.missing_key", None),
        (BASE + "valid_from = 2026-02-01\nvalid_to = 2026-01-01\n", "package.bad_value",
         "valid_to"),
        (BASE + "[x]\n", "package.unknown_key", "x"),
        (BASE + "linked_share = \n", "package.toml_syntax", None),
    ],
)  # fmt: skip
def test_package_loader_refuses(body: str, code: str, column: str | None) -> None:
    with pytest.raises(InputError) as err:
        parse_package(body, file="p.toml")
    assert err.value.code == code
    assert err.value.file == "p.toml"
    assert err.value.column == column
    if column is not None:  # the line of the key
        line = next(
            i for i, s in enumerate(body.splitlines(), 1) if s.lstrip("[").startswith(column)
        )
        assert err.value.row == line


def test_package_bounds_before_parsing() -> None:
    with pytest.raises(InputError) as err:
        parse_package(BASE + "# " + "x" * 70_000 + "\n", file="big.toml")
    assert err.value.code == "package.too_large"
    with pytest.raises(InputError) as err:
        parse_package(BASE + "id = " + "[" * 50 + "]" * 50 + "\n", file="deep.toml")
    assert err.value.code == "package.too_deep"


def test_package_files_must_exist_inside_the_folder(tmp_path: Path) -> None:
    inner = tmp_path / "pkg"
    inner.mkdir()
    with pytest.raises(InputError) as err:
        load_package(_package(inner, BASE))
    assert err.value.code == "package.file_not_found"
    assert err.value.row == 3  # linked_series is on line 3
    outside = _csv(tmp_path, "outside.csv", FOUR)
    os.symlink(outside, inner / "linked.csv")
    with pytest.raises(InputError) as err:
        load_package(_package(inner, BASE))
    assert err.value.code == "package.bad_path"


def test_uploaded_package_matches_series_by_name(tmp_path: Path) -> None:
    data = _csv(tmp_path, "linked.csv", FOUR).read_bytes()
    pkg = uploaded_package(BASE, file="p.toml", files={"linked.csv": data})
    assert pkg.linked.step_minutes == 15
    with pytest.raises(InputError) as err:
        uploaded_package(BASE, file="p.toml", files={"other.csv": data})
    assert err.value.code == "package.file_not_found"


def test_the_catalogue_states_the_bounds_in_force() -> None:
    from analytics.iotools.prices import MAX_ABS_PRICE_CNY_PER_KWH
    from analytics.tou.prices import MAX_PACKAGE_BYTES
    from ui.render.i18n import translate

    for lang in ("en", "zh-CN"):
        price = translate(lang, "error.prices.out_of_range", file="f", row=1, column="c", text="x")
        size = translate(lang, "error.package.too_large", file="f", size_kb=99)
        assert f"{MAX_ABS_PRICE_CNY_PER_KWH:g}" in price
        assert f"{MAX_PACKAGE_BYTES // 1000} kB" in size


def _series(prices: list[float], start: str, minutes: int):
    from analytics.tou import PriceSeries, PriceSource

    idx = pd.date_range(start, periods=len(prices), freq=f"{minutes}min", tz=TZ)
    src = PriceSource("series", "s", "v", None, None, "test")
    return PriceSeries(pd.Series(prices, index=idx), minutes, "s.csv", src)


@settings(max_examples=40, deadline=None)
@given(
    hourly=st.lists(st.floats(-1.0, 2.0, allow_nan=False), min_size=1, max_size=12),
    seed=st.integers(0, 2**16),
)
def test_an_hourly_price_equals_its_four_quarter_hours(hourly: list[float], seed: int) -> None:
    # a coarser price covers every finer load interval starting inside it: pricing 15-min load
    # by the hourly series equals pricing it by the 15-min series that repeats each price 4×
    rng = np.random.default_rng(seed)
    kwh = rng.uniform(0.0, 100.0, 4 * len(hourly))
    frame = _frame(list(kwh))
    tou = bill(frame, periods=classify_periods(frame.index, default_tariffs_for(frame)))
    coarse = market_bill(frame, _series(hourly, "2026-01-05 00:00", 60), tou)
    fine = market_bill(frame, _series(list(np.repeat(hourly, 4)), "2026-01-05 00:00", 15), tou)
    assert coarse.energy_cost_cny == pytest.approx(fine.energy_cost_cny, abs=1e-9)
    assert coarse.energy_cost_cny == pytest.approx(float(np.dot(kwh, np.repeat(hourly, 4))))


def test_package_outside_its_validity_warns_and_still_prices(tmp_path: Path) -> None:
    frame = _frame([10, 20, 30, 40])  # 2026-01-05
    periods, tou = _priced(frame)
    _csv(tmp_path, "linked.csv", FOUR)
    pkg = load_package(
        _package(tmp_path, BASE + "valid_from = 2025-01-01\nvalid_to = 2025-12-31\n")
    )
    mb = package_bill(frame, periods, pkg, tou)
    assert [w.code for w in mb.warnings] == ["package.outside_validity"]
    assert mb.warnings[0].count == 4
    assert mb.warnings[0].params["first"] == "2026-01-05"
    # priced all the same: 0.85 × valley × 100 + 0.15 × 44 + 0 (adder 0)
    valley = float(periods.price_cny_per_kwh[0])
    assert mb.energy_cost_cny == pytest.approx(85.0 * valley + 6.6)
    assert market_section(mb)["warnings"][0]["code"] == "package.outside_validity"
    inside = load_package(_package(tmp_path, BASE + "valid_from = 2026-01-01\n", "in.toml"))
    assert package_bill(frame, periods, inside, tou).warnings == ()
