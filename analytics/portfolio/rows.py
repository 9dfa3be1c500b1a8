"""Portfolio screening: many enterprises from a workspace, one row each.

* :func:`read_manifest` / :func:`ingest` — batch import of meter exports listed in a
  manifest CSV into a :class:`analytics.portfolio.store.Workspace`.
* :func:`analyse_enterprise` — **the** per-enterprise function: the stored frames through
  :func:`analytics.analysis.analyze` and :func:`analytics.analysis.to_json`, exactly as the
  single-enterprise CLI ``analyze`` computes them; :func:`screen_row` picks the indicators.
* :func:`screen` — every enterprise, on the ``local`` engine (DuckDB scans and a process
  pool over the cores, enterprises streamed in batches) or on ``spark``
  (:mod:`analytics.portfolio.spark`). Both call :func:`analyse_inputs`.

Screen columns (:data:`COLUMNS`; units and sources in :data:`DICTIONARY`): the indicators
carry the name of the analysis JSON key they come from. Derived ones:
``peak_sharp_energy_share`` = (tou.energy_kwh.sharp + .peak) / Σ tou.energy_kwh;
``valley_energy_share`` = (valley + deep_valley) / Σ tou.energy_kwh;
``valley_shift_value_cny`` (:func:`valley_shift_value_cny`) = what moving all sharp and peak
energy to the valley would save at the enterprise's own average period prices [CNY];
``pv_certificates`` = floor(pv_generation_kwh / 1000) (:func:`analytics.green.pv_certificates`);
``data_coverage`` = data.intervals / (data.intervals + data.missing_intervals);
``warning_count`` = number of entries in data.warnings. ``sec_kwh_per_unit`` and
``idle_share`` come from the ``production`` section (:func:`analytics.production.analyze_production`
on the stored runs, same tariffs) when the enterprise has a production file, else empty;
``saving_cny`` (``production.shift.saving_cny``) stays empty in a screen: the load-shift MILP
takes ~2 min per enterprise-year, so the screen runs ``analyze_production(run_shift=False)``.
``stage`` is the ``stage`` section as the CLI builds it (no questionnaire answers).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analytics.analysis import analyze, to_json
from analytics.findings import InputError
from analytics.green import pv_certificates
from analytics.iotools import FileReport
from analytics.portfolio.store import Enterprise, Series
from analytics.stage import Questionnaire, assess, indicators_of, stage_section
from analytics.tou import peak_energy_share, resolve_tariff, valley_energy_share

#: (column, unit, definition, source in greentemp.analysis/1, decimals when anonymised)
DICTIONARY: tuple[tuple[str, str, str, str, int | None], ...] = (
    ("enterprise_id", "", "enterprise identifier from the manifest", "workspace.enterprises", None),
    ("province", "", "province of the site", "manifest", None),
    ("industry", "", "industry of the enterprise", "manifest", None),
    ("size_class", "", "S < 5 GWh/yr, M 5–50 GWh/yr, L ≥ 50 GWh/yr of annualised energy",
     "load.energy_kwh, data span", None),
    ("energy_kwh", "kWh", "sum of interval energy over the intervals present", "load.energy_kwh", -3),
    ("peak_kw", "kW", "maximum interval average power", "load.peak_kw", -1),
    ("load_factor", "1", "average_kw / peak_kw", "load.load_factor", 3),
    ("total_cost_cny", "CNY", "TOU energy cost plus demand or capacity charge", "tou.total_cost_cny", -3),
    ("average_price_cny_per_kwh", "CNY/kWh", "total_cost_cny / energy_kwh",
     "tou.average_price_cny_per_kwh", 3),
    ("tariff", "", "tariff version(s) that priced the data", "tou.tariff", None),
    ("peak_sharp_energy_share", "1", "(sharp + peak energy) / energy in all TOU periods",
     "tou.energy_kwh.sharp, tou.energy_kwh.peak", 3),
    ("valley_energy_share", "1", "(valley + deep-valley energy) / energy in all TOU periods",
     "tou.energy_kwh.valley, tou.energy_kwh.deep_valley", 3),
    ("valley_shift_value_cny", "CNY",
     "E_sharp+peak × (average price sharp+peak − average price valley+deep), ≥ 0: the most a "
     "full shift to the valley could save at its own period prices (an upper bound)",
     "tou.energy_kwh, tou.energy_cost_cny", -3),
    ("sec_kwh_per_unit", "kWh/unit", "specific energy: energy_kwh / production units",
     "production.sec_kwh_per_unit", 2),
    ("idle_share", "1", "idle (non-production) energy / energy_kwh", "production.idle_share", 3),
    ("saving_cny", "CNY", "saving of the load-shift scenario", "production.shift.saving_cny", -3),
    ("pv_generation_kwh", "kWh", "on-site PV generation", "green.pv_generation_kwh", -3),
    ("pv_self_consumed_kwh", "kWh", "Σ min(consumption, PV) per interval",
     "green.pv_self_consumed_kwh", -3),
    ("pv_exported_kwh", "kWh", "Σ max(PV − consumption, 0) per interval", "green.pv_exported_kwh", -3),
    ("pv_certificates", "GEC", "certificates the PV could be issued: floor(pv_generation_kwh / 1000)",
     "green.pv_generation_kwh", 0),
    ("green_purchase_kwh", "kWh", "max(0, T × energy_kwh − pv_self_consumed_kwh) for the target T",
     "green.green_purchase_kwh", -3),
    ("gec_count", "GEC", "ceil(green_purchase_kwh / 1000)", "green.gec_count", 0),
    ("gec_cost_cny", "CNY", "cost of gec_count certificates", "green.gec_cost_cny", -3),
    ("co2_location_t", "t CO2", "grid import / 1000 × MEE/NBS average grid factor",
     "green.co2_location_t", 0),
    ("co2_market_t", "t CO2", "max(0, grid import − green purchase) / 1000 × residual factor",
     "green.co2_market_t", 0),
    ("hourly_matched_share", "1", "Σ_h min(consumption_h, PV_h) / Σ_h consumption_h",
     "green.hourly_matched_share", 3),
    ("green_temperature_score", "0–100", "Green Temperature index", "green_temperature.score", 1),
    ("data_coverage", "1", "intervals with data / intervals in the span",
     "data.intervals, data.missing_intervals", 3),
    ("warning_count", "1", "number of data-quality warnings", "data.warnings", 0),
    ("stage", "", "power-data stage: resource, asset or capital", "stage.stage", None),
    ("error", "", "error code when the enterprise could not be analysed", "analytics error catalogue",
     None),
)  # fmt: skip

COLUMNS: tuple[str, ...] = tuple(d[0] for d in DICTIONARY)
INT_COLUMNS = frozenset({"pv_certificates", "gec_count", "warning_count"})
STR_COLUMNS = frozenset(
    {"enterprise_id", "province", "industry", "size_class", "tariff", "stage", "error"}
)
FLOAT_COLUMNS = tuple(c for c in COLUMNS if c not in INT_COLUMNS | STR_COLUMNS)
SIZE_CLASS_BOUNDS_KWH = (5e6, 50e6)  # annualised energy [kWh/yr]: S < 5 GWh ≤ M < 50 GWh ≤ L


# --------------------------------------------------------------------------- manifest


# --------------------------------------------------------------------------- ingest


# --------------------------------------------------------------------------- per enterprise


@dataclass
class EnterpriseInputs:
    """What the per-enterprise analysis reads from the workspace."""

    enterprise: Enterprise
    load: Series
    pv: Series | None = None
    production: Any = None  # ProductionData of the stored runs, if any
    extra: dict[str, Any] = field(default_factory=dict)


def analyse_enterprise(inputs: EnterpriseInputs, *, target_share: float = 0.3) -> dict[str, Any]:
    """The ``greentemp.analysis/1`` JSON of one enterprise: the CLI's ``analyze`` on its
    stored frames (same tariff choice, contracted capacity, PV and target share), with the
    ``stage`` section as the CLI builds it without questionnaire answers."""

    ent = inputs.enterprise
    tariffs = None
    if ent.tariff:
        tariffs = [resolve_tariff(ent.tariff)]
    pv = inputs.pv
    analysis = analyze(
        inputs.load.frame,
        inputs.load.report,
        tariffs=tariffs,
        contracted_kva=ent.contracted_kva,
        pv=None if pv is None else pv.frame,
        pv_report=None if pv is None else pv.report,
        pv_warnings=() if pv is None else pv.extra_warnings,
        target_share=target_share,
        # as `analyze --production FILE --no-shift`: the idle share enters the Green Temperature
        production=None
        if inputs.production is None
        else (inputs.production, FileReport(inputs.production.file_name, "runs")),
        run_shift=False,
    )
    doc = to_json(analysis)
    doc["stage"] = stage_section(
        assess(
            indicators_of(analysis, production_linked=inputs.production is not None),
            Questionnaire(),
        )
    )
    return doc


def valley_shift_value_cny(
    energy_by_period_kwh: dict[str, float], cost_by_period_cny: dict[str, float]
) -> float | None:
    """What moving all sharp and peak energy to the valley would save [CNY], at the
    enterprise's own average prices of the two groups of periods:

    E_hi × (C_hi / E_hi − C_lo / E_lo) = C_hi − E_hi × C_lo / E_lo, with hi = sharp + peak and
    lo = valley + deep valley (energy E [kWh], energy cost C [CNY] by period, the bill's
    ``energy_kwh`` and ``energy_cost_cny``); clipped at 0. An upper bound, not a saving: no
    process constraint, demand charges unchanged. None without energy in either group."""
    hi = [p for p in ("sharp", "peak")]
    lo = [p for p in ("valley", "deep_valley")]
    e_hi = sum(energy_by_period_kwh.get(p, 0.0) for p in hi)
    e_lo = sum(energy_by_period_kwh.get(p, 0.0) for p in lo)
    if not (e_hi > 0 and e_lo > 0):
        return None
    c_hi = sum(cost_by_period_cny.get(p, 0.0) for p in hi)
    c_lo = sum(cost_by_period_cny.get(p, 0.0) for p in lo)
    return max(0.0, c_hi - e_hi * (c_lo / e_lo))


def size_class(energy_kwh: float | None, days: float) -> str | None:
    """S/M/L from energy annualised over the data span [kWh, days]."""
    if energy_kwh is None or not days or not math.isfinite(energy_kwh):
        return None
    annual = energy_kwh * 365.0 / days
    lo, hi = SIZE_CLASS_BOUNDS_KWH
    return "S" if annual < lo else ("M" if annual < hi else "L")


def screen_row(ent: Enterprise, doc: dict[str, Any]) -> dict[str, Any]:
    """The screen row of one enterprise from its analysis JSON (keys as documented above)."""

    data, load, tou, green = doc["data"], doc["load"], doc["tou"], doc["green"]
    by_period, energy_kwh = tou["energy_kwh"], load["energy_kwh"]

    def share(value: float) -> float | None:
        return None if math.isnan(value) else value

    prod = doc.get("production") or {}
    stage = doc.get("stage") or {}
    span_days = (
        pd.Timestamp(data["end"]) - pd.Timestamp(data["start"])
    ).total_seconds() / 86400 + data["interval_minutes"] / 1440
    intervals = data["intervals"] + data["missing_intervals"]
    row = {
        "enterprise_id": ent.enterprise_id,
        "province": ent.province or None,
        "industry": ent.industry or None,
        "size_class": size_class(load["energy_kwh"], span_days),
        "energy_kwh": load["energy_kwh"],
        "peak_kw": load["peak_kw"],
        "load_factor": load["load_factor"],
        "total_cost_cny": tou["total_cost_cny"],
        "average_price_cny_per_kwh": tou["average_price_cny_per_kwh"],
        "tariff": tou["tariff"],
        "peak_sharp_energy_share": share(peak_energy_share(by_period, energy_kwh)),
        "valley_energy_share": share(valley_energy_share(by_period, energy_kwh)),
        "valley_shift_value_cny": valley_shift_value_cny(by_period, tou["energy_cost_cny"]),
        "sec_kwh_per_unit": prod.get("sec_kwh_per_unit"),
        "idle_share": prod.get("idle_share"),
        "saving_cny": (prod.get("shift") or {}).get("saving_cny"),
        "pv_certificates": pv_certificates(green["pv_generation_kwh"] or 0.0),
        "data_coverage": data["intervals"] / intervals if intervals else None,
        "warning_count": len(data["warnings"]),
        "stage": stage.get("stage"),
        "error": None,
    }
    for key in (
        "pv_generation_kwh",
        "pv_self_consumed_kwh",
        "pv_exported_kwh",
        "green_purchase_kwh",
        "gec_count",
        "gec_cost_cny",
        "co2_location_t",
        "co2_market_t",
        "hourly_matched_share",
    ):
        row[key] = green[key]
    row["green_temperature_score"] = doc["green_temperature"]["score"]
    return {c: row.get(c) for c in COLUMNS}


def error_row(ent: Enterprise, code: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(
        enterprise_id=ent.enterprise_id,
        province=ent.province or None,
        industry=ent.industry or None,
        error=code,
    )
    return row


def analyse_inputs(inputs: EnterpriseInputs, *, target_share: float = 0.3) -> dict[str, Any]:
    """One screen row (never raises for bad data: the row carries the error code)."""
    try:
        return screen_row(inputs.enterprise, analyse_enterprise(inputs, target_share=target_share))
    except InputError as err:
        return error_row(inputs.enterprise, err.code)
    except (ValueError, KeyError, ZeroDivisionError) as err:
        return error_row(inputs.enterprise, f"analysis.{type(err).__name__}")


def finalize(rows: pd.DataFrame | Iterable[dict[str, Any]]) -> pd.DataFrame:
    """The screen table in its one shape: :data:`COLUMNS` in order, sorted by enterprise_id,
    floats as float64 (None → NaN), counts as nullable Int64, text as object (None = empty)."""
    df = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    for c in COLUMNS:
        if c not in df:
            df[c] = None
    df = df[list(COLUMNS)]
    for c in FLOAT_COLUMNS:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    for c in INT_COLUMNS:
        df[c] = pd.to_numeric(df[c], errors="coerce").round().astype("Int64")
    for c in STR_COLUMNS:
        df[c] = pd.Series(
            [
                None if (v is None or (isinstance(v, float) and math.isnan(v))) else str(v)
                for v in df[c]
            ],
            index=df.index,
            dtype=object,
        )
    return df.sort_values("enterprise_id", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- local engine


def dictionary_frame() -> pd.DataFrame:
    """The data dictionary: column, unit, definition, source (+ anonymised precision)."""
    return pd.DataFrame(
        [
            (
                c,
                u,
                d,
                s,
                ""
                if p is None
                else (
                    "integer" if p == 0 else (f"{p} decimals" if p > 0 else f"nearest {10**-p:g}")
                ),
            )
            for c, u, d, s, p in DICTIONARY
        ],
        columns=["column", "unit", "definition", "source", "anonymised_precision"],
    )
