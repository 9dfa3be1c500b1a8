"""The green plan: least-cost procurement, hourly matching, factors by purpose, CBAM, ETS label.

One function (:func:`green_plan`) computes what the CLI writes (:func:`plan_sections`, merged
into the ``green`` section plus a ``cbam`` section) and what the Green page shows, so both faces
show the same numbers. Definitions live in :mod:`analytics.green.procurement` and
:mod:`analytics.green.cbam`; the product footprint here:

- ``green.product_footprint.factor_t_per_mwh`` = life-cycle 电力碳足迹因子 + T&D factor incl.
  losses of the latest year (2024: 0.5777 + 0.0327 = 0.6104 tCO2e/MWh);
  ``grid_electricity_co2e_t`` = grid_import_kwh ÷ 1,000 × that factor (the footprint of the
  grid electricity in a product carbon footprint; on-site PV's own footprint not included).
- ``green.factors_used``: one entry per factor the JSON used, with its purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analytics.findings import DataWarning
from analytics.green.cbam import CbamResult, cbam_indirect, cbam_section, scope2_ets
from analytics.green.factors import GridFactor, factor_entry, factor_for
from analytics.green.potential import GreenResult
from analytics.green.procurement import (
    Procurement,
    ProcurementParams,
    default_params,
    matching_matrix,
    procure,
    procurement_section,
)
from analytics.green.pv import cities


@dataclass(frozen=True)
class PlanOptions:
    """What the plan needs besides the green analysis (all optional, defaults sourced).

    ``roof_limit_kwp`` and the prices override :func:`default_params` (the GEC price an input,
    e.g. a vintage price); ``city`` gives the new PV's site and yield unless ``lat``/``lon``/
    ``specific_yield_kwh_per_kwp`` are given; ``held_kwh`` defaults to what the holdings hold (owned PV, green power bought, valid GECs),
    or the self-consumed PV without holdings.
    """

    hourly_target: float | None = None
    roof_limit_kwp: float | None = None
    gec_cny_per_certificate: float | None = None
    green_premium_cny_per_kwh: float | None = None
    feed_in_cny_per_kwh: float | None = None
    city: str = "wuxi"
    lat: float | None = None
    lon: float | None = None
    specific_yield_kwh_per_kwp: float | None = None
    held_kwh: float | None = None
    industry: str | None = None
    cbam_goods: str | None = None
    goods_t: float | None = None

    def params(self, green: GreenResult) -> ProcurementParams:
        over = {
            k: getattr(self, k)
            for k in (
                "roof_limit_kwp",
                "gec_cny_per_certificate",
                "green_premium_cny_per_kwh",
                "feed_in_cny_per_kwh",
            )
            if getattr(self, k) is not None
        }
        return default_params(green.prices, **over)

    def site(self) -> tuple[float, float, float]:
        c = cities()[self.city]
        return (
            c.lat if self.lat is None else self.lat,
            c.lon if self.lon is None else self.lon,
            c.yield_kwh_per_kwp
            if self.specific_yield_kwh_per_kwp is None
            else self.specific_yield_kwh_per_kwp,
        )


@dataclass(frozen=True, eq=False)
class GreenPlan:
    procurement: Procurement
    direct_line_scenario: Procurement | None
    cbam: CbamResult | None
    scope2_ets: dict[str, Any] | None
    lifecycle: GridFactor
    td: GridFactor
    grid_import_kwh: float
    factors: tuple[tuple[str, GridFactor], ...]
    warnings: tuple[DataWarning, ...] = field(default=())

    @property
    def footprint_factor_t_per_mwh(self) -> float:
        return self.lifecycle.value + self.td.value

    def matching(self) -> pd.DataFrame:
        """365 × 24 matched share of the mix (on-site PV + physical instruments vs load)."""
        return matching_matrix(self.procurement.profiles, self.procurement.matched_kwh)


def green_plan(green: GreenResult, periods: Any, options: PlanOptions | None = None) -> GreenPlan:
    """The plan for the green analysis ``green`` priced on the analysis' ``periods``."""
    o = options or PlanOptions()
    lat, lon, yld = o.site()
    params = o.params(green)
    held = o.held_kwh
    if held is None:  # what is held counts towards the target (owned PV, 绿电, valid GECs)
        held = (
            green.holdings.held_kwh
            if green.holdings is not None
            else green.balance.pv_self_consumed_kwh
        )
    kw = dict(
        periods=periods,
        target_share=green.target_share,
        lat=lat,
        lon=lon,
        specific_yield_kwh_per_kwp=yld,
        params=params,
        hourly_target=o.hourly_target,
        held_kwh=held,
    )
    mix, warnings = procure(green.balance.intervals, **kw)
    cbam = scenario = None
    if o.cbam_goods is not None:
        scenario = mix
        if not mix.direct_line_chosen:
            scenario, _ = procure(green.balance.intervals, direct_line="force", **kw)
        dl = scenario.instrument("direct_line") if scenario.feasible else None
        index = pd.DatetimeIndex(green.balance.intervals.index)
        cbam = cbam_indirect(
            o.cbam_goods,
            o.goods_t if o.goods_t is not None else float("nan"),
            green.balance.energy_kwh,
            data_year=int(index[-1].year),
            direct_line_kwh=None if dl is None else dl.kwh,
        )
    life, td = factor_for("lifecycle"), factor_for("td_lifecycle")
    used = [
        ("green.grid_factor_t_per_mwh", green.grid_factor),
        ("green.residual_factor_t_per_mwh", green.residual_factor),
        ("green.product_footprint.factor_t_per_mwh", life),
        ("green.product_footprint.factor_t_per_mwh", td),
    ]
    if cbam is not None:
        used.append(("cbam.factor_t_per_mwh", cbam.factor))
    return GreenPlan(
        procurement=mix,
        direct_line_scenario=scenario,
        cbam=cbam,
        scope2_ets=scope2_ets(o.industry),
        lifecycle=life,
        td=td,
        grid_import_kwh=green.balance.grid_import_kwh,
        factors=tuple(used),
        warnings=(*warnings, *(cbam.warnings if cbam else ())),
    )


def plan_sections(plan: GreenPlan) -> dict[str, Any]:
    """``{"green": {procurement, factors_used, product_footprint[, scope2_ets]}[, "cbam"]}``."""
    factor = plan.footprint_factor_t_per_mwh
    green: dict[str, Any] = {
        "procurement": procurement_section(plan.procurement),
        "factors_used": [factor_entry(f, x) for f, x in plan.factors],
        "product_footprint": {
            "factor_t_per_mwh": factor,
            "grid_electricity_co2e_t": plan.grid_import_kwh / 1000.0 * factor,
        },
    }
    if plan.scope2_ets is not None:
        green["scope2_ets"] = plan.scope2_ets
    out: dict[str, Any] = {"green": green}
    if plan.cbam is not None:
        out["cbam"] = cbam_section(plan.cbam)
    return out
