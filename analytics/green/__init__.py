"""Green potential: PV, green power and certificates for a target, CO2, the Green Temperature.

- :mod:`~analytics.green.pv` — PV on the load's grid (:func:`align_pv`) and modelled with
  pvlib (:func:`model_pv` clear-sky scaled to the city's yield, :func:`model_pv_weather`).
- :mod:`~analytics.green.potential` — self-consumption and export, green purchase and GECs
  for a renewable-share target, their cost, CO2 location- and market-based, hourly matching
  (:func:`analyze_green`, :func:`green_section`); definitions with units in its docstring.
- :mod:`~analytics.green.factors` — grid emission factors as sourced data
  (``green/data/mee_nbs_electricity_co2.toml``), selected by year and region.
- :mod:`~analytics.green.index` — the Green Temperature (0–100 °) and its components.

Prices and city yields with their sources: ``green/data/green_defaults.toml``.
"""

from analytics.green.factors import (
    GridFactor,
    factor_regions,
    factor_years,
    grid_factors,
    load_factors,
    select_factors,
)
from analytics.green.index import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    Component,
    GreenTemperature,
    green_temperature,
    green_temperature_section,
    temperature_score,
)
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
    hourly_matched_share,
    monthly_table,
    price_defaults,
    pv_balance,
    pv_certificates,
    typical_day_kw,
)
from analytics.green.pv import City, align_pv, cities, model_pv, model_pv_weather, read_defaults

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "PRICE_KEYS",
    "City",
    "Component",
    "GreenPrices",
    "GreenResult",
    "GreenTemperature",
    "GridFactor",
    "PvBalance",
    "align_pv",
    "analyze_green",
    "cities",
    "co2_location_t",
    "co2_market_t",
    "default_prices",
    "factor_regions",
    "factor_years",
    "gec_count",
    "green_purchase_kwh",
    "green_section",
    "green_temperature",
    "green_temperature_section",
    "grid_factors",
    "hourly_matched_share",
    "load_factors",
    "model_pv",
    "model_pv_weather",
    "monthly_table",
    "price_defaults",
    "pv_balance",
    "pv_certificates",
    "read_defaults",
    "select_factors",
    "temperature_score",
    "typical_day_kw",
]
