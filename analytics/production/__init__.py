"""Production correlation: the schedule aligned to the load, its metrics, regression, the shift.

- :mod:`~analytics.production.metrics` — :func:`align` (an interval is a production interval
  when runs overlap at least half of it), SEC = energy ÷ units [kWh/unit], idle energy and
  share, production energy by TOU period, the clock check; :func:`analyze_production` runs
  them all and :func:`production_section` shapes the JSON.
- :mod:`~analytics.production.regression` — energy vs output by day/week/month (statsmodels
  OLS) with the DOE VERIFI validity rules and a CUSUM.
- :mod:`~analytics.production.shift` — the load-shift optimiser: movable runs moved to cheaper
  hours under constraints, solved exactly (MILP, HiGHS).

Reading production files is :func:`analytics.iotools.read_production`.
"""

from analytics.production.metrics import (
    WARNING_CODES,
    Alignment,
    ClockCheck,
    ProductionAnalysis,
    ProductionMetrics,
    align,
    analyze_production,
    clock_check,
    production_metrics,
    production_section,
    spread,
)
from analytics.production.regression import RULES, RegressionResult, energy_regression
from analytics.production.shift import ShiftOptions, ShiftResult, interval_prices, optimise_shift

__all__ = [
    "RULES",
    "WARNING_CODES",
    "Alignment",
    "ClockCheck",
    "ProductionAnalysis",
    "ProductionMetrics",
    "RegressionResult",
    "ShiftOptions",
    "ShiftResult",
    "align",
    "analyze_production",
    "clock_check",
    "energy_regression",
    "interval_prices",
    "optimise_shift",
    "production_metrics",
    "production_section",
    "spread",
]
