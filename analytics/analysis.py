"""One analysis of one enterprise: the library behind both the pages and the CLI.

``analyze`` computes every figure once; ``to_json`` shapes it as the DESIGN's
``greentemp.analysis/1`` contract. Warning messages are rendered by a callable
the caller passes (the CLI and the pages use the ``ui/locales`` catalogue), so
no user-visible text lives in ``analytics/``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analytics.findings import DataWarning, InputError
from analytics.green import (
    GreenResult,
    GreenTemperature,
    Holdings,
    analyze_green,
    green_section,
    green_temperature,
    green_temperature_section,
    shift_realised_share,
)
from analytics.iotools import FileReport, ImportReport, ProductionData
from analytics.production import (
    ProductionAnalysis,
    ShiftOptions,
    analyze_production,
    production_section,
)
from analytics.tou import (
    Bill,
    LoadStats,
    Periods,
    Tariff,
    bill,
    classify_periods,
    default_tariffs_for,
    load_stats,
    to_tou_json,
)

SCHEMA_ID = "greentemp.analysis/1"

#: ``render(code, params) -> message``; the default leaves the code as the message.
Renderer = Callable[[str, Mapping[str, Any]], str]


@dataclass
class Analysis:
    """Everything computed for one enterprise (sections absent when inputs are)."""

    frame: pd.DataFrame
    report: ImportReport
    load: LoadStats
    bill: Bill
    tariffs: tuple[Tariff, ...]
    periods: Periods
    green: GreenResult
    temperature: GreenTemperature
    pv_report: ImportReport | None = None  # of a measured PV file, if any
    pv_warnings: tuple[DataWarning, ...] = ()
    production: ProductionAnalysis | None = None
    price_warnings: tuple[DataWarning, ...] = ()  # of the price source (agency tables)

    @property
    def warnings(self) -> list[DataWarning]:
        """Import findings first, then pricing (calendar, tariff validity), then PV/green."""
        pv_import = list(self.pv_report.warnings) if self.pv_report is not None else []
        prod = list(self.production.warnings) if self.production is not None else []
        return [
            *self.report.warnings,
            *self.bill.warnings,
            *self.price_warnings,
            *prod,
            *pv_import,
            *self.pv_warnings,
            *self.green.warnings,
        ]


def analyze(
    frame: pd.DataFrame,
    report: ImportReport,
    *,
    tariffs: Tariff | Iterable[Tariff] | None = None,
    contracted_kva: float | None = None,
    pv: pd.DataFrame | None = None,
    pv_report: ImportReport | None = None,
    pv_warnings: Iterable[DataWarning] = (),
    target_share: float | None = None,
    factor_year: int | None = None,
    production: tuple[ProductionData, FileReport] | None = None,
    shift_options: ShiftOptions | None = None,
    run_shift: bool = True,
    holdings: Holdings | None = None,
    province: str | None = None,
    industry: str | None = None,
    gec_price_month: str | None = None,
    gec_vintage: int | None = None,
    shift_prices: Callable[[Periods], tuple[Any, str] | None] | None = None,
    price_warnings: Iterable[DataWarning] = (),
) -> Analysis:
    """Compute the analysis of a canonical load frame and its import report.

    ``tariffs`` defaults to the Jiangsu large-industrial 1–10 kV versions in force on
    the data's dates (DESIGN); a date outside every version is priced by the nearest
    one with the warning ``tou.outside_validity``. ``pv`` is a canonical PV frame
    (measured or modelled; none = no on-site PV): the ``green`` section is computed in
    every case, since green purchase, certificates and CO2 need only the load.
    The tariff versions are resolved here once and the load's index classified once
    (:func:`analytics.tou.classify_periods`); the bill, the green bills, production and the
    shift all use that one classification.
    ``production`` is what :func:`analytics.iotools.read_production` returned; it adds
    the ``production`` section, the idle share to the Green Temperature and kgCO2 per unit.
    The load-shift scenario uses ``shift_options`` (default: energy cost minimised exactly,
    a month's moves kept only if its whole bill falls — ``ShiftOptions(include_demand=False)``);
    when it ran, its realised share enters the Green Temperature.
    ``holdings``, ``province``, ``industry``, ``gec_price_month``, ``gec_vintage`` and
    ``target_share=None`` (the province × industry default) as in
    :func:`analytics.green.analyze_green`.
    ``shift_prices(periods) -> (price per interval [CNY/kWh], kind)`` prices the shift by the
    chosen price source (:func:`analytics.tou.source_prices`; default: the TOU prices).
    """
    if not frame["kwh"].notna().any() or not float(frame["kwh"].sum(skipna=True)) > 0:
        # nothing to analyse: no interval with data, or zero energy throughout
        raise InputError(
            "analysis.no_energy",
            file=getattr(report, "file_name", None),
            column="kwh",
            expected="intervals with positive energy",
        )
    versions = list(
        default_tariffs_for(frame)
        if tariffs is None
        else ([tariffs] if isinstance(tariffs, Tariff) else tariffs)
    )
    periods = classify_periods(frame.index, versions)
    prod = None
    if production is not None:
        data, production_report = production
        prod = analyze_production(
            frame,
            data,
            periods=periods,
            import_warnings=list(production_report.warnings),
            shift_options=shift_options or ShiftOptions(include_demand=False),
            run_shift=run_shift,
            shift_prices=shift_prices(periods) if shift_prices is not None else None,
        )
    idle = prod.metrics.idle_share if prod is not None else None
    units = prod.metrics.units if prod is not None and prod.metrics.units > 0 else None
    green = analyze_green(
        frame,
        pv,
        periods=periods,
        target_share=target_share,
        factor_year=factor_year,
        production_units=units,
        holdings=holdings,
        province=province,
        industry=industry,
        gec_price_month=gec_price_month,
        gec_vintage=gec_vintage,
    )
    shift = shift_realised_share(prod.shift) if prod is not None else None
    return Analysis(
        frame=frame,
        report=report,
        load=load_stats(frame),
        bill=bill(frame, contracted_kva=contracted_kva, periods=periods),
        tariffs=periods.versions,
        periods=periods,
        green=green,
        temperature=green_temperature(
            green,
            idle_share=None if idle is None or math.isnan(idle) else idle,
            shift_realised_share=shift,
        ),
        pv_report=pv_report,
        pv_warnings=tuple(pv_warnings),
        production=prod,
        price_warnings=tuple(price_warnings),
    )


def _iso(ts: pd.Timestamp) -> str:
    return pd.Timestamp(ts).isoformat()


def warning_entries(
    warnings: Iterable[DataWarning], render: Renderer | None = None
) -> list[dict[str, Any]]:
    """``[{code, message, count}]`` for the JSON's ``data.warnings``."""
    rnd = render or (lambda code, params: code)
    return [
        {
            "code": w.code,
            "message": rnd(w.code, {"count": w.count, **dict(w.params)}),
            "count": int(w.count),
        }
        for w in warnings
    ]


def data_section(
    report: Any, warnings: list[DataWarning], render: Renderer | None = None
) -> dict[str, Any]:
    """The ``data`` section: span, interval, counts, label convention, warnings."""
    return {
        "start": _iso(report.start),
        "end": _iso(report.end),
        "interval_minutes": int(report.interval_minutes),
        "intervals": int(report.intervals),
        "missing_intervals": int(report.missing_intervals),
        "duplicate_rows_dropped": int(report.duplicate_rows_dropped),
        "label_convention": report.label_convention,
        "warnings": warning_entries(warnings, render),
    }


def to_json(analysis: Analysis, render: Renderer | None = None) -> dict[str, Any]:
    """The analysis as the ``greentemp.analysis/1`` JSON document (plain types)."""
    return {
        "schema": SCHEMA_ID,
        "data": data_section(analysis.report, analysis.warnings, render),
        "load": analysis.load.to_dict(),
        "tou": to_tou_json(analysis.bill),
        **(
            {"production": production_section(analysis.production)}
            if analysis.production is not None
            else {}
        ),
        "green": green_section(analysis.green),
        "green_temperature": green_temperature_section(analysis.temperature),
    }
