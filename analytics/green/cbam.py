"""EU CBAM indirect (electricity) emissions of exported goods, and the national-ETS label.

Definitions (``green/data/cbam.toml``, market-2026.md §3.7–3.8):

- ``counted``: indirect emissions count in the CBAM definitive period (from 2026) only for
  cement and fertilisers; for steel, aluminium and hydrogen they are shown, not counted.
- ``indirect_emissions_t`` = electricity_kwh ÷ 1,000 × factor [tCO2]; ``specific_indirect_t_per_t``
  = indirect ÷ goods_t [tCO2 per t of goods]. ``electricity_kwh`` is the site's consumption over
  the data period and ``goods_t`` the goods made in the same period.
- default value: the EU's country default for electricity (IR (EU) 2025/2621) is not in our
  sources, so the MEE/NBS national average stands in (factor purpose ``cbam``, illustrative,
  note ``cbam.factor_proxy``); ``default_markup_share`` = 0.10 (2026), 0.20 (2027), 0.30 (2028+)
  and ``default_with_markup_t_per_t`` = specific × (1 + mark-up).
- actual value: only with a direct technical link (绿电直连) or a qualifying PPA: the linked kWh
  at their own factor (0 for PV), the rest at the grid factor. Without either, ``actual`` is
  ``None``. The 绿电直连 scenario does the same with the direct line of the least-cost mix.
- year: the declaration year = the data's year, or 2026 when the data are older (note
  ``cbam.before_definitive_period``; the same electricity per tonne is assumed).

ETS: steel, cement, aluminium and power are ETS sectors; their Scope-2 CO2 is **not counted by
the national ETS** (indirect emissions are excluded), :func:`scope2_ets`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from analytics.findings import DataWarning, InputError
from analytics.green.factors import GridFactor, factor_entry, factor_for

RULES_PATH = Path(__file__).parent / "data" / "cbam.toml"


@cache
def cbam_rules() -> dict[str, Any]:
    """The parsed ``green/data/cbam.toml`` (CBAM goods, mark-ups, ETS sectors, with sources)."""
    return tomllib.loads(RULES_PATH.read_text(encoding="utf-8"))


def goods_list() -> tuple[str, ...]:
    return tuple(cbam_rules()["cbam"]["goods"])


def default_markup_share(year: int) -> float:
    """Mark-up on CBAM default values for a declaration ``year`` [0–1]; 0 before 2026."""
    rules = cbam_rules()["cbam"]
    share = 0.0
    for y, s in zip(rules["markup_years"], rules["markup_shares"], strict=True):
        if year >= y:
            share = float(s)
    return share


@dataclass(frozen=True)
class CbamCase:
    """Indirect emissions with ``linked_kwh`` at factor 0 and the rest at the grid factor."""

    basis: str  # "direct_line" | "ppa"
    linked_kwh: float
    factor_t_per_mwh: float  # the resulting average factor
    indirect_emissions_t: float
    specific_indirect_t_per_t: float


@dataclass(frozen=True)
class CbamResult:
    goods: str
    year: int
    counted: bool
    electricity_kwh: float
    goods_t: float
    factor: GridFactor
    indirect_emissions_t: float
    specific_indirect_t_per_t: float
    default_markup_share: float
    actual: CbamCase | None
    direct_line_scenario: CbamCase | None
    warnings: tuple[DataWarning, ...] = ()


def _case(
    basis: str, linked_kwh: float, energy_kwh: float, goods_t: float, grid: float
) -> CbamCase:
    linked = min(max(0.0, linked_kwh), energy_kwh)
    emissions = (energy_kwh - linked) / 1000.0 * grid
    return CbamCase(
        basis=basis,
        linked_kwh=linked,
        factor_t_per_mwh=emissions * 1000.0 / energy_kwh if energy_kwh > 0 else grid,
        indirect_emissions_t=emissions,
        specific_indirect_t_per_t=emissions / goods_t,
    )


def cbam_indirect(
    goods: str,
    goods_t: float,
    electricity_kwh: float,
    *,
    data_year: int,
    linked_kwh: float = 0.0,
    linked_basis: str = "direct_line",
    direct_line_kwh: float | None = None,
) -> CbamResult:
    """CBAM indirect emissions of ``goods_t`` t of ``goods`` made with ``electricity_kwh``.

    Parameters
    ----------
    goods : str
        One of :func:`goods_list`.
    goods_t : float
        Goods produced over the data period [t], > 0.
    electricity_kwh : float
        Electricity consumed over the same period [kWh].
    data_year : int
        Year of the data (the declaration year is max(data_year, 2026)).
    linked_kwh, linked_basis : float, str
        kWh held through a direct technical link or a qualifying PPA (``"direct_line"`` or
        ``"ppa"``); > 0 gives the ``actual`` case.
    direct_line_kwh : float, optional
        Direct-line kWh of the 绿电直连 scenario (from the least-cost mix with the line forced).

    Raises
    ------
    InputError
        ``cbam.bad_goods``, ``cbam.bad_goods_t``.
    """
    if goods not in goods_list():
        raise InputError("cbam.bad_goods", expected=", ".join(goods_list()), value=str(goods))
    if not (isinstance(goods_t, (int, float)) and 0 < goods_t < 1e12):
        raise InputError("cbam.bad_goods_t", expected="a quantity > 0 t", value=str(goods_t))
    rules = cbam_rules()["cbam"]
    warnings: list[DataWarning] = []
    year = max(int(data_year), int(rules["definitive_from"]))
    if year != data_year:
        warnings.append(
            DataWarning(
                "cbam.before_definitive_period", 0, params={"data_year": data_year, "year": year}
            )
        )
    factor = factor_for("cbam_proxy")
    if factor.kind == "cbam_proxy":
        warnings.append(
            DataWarning(
                "cbam.factor_proxy", 0, params={"value": factor.value, "factor_year": factor.year}
            )
        )
    indirect = electricity_kwh / 1000.0 * factor.value
    actual = (
        _case(linked_basis, linked_kwh, electricity_kwh, goods_t, factor.value)
        if linked_kwh > 0
        else None
    )
    scenario = (
        None
        if direct_line_kwh is None
        else _case("direct_line", direct_line_kwh, electricity_kwh, goods_t, factor.value)
    )
    return CbamResult(
        goods=goods,
        year=year,
        counted=goods in rules["indirect_counted"],
        electricity_kwh=float(electricity_kwh),
        goods_t=float(goods_t),
        factor=factor,
        indirect_emissions_t=indirect,
        specific_indirect_t_per_t=indirect / goods_t,
        default_markup_share=default_markup_share(year),
        actual=actual,
        direct_line_scenario=scenario,
        warnings=tuple(warnings),
    )


def _case_dict(c: CbamCase | None, default_specific: float) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "basis": c.basis,
        "linked_kwh": c.linked_kwh,
        "factor_t_per_mwh": c.factor_t_per_mwh,
        "indirect_emissions_t": c.indirect_emissions_t,
        "specific_indirect_t_per_t": c.specific_indirect_t_per_t,
        "saving_vs_default_t_per_t": default_specific - c.specific_indirect_t_per_t,
    }


def cbam_section(r: CbamResult) -> dict[str, Any]:
    """The ``cbam`` JSON section (README "CBAM")."""
    with_markup = r.specific_indirect_t_per_t * (1.0 + r.default_markup_share)
    return {
        "goods": r.goods,
        "year": r.year,
        "counted": r.counted,
        "electricity_kwh": r.electricity_kwh,
        "goods_t": r.goods_t,
        "factor_t_per_mwh": r.factor.value,
        "factor_basis": "default_proxy",
        "factor": factor_entry("cbam.factor_t_per_mwh", r.factor),
        "indirect_emissions_t": r.indirect_emissions_t,
        "specific_indirect_t_per_t": r.specific_indirect_t_per_t,
        "default_markup_share": r.default_markup_share,
        "default_with_markup_t_per_t": with_markup,
        "actual": _case_dict(r.actual, r.specific_indirect_t_per_t),
        "direct_line_scenario": _case_dict(r.direct_line_scenario, r.specific_indirect_t_per_t),
        "notes": [w.code for w in r.warnings],
    }


def scope2_ets(industry: str | None) -> dict[str, Any] | None:
    """Whether the national ETS counts the enterprise's Scope-2 CO2 (never: indirect excluded).

    ``None`` without an industry. ``label`` = ``"not_counted_by_national_ets"`` for an ETS sector
    (steel, cement, aluminium, power), ``"not_an_ets_sector"`` otherwise.
    """
    if not industry:
        return None
    ets = cbam_rules()["ets"]
    key = str(industry).strip().lower().replace(" ", "_").replace("-", "_")
    key = ets["aliases"].get(key, key)
    sector = key in ets["sectors"]
    return {
        "industry": key,
        "ets_sector": sector,
        "counted_by_national_ets": False,
        "label": "not_counted_by_national_ets" if sector else "not_an_ets_sector",
    }
