"""Data-quality findings, the one error type for unreadable input, and the registry of codes.

Findings are named, serialisable objects (after OpenEEmeter's ``warnings`` and frictionless'
error catalogue): a stable ``code``, a count and evidence. No English text lives here; the UI
and the CLI render the code with the catalogue (``ui/render/locales``).

:data:`REGISTRY` holds every code the analytics emit, each with its :class:`Severity`:

=========  ===========================================================  ====================
severity   meaning                                                      catalogue key
=========  ===========================================================  ====================
error      the input cannot be used (:class:`InputError`; CLI exit 2)   ``error.<code>``
warning    the figures are computed, but part of the data was cleaned,  ``warning.<code>``
           assumed or left out — read before trusting them
info       an assumption or a source fact worth knowing (no data lost)  ``warning.<code>``
note       a remark on a model's result (regression, load shift)        ``note.<code>``
=========  ===========================================================  ====================

A test checks that every code used in ``analytics/`` is registered and that every registered
code has its catalogue key in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How much a finding matters (see the module docstring)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NOTE = "note"


_E, _W, _I, _N = Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.NOTE

#: Every code the analytics emit, with its severity (one registry, after OpenDSM's warnings).
REGISTRY: Mapping[str, Severity] = {
    # analysis, command line
    "analysis.no_energy": _E,
    "cli.bad_contracted_kva": _E,
    "cli.pv_needs_location": _E,
    # calendar and TOU
    "calendar.unofficial_year": _W,
    "tou.outside_validity": _W,
    "tou.illustrative_prices": _I,
    "tou.capacity_price_missing": _W,
    "tou.contracted_kva_missing": _W,
    # tariff files (loader problems are ``tariff.<problem>``)
    **{f"tariff.{c}": _E for c in (
        "invalid", "unreadable", "unknown", "toml_syntax", "unknown_key", "missing_key",
        "bad_type", "bad_date", "bad_month", "month_repeated", "bad_time", "empty_window",
        "unknown_period", "overlap", "hours_not_covered", "month_overlap",
        "months_not_covered", "prices_and_pricing", "negative_price", "negative_ratio",
        "ratios_without_pricing", "missing_price", "bad_day_rule", "unknown_holiday",
        "holidays_on_rest_days", "rule_period_or_windows", "bad_id", "bad_url",
        "bad_confidence", "bad_validity")},
    # load importer
    **{f"import.{c}": _E for c in (
        "archive_too_large", "bad_number", "bad_option", "bad_timestamp", "bad_timezone",
        "empty", "file_not_found", "interval_unknown", "no_time_column", "no_value_column",
        "too_many_rows", "unreadable", "unsupported_format")},
    **{f"import.{c}": _W for c in (
        "dst_fold", "dst_gap", "duplicates", "footer_rows", "gaps", "irregular_steps",
        "negative", "non_numeric", "register_reset", "register_rollover", "spikes")},
    **{f"import.{c}": _I for c in (
        "date_order_assumed", "register_inferred", "unit_assumed", "wide_unit_assumed")},
    # production files and their alignment
    **{f"production.{c}": _E for c in (
        "unknown_layout", "bad_timestamp", "bad_number", "bad_flag", "step_unknown",
        "bad_option")},
    **{f"production.{c}": _W for c in (
        "end_before_start", "overlap", "negative_units", "units_missing", "duplicates",
        "unknown_state", "span_mismatch", "off_grid", "no_overlap", "clock_offset")},
    # PV and weather
    **{f"pv.{c}": _E for c in ("bad_parameter", "interval_mismatch", "weather_unreadable")},
    **{f"pv.{c}": _W for c in ("missing_intervals", "not_covering", "yield_unusual")},
    **{f"pv.{c}": _I for c in ("negative_clipped", "clear_sky_unscaled",
                               "weather_typical_year")},
    # green potential
    "green.bad_target": _E,
    "green.factor_file_invalid": _E,
    "green.unknown_factor": _E,
    **{f"green.{c}": _W for c in ("net_import_ambiguous", "net_negative_consumption",
                                  "pv_when_load_missing")},
    **{f"green.{c}": _I for c in ("factor_illustrative", "factor_older_than_data",
                                  "residual_national")},
    # model notes
    **{f"regression.{c}": _N for c in (
        "model_p_high", "predictor_p_high", "no_significant_predictor", "r2_low",
        "too_few_points", "no_variation", "periods_excluded", "negative_slope")},
    **{f"shift.{c}": _N for c in (
        "no_movable_runs", "time_limit", "infeasible", "no_saving", "line_power_estimated",
        "line_power_nonpositive")},
    # workspace and portfolio
    **{f"workspace.{c}": _E for c in (
        "bad_kind", "conflict", "interval_mismatch", "no_load", "not_found",
        "path_not_allowed", "schema_upgrade", "unknown_enterprise", "unreadable")},
    **{f"portfolio.{c}": _E for c in (
        "bad_engine", "bad_k", "bad_output", "bad_target_share", "manifest_columns",
        "manifest_empty", "manifest_not_found", "manifest_unreadable", "manifest_value",
        "secret_not_found", "secret_required", "spark_failed", "spark_missing",
        "weak_secret")},
    # raw readers' bounds and decoding (iotools/raw.py)
    **{f"import.{c}": _E for c in (
        "file_too_large", "nul_byte", "mixed_encoding", "bad_encoding", "field_too_large",
        "too_many_columns", "archive_ratio", "archive_too_many_members", "sheet_too_large",
        "time_budget", "unknown_sheet")},
    # load importer shapes (iotools/load.py)
    **{f"import.{c}": _E for c in (
        "date_out_of_range", "value_out_of_range", "span_too_long", "dst_day_points")},
    **{f"import.{c}": _W for c in ("interval_changed", "dst_wall_clock")},
    # production and PV input (iotools/production.py, iotools/pv.py, green/pv.py, shift)
    **{f"production.{c}": _E for c in ("state_codes", "state_unmapped", "bad_state_map")},
    **{f"pv.{c}": _W for c in ("unit_suspect", "zone_suspect")},
    "shift.line_power_bounded": _N,
    # manifests, exports and downloads (portfolio/, sheets.py)
    "portfolio.manifest_path": _E,
    "portfolio.manifest_duplicate_id": _E,
    # tariffs, factors, pages (tou/tariff.py, ui)
    "tariff.too_large": _E,
    "tariff.too_deep": _E,
    # green holdings, GEC prices and validity, target defaults (green/holdings.py, certificates.py,
    # targets.py, selfuse.py)
    **{f"green.{c}": _E for c in (
        "data_file_invalid", "bad_project_type", "bad_month", "bad_purchased_kwh", "bad_pv_owner",
        "bad_gec_held", "unknown_industry", "gec_vintage_not_counted")},
    **{f"gec_holdings.{c}": _E for c in (
        "unknown_column", "duplicate_column", "missing_column", "bad_count", "bad_vintage",
        "bad_project_type", "empty", "too_many_rows")},
    "green.gec_expired": _W,
    "green.gec_future_vintage": _W,
    "green.gec_price_nearest_month": _I,
    "green.gec_price_other_vintage": _I,
    # price series and retail packages (iotools/prices.py, tou/prices.py)
    **{f"prices.{c}": _E for c in (
        "no_time_column", "no_price_column", "bad_timestamp", "bad_number", "out_of_range",
        "duplicate_time", "step_unknown", "off_step", "not_covering")},
    **{f"package.{c}": _E for c in (
        "too_large", "too_deep", "toml_syntax", "unknown_key", "missing_key", "bad_value",
        "bad_path", "file_not_found", "unreadable")},
    "package.outside_validity": _W,
    # bills, power factor, basic-charge choice (iotools/bills.py, tou/bills.py,
    # tou/power_factor.py, the reactive columns of iotools/load.py)
    **{f"bills.{c}": _E for c in (
        "unknown_column", "duplicate_column", "no_month_column", "no_energy_column",
        "bad_month", "duplicate_month", "bad_number", "negative", "empty", "missing_energy",
        "bad_tolerance")},
    **{f"bills.{c}": _W for c in ("month_without_data", "months_differ")},
    **{f"power_factor.{c}": _E for c in ("table_invalid", "bad_standard", "bad_leading")},
    "power_factor.leading_not_counted": _I,
    "power_factor.no_reactive": _I,
    "basic_charge.price_missing": _W,
    "import.reactive_non_numeric": _W,
    "import.reactive_ignored": _W,
    # agency-purchase tables by month and their importer (tou/agency.py, tou/agency_import.py)
    **{f"agency.{c}": _E for c in (
        "invalid", "unreadable", "unknown_province", "no_tables", "preset_without_ratios",
        "toml_syntax", "unknown_key", "missing_key", "bad_type", "bad_month", "bad_validity",
        "unknown_component", "component_repeated", "price_out_of_range", "charge_out_of_range",
        "bad_applies_to", "bad_confidence", "bad_url", "no_floating", "absent_but_given",
        "too_large", "too_deep", "province_mismatch", "no_rules")},
    "agency.nearest_month": _W,
    "agency.rule_outside_validity": _W,
    "agency.incomplete_table": _W,
    **{f"agency_import.{c}": _E for c in (
        "no_header", "bad_number", "no_matching_row", "several_rows", "sum_mismatch",
        "price_out_of_range", "no_floating_column", "bad_option")},
    "tariff.placeholder_claims_confidence": _E,
    "tariff.unknown_rule": _E,
    # least-cost procurement, factors by purpose, CBAM (green/procurement.py, green/cbam.py)
    **{f"procurement.{c}": _E for c in (
        "bad_parameter", "bad_hourly_target", "no_energy", "params_invalid")},
    **{f"cbam.{c}": _E for c in ("bad_goods", "bad_goods_t")},
    "cbam.before_definitive_period": _N,
    "cbam.factor_proxy": _N,
    # Parquet export for a Spark cluster, sales leads (portfolio/export.py, benchmarking.py)
    **{f"portfolio.{c}": _E for c in (
        "parquet_dir_not_empty", "not_a_parquet_export", "bad_spark_conf")},
    **{f"leads.{c}": _E for c in ("unknown_rule", "rule_unavailable", "bad_min_group")},
    # one enterprise against its industry (portfolio/benchmarking.py: enterprise_figures)
    "demo.unknown_enterprise": _E,
}  # fmt: skip


def severity(code: str) -> Severity:
    """The registered severity of ``code`` (``KeyError`` for an unregistered code)."""
    return REGISTRY[code]


def catalogue_key(code: str) -> str:
    """The i18n key that renders ``code``: ``error.``, ``warning.`` or ``note.`` + code."""
    sev = REGISTRY[code]
    prefix = {Severity.ERROR: "error", Severity.NOTE: "note"}.get(sev, "warning")
    return f"{prefix}.{code}"


@dataclass(frozen=True)
class DataWarning:
    """A data-quality finding that does not stop the analysis.

    Attributes
    ----------
    code : str
        Stable identifier, e.g. ``"import.duplicates"``.
    count : int
        Rows or intervals affected.
    first_rows : tuple of int
        Up to five 1-based source rows (data rows as a spreadsheet shows them,
        header = row 1) that show the problem; empty when not row-bound.
    params : mapping
        Values for the message template (e.g. ``{"unit": "kW"}``).
    """

    code: str
    count: int = 0
    first_rows: tuple[int, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "count": int(self.count),
            "first_rows": list(self.first_rows),
            "params": {k: _plain(v) for k, v in self.params.items()},
        }


class InputError(ValueError):
    """Unreadable input. Carries where (file, 1-based row, column) and what was expected.

    ``code`` is stable (i18n key ``f"error.{code}"``); ``params`` fill the template.
    ``str(err)`` is a one-line English fallback for logs and the CLI.
    """

    def __init__(
        self,
        code: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        **params: Any,
    ) -> None:
        self.code = code
        self.file = file
        self.row = row
        self.column = column
        self.expected = expected
        self.params = params
        super().__init__(self._line())

    def _line(self) -> str:
        where = ", ".join(
            p
            for p in (
                f"file {self.file}" if self.file else "",
                f"row {self.row}" if self.row is not None else "",
                f"column {self.column!r}" if self.column is not None else "",
            )
            if p
        )
        extra = ", ".join(f"{k}={v}" for k, v in self.params.items())
        parts = [self.code]
        if where:
            parts.append(where)
        if self.expected:
            parts.append(f"expected {self.expected}")
        if extra:
            parts.append(extra)
        return ": ".join(parts[:1]) + (" (" + "; ".join(parts[1:]) + ")" if parts[1:] else "")

    def context(self) -> dict[str, Any]:
        """All template parameters, the location included."""
        return {
            "file": self.file or "",
            "row": "" if self.row is None else self.row,
            "column": self.column or "",
            "expected": self.expected or "",
            **self.params,
        }


def _plain(v: Any) -> Any:
    if hasattr(v, "item"):
        return v.item()
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v if isinstance(v, (int, float, str, bool, type(None))) else str(v)
