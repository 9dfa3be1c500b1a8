"""Load and TOU: tariffs as validated data, the Chinese calendar, classification and the bill.

- :mod:`~analytics.tou.tariff` — the tariff model and its strict TOML loader (every problem
  named with its line); the presets in ``tou/presets/*.toml``, each citing its document.
- :mod:`~analytics.tou.calendar` — day types (working / rest / holiday, official 调休 make-up
  days) from ``chinese-calendar``, ``holidays.China`` for years it does not know.
- :mod:`~analytics.tou.engine` — :func:`classify` (the period in force at each interval's
  **start**, local time) and :func:`bill` (energy and cost per period, demand or capacity
  charge, total, average price), vectorised over tariff versions.
- :mod:`~analytics.tou.prices` — price sources beyond the TOU table: an uploaded price series
  (``market``) and a retail package (``package``), each a dated, versioned
  :class:`PriceSource`; :func:`compare_prices` prices one load every way given.
- :mod:`~analytics.tou.stats` and :mod:`~analytics.tou.profiles` — load statistics (energy,
  peak, load factor, base load) and shapes (heat-map, typical days, duration curve).

Callers resolve the tariff versions once (:func:`default_tariffs_for` or
:func:`resolve_tariff`) and classify an index once (:func:`classify`); :func:`bill` and every
other consumer take that ``period`` series instead of classifying again.
"""

from analytics.tou.calendar import DAY_TYPES, HOLIDAY_NAMES, day_info, day_types
from analytics.tou.engine import (
    DEFAULT_FAMILY,
    Bill,
    Periods,
    bill,
    classify,
    classify_periods,
    default_tariffs_for,
    outside_peak_share,
    peak_energy_share,
    period_average_price,
    period_grid,
    period_share,
    to_tou_json,
    valley_energy_share,
)
from analytics.tou.prices import (
    COMPARISON_WAYS,
    PRICE_SOURCE_KINDS,
    MarketBill,
    PackageSpec,
    PriceSeries,
    PriceSource,
    RetailPackage,
    compare_prices,
    load_package,
    market_bill,
    market_section,
    package_bill,
    package_prices,
    parse_package,
    price_sections,
    read_series,
    resolve_package,
    series_prices,
    source_prices,
    uploaded_package,
)
from analytics.tou.profiles import (
    day_by_slot,
    day_type_counts,
    duration_curve_kw,
    heatmap_kw,
    typical_days_kw,
)
from analytics.tou.stats import BASE_LOAD_PERCENTILE, LoadStats, load_stats
from analytics.tou.tariff import (
    PEAK_PERIODS,
    PERIODS,
    VALLEY_PERIODS,
    Problem,
    Tariff,
    TariffMeta,
    as_list,
    edit_tariff,
    get_tariff,
    list_presets,
    load_tariff,
    preset_paths,
    price_table,
    resolve_tariff,
    tariff_family,
)

__all__ = [
    "COMPARISON_WAYS",
    "PRICE_SOURCE_KINDS",
    "MarketBill",
    "PackageSpec",
    "PriceSeries",
    "PriceSource",
    "RetailPackage",
    "compare_prices",
    "load_package",
    "market_bill",
    "market_section",
    "package_bill",
    "package_prices",
    "parse_package",
    "price_sections",
    "read_series",
    "resolve_package",
    "series_prices",
    "source_prices",
    "uploaded_package",
    "BASE_LOAD_PERCENTILE",
    "DAY_TYPES",
    "DEFAULT_FAMILY",
    "HOLIDAY_NAMES",
    "PEAK_PERIODS",
    "PERIODS",
    "VALLEY_PERIODS",
    "Bill",
    "Periods",
    "classify_periods",
    "period_share",
    "valley_energy_share",
    "LoadStats",
    "Problem",
    "Tariff",
    "TariffMeta",
    "as_list",
    "bill",
    "classify",
    "day_by_slot",
    "day_info",
    "day_type_counts",
    "day_types",
    "default_tariffs_for",
    "duration_curve_kw",
    "edit_tariff",
    "get_tariff",
    "heatmap_kw",
    "list_presets",
    "load_stats",
    "load_tariff",
    "outside_peak_share",
    "peak_energy_share",
    "period_average_price",
    "period_grid",
    "preset_paths",
    "price_table",
    "resolve_tariff",
    "tariff_family",
    "to_tou_json",
    "typical_days_kw",
]
