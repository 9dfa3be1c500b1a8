"""Green potential: PV, green power and certificates for a target, CO2, the Green Temperature.

- :mod:`~analytics.green.pv` — PV on the load's grid (:func:`align_pv`) and modelled with
  pvlib (:func:`model_pv` clear-sky scaled to the city's yield, :func:`model_pv_weather`).
- :mod:`~analytics.green.potential` — self-consumption and export, green purchase and GECs
  for a renewable-share target, their cost, CO2 location- and market-based, hourly matching
  (:func:`analyze_green`, :func:`green_section`); definitions with units in its docstring.
- :mod:`~analytics.green.factors` — grid emission factors as sourced data
  (``green/data/mee_nbs_electricity_co2.toml``), selected by year and region.
- :mod:`~analytics.green.index` — the Green Temperature (0–100 °) and its components.
- :mod:`~analytics.green.holdings` — what is held (green power bought, GECs by vintage, owned
  PV): ``renewable_share_now``; the strict GEC holdings reader.
- :mod:`~analytics.green.certificates` — GEC prices by vintage and type
  (``green/data/gec_prices.toml``, :func:`gec_price_cny`) and the two-year validity rule.
- :mod:`~analytics.green.targets` — target defaults by province × industry
  (``green/data/targets.toml``).
- :mod:`~analytics.green.selfuse` — PV self-consumption as a compliance ratio
  (``green/data/pv_self_use.toml``).
- :mod:`~analytics.green.procurement` — the least-cost mix of PV expansion, a direct line,
  green power and GECs for an annual or hourly target (:func:`solve_procurement`, exact MILP
  over HiGHS LPs, shadow prices) and the 365 × 24 matching matrix (:func:`matching_matrix`).
- :mod:`~analytics.green.cbam` — EU CBAM indirect emissions (:func:`cbam_indirect`) and the
  national-ETS label of Scope 2 (:func:`scope2_ets`).
- :mod:`~analytics.green.plan` — the one call both faces make for these (:func:`green_plan`,
  :func:`plan_sections`), with the factors used and their purpose.

Prices and city yields with their sources: ``green/data/green_defaults.toml``.
"""

from analytics.green.cbam import (
    CbamResult,
    cbam_indirect,
    cbam_section,
    default_markup_share,
    goods_list,
    scope2_ets,
)
from analytics.green.certificates import (
    PRICE_TYPES,
    PROJECT_TYPES,
    GecPrice,
    gec_price_cny,
    gec_prices,
    gec_status,
    valid_through,
)
from analytics.green.factors import (
    PURPOSES,
    GridFactor,
    factor_entry,
    factor_for,
    factor_regions,
    factor_years,
    grid_factors,
    load_factors,
    select_factors,
)
from analytics.green.holdings import (
    PV_OWNERS,
    GecLot,
    Holdings,
    HoldingsResult,
    evaluate_holdings,
    held_lots,
    lot_valid_through,
    read_gec_holdings,
)
from analytics.green.index import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    Component,
    GreenTemperature,
    green_temperature,
    green_temperature_section,
    shift_realised_share,
    temperature_score,
)
from analytics.green.plan import GreenPlan, PlanOptions, green_plan, plan_sections
from analytics.green.potential import (
    PRICE_KEYS,
    GreenPrices,
    GreenResult,
    PvBalance,
    analyze_green,
    co2_location_t,
    co2_market_t,
    default_prices,
    gec_count,
    green_purchase_kwh,
    green_section,
    holdings_keys,
    hourly_matched_share,
    monthly_table,
    price_defaults,
    pv_balance,
    pv_certificates,
    typical_day_kw,
)
from analytics.green.procurement import (
    KINDS,
    HourlyProfiles,
    Instrument,
    Procurement,
    ProcurementParams,
    ShadowPrice,
    default_params,
    hourly_profiles,
    matching_matrix,
    procure,
    procurement_defaults,
    procurement_section,
    solve_procurement,
)
from analytics.green.pv import City, align_pv, cities, model_pv, model_pv_weather, read_defaults
from analytics.green.selfuse import SelfUseCompliance, self_use_compliance
from analytics.green.targets import (
    ASSUMED_TARGET_SHARE,
    INDUSTRIES,
    TargetDefault,
    resolve_target,
    target_default,
    target_provinces,
)

__all__ = [
    "ASSUMED_TARGET_SHARE",
    "COMPONENTS",
    "CbamResult",
    "City",
    "Component",
    "DEFAULT_WEIGHTS",
    "GecLot",
    "GecPrice",
    "GreenPlan",
    "GreenPrices",
    "GreenResult",
    "GreenTemperature",
    "GridFactor",
    "Holdings",
    "HoldingsResult",
    "HourlyProfiles",
    "INDUSTRIES",
    "Instrument",
    "KINDS",
    "PRICE_KEYS",
    "PRICE_TYPES",
    "PROJECT_TYPES",
    "PURPOSES",
    "PV_OWNERS",
    "PlanOptions",
    "Procurement",
    "ProcurementParams",
    "PvBalance",
    "SelfUseCompliance",
    "ShadowPrice",
    "TargetDefault",
    "align_pv",
    "analyze_green",
    "cbam_indirect",
    "cbam_section",
    "cities",
    "co2_location_t",
    "co2_market_t",
    "default_markup_share",
    "default_params",
    "default_prices",
    "evaluate_holdings",
    "factor_entry",
    "factor_for",
    "factor_regions",
    "factor_years",
    "gec_count",
    "gec_price_cny",
    "gec_prices",
    "gec_status",
    "goods_list",
    "green_plan",
    "green_purchase_kwh",
    "green_section",
    "green_temperature",
    "green_temperature_section",
    "grid_factors",
    "held_lots",
    "holdings_keys",
    "hourly_matched_share",
    "hourly_profiles",
    "load_factors",
    "lot_valid_through",
    "matching_matrix",
    "model_pv",
    "model_pv_weather",
    "monthly_table",
    "plan_sections",
    "price_defaults",
    "procure",
    "procurement_defaults",
    "procurement_section",
    "pv_balance",
    "pv_certificates",
    "read_defaults",
    "read_gec_holdings",
    "resolve_target",
    "scope2_ets",
    "select_factors",
    "self_use_compliance",
    "shift_realised_share",
    "solve_procurement",
    "target_default",
    "target_provinces",
    "temperature_score",
    "typical_day_kw",
    "valid_through",
]
