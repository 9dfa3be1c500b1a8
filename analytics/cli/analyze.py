"""``python -m analytics analyze``: argv → readers → :func:`analytics.analysis.analyze` → JSON.

The subcommand builds library objects from the arguments and returns the
``greentemp.analysis/1`` document (plus ``stage``); :mod:`analytics.cli.main` prints it. Bad
input raises :class:`~analytics.findings.InputError` (exit 2, one line). Messages come from the
same catalogue the pages use (``--lang en`` by default, ``zh-CN`` available).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from analytics.analysis import analyze, to_json
from analytics.cli.agency import agency_json, agency_pricing
from analytics.cli.bills import add_bill_sections
from analytics.cli.errors import renderer
from analytics.cli.green import green_kwargs
from analytics.cli.prices import price_doc, read_price_inputs
from analytics.cli.procurement import add_plan
from analytics.findings import InputError
from analytics.green import cities, model_pv
from analytics.iotools import (
    ImportOptions,
    ProductionOptions,
    parse_state_map,
    read_load,
    read_production,
    read_pv,
)
from analytics.stage import Questionnaire, StageResult, assess, indicators_of, stage_section
from analytics.tou import resolve_tariff
from ui.render.report import build_report


def run_analyze(args: argparse.Namespace) -> dict[str, Any]:
    """The analysis document of the ``analyze`` arguments (writes ``--html`` when asked)."""
    if args.contracted_kva is not None and not args.contracted_kva > 0:
        raise InputError(
            "cli.bad_contracted_kva",
            expected="a contracted capacity > 0 kVA",
            value=args.contracted_kva,
        )
    try:
        ZoneInfo(args.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError("import.bad_timezone", tz=args.tz) from None
    opts = ImportOptions(
        tz=args.tz,
        labels=args.labels,
        unit=args.unit,
        date_column=args.date_column,
        time_column=args.time_column,
        value_column=args.value_column,
        sheet=args.sheet,
    )
    path: Path = args.load
    if not path.is_file():
        raise InputError("import.file_not_found", file=str(path))
    tariffs = None
    if args.tariff:
        tariffs = [
            resolve_tariff(Path(args.tariff) if args.tariff.endswith(".toml") else args.tariff)
        ]
    frame, report = read_load(path, file_name=path.name, options=opts)
    tariffs, agency = agency_pricing(args, frame, tariffs)  # by month when --agency-* is given
    pv, pv_report, pv_warnings = _pv(args, frame)
    price_inputs = read_price_inputs(args, frame)
    production = None
    if args.production is not None:
        if not args.production.is_file():
            raise InputError("import.file_not_found", file=str(args.production))
        production = read_production(
            args.production,
            file_name=args.production.name,
            options=ProductionOptions(
                tz=args.tz,
                state_map=None
                if args.state_map is None
                else parse_state_map(args.state_map, option="--state-map"),
            ),
        )
    analysis = analyze(
        frame,
        report,
        tariffs=tariffs,
        contracted_kva=args.contracted_kva,
        pv=pv,
        pv_report=pv_report,
        pv_warnings=pv_warnings,
        **green_kwargs(args, int(frame.index[-1].year)),
        production=production,
        run_shift=not args.no_shift,
        shift_prices=price_inputs.shift_prices(frame),
        price_warnings=agency.warnings if agency is not None else (),
    )
    doc = to_json(analysis, renderer(args.lang))
    doc.update(agency_json(agency))
    doc.update(price_doc(price_inputs, analysis))
    add_bill_sections(doc, analysis, args, renderer(args.lang))
    add_plan(doc, args, analysis)
    stage = _stage(args, analysis)
    doc["stage"] = stage_section(stage)
    if args.html_out is not None:
        args.html_out.write_text(
            build_report(analysis, lang=args.lang, file_name=path.name, stage=stage, doc=doc),
            encoding="utf-8",
        )
    return doc


def _answers(args: argparse.Namespace) -> Questionnaire:
    return Questionnaire(
        catalogued=args.catalogued,
        compliance_reviewed=args.compliance_reviewed,
        registered_asset=args.registered_asset,
        exchange_listed=args.exchange_listed,
        financed=args.financed,
    )


def _stage(args: argparse.Namespace, analysis: Any) -> StageResult:
    """The stage from the indicators of the loaded data and the questionnaire flags."""
    linked = getattr(args, "production", None) is not None
    return assess(indicators_of(analysis, production_linked=linked), _answers(args))


def _pv(args: argparse.Namespace, frame: Any) -> tuple[Any, Any, list[Any]]:
    """A measured PV file (``--pv``) or a pvlib model (``--pv-kwp --lat --lon``), or none."""
    if args.pv is not None:
        if not args.pv.is_file():
            raise InputError("import.file_not_found", file=str(args.pv))
        pv, report = read_pv(
            args.pv, file_name=args.pv.name, options=ImportOptions(tz=args.tz, unit=args.pv_unit)
        )
        return pv, report, []
    if args.pv_kwp is not None:
        if args.lat is None or args.lon is None:
            raise InputError("cli.pv_needs_location", expected="--lat and --lon with --pv-kwp")
        nearest = min(
            cities().values(), key=lambda c: (c.lat - args.lat) ** 2 + (c.lon - args.lon) ** 2
        )
        pv, warnings = model_pv(
            frame.index,
            kwp=args.pv_kwp,
            lat=args.lat,
            lon=args.lon,
            tilt_deg=args.tilt,
            azimuth_deg=args.azimuth,
            specific_yield_kwh_per_kwp=nearest.yield_kwh_per_kwp,
        )
        return pv, None, list(warnings)
    return None, None, []
