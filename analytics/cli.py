"""Command line: argv → library → JSON (after frictionless' CLI).

``main(argv) -> int``; exit 0 ok, 2 bad input (one line on stderr, never a
traceback). Messages come from the same catalogue the pages use
(``--lang en`` by default, ``zh-CN`` available).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from analytics.analysis import analyze, to_json
from analytics.findings import InputError
from analytics.stage import Questionnaire, StageResult, assess, indicators_of, stage_section


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 already; keep it one line
        self.exit(2, f"{self.prog}: error: {message}\n")


def _renderer(lang: str):
    from ui.i18n import warning_renderer

    return warning_renderer(lang)


def error_line(err: InputError, lang: str = "en") -> str:
    """One line for stderr: the catalogue message for the error's code."""
    from ui.i18n import has_key, translate

    key = f"error.{err.code}"
    text = translate(lang, key, **err.context()) if has_key(key, lang) else str(err)
    return " ".join(text.split())


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m analytics", description="GreenTemp analytics")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("analyze", help="analyse one enterprise's meter data and print JSON")
    a.add_argument("--load", required=True, type=Path, help="consumption file (CSV/XLSX)")
    a.add_argument("--tz", default="Asia/Shanghai", help="site time zone (default Asia/Shanghai)")
    a.add_argument("--labels", choices=("auto", "start", "end"), default="auto",
                   help="timestamp labels mark interval start or end (default: detect)")
    a.add_argument("--tariff", default=None,
                   help="tariff preset id or TOML file (default: the Jiangsu large-industrial preset in force)")
    a.add_argument("--contracted-kva", type=float, default=None,
                   help="contracted capacity [kVA] for a capacity charge instead of the demand charge")
    a.add_argument("--production", type=Path, default=None,
                   help="production schedule: runs, periodic counts or a machine-state log (CSV/XLSX)")
    a.add_argument("--no-shift", action="store_true",
                   help="skip the load-shift optimiser (the shift section then reports no moves)")
    a.add_argument("--pv", type=Path, default=None, help="measured PV generation file (CSV/XLSX)")
    a.add_argument("--pv-unit", default=None, help="override the PV file's unit (e.g. W)")
    a.add_argument("--pv-kwp", type=float, default=None, help="model PV with pvlib: array size [kWp]")
    a.add_argument("--lat", type=float, default=None, help="site latitude [°] for modelled PV")
    a.add_argument("--lon", type=float, default=None, help="site longitude [°] for modelled PV")
    a.add_argument("--tilt", type=float, default=20.0, help="array tilt [°] (default 20)")
    a.add_argument("--azimuth", type=float, default=180.0, help="array azimuth [°], 180 = south")
    a.add_argument("--target-share", type=float, default=0.3,
                   help="renewable-share target T, 0–1 (default 0.3)")
    a.add_argument("--factor-year", type=int, default=None,
                   help="year of the MEE/NBS grid CO2 factor (default: the latest published)")
    a.add_argument("--unit", default=None, help="override the value unit (W, kW, MW, Wh, kWh, MWh)")
    a.add_argument("--json", dest="json_out", type=Path, default=None, help="write the JSON here")
    a.add_argument("--lang", choices=("en", "zh-CN"), default="en", help="language of messages")
    a.add_argument("--html", dest="html_out", type=Path, default=None,
                   help="also write the self-contained HTML report here (language: --lang)")
    q = a.add_argument_group("stage questionnaire (the `stage` section; default: no)")
    for flag, what in (("catalogued", "data catalogued and governed"),
                       ("compliance-reviewed", "compliance review done"),
                       ("registered-asset", "registered as a data asset"),
                       ("exchange-listed", "listed or traded on a data exchange"),
                       ("financed", "used for financing or pledge")):
        q.add_argument(f"--{flag}", action="store_true", help=what)
    from analytics.portfolio_cli import add_portfolio_parser

    add_portfolio_parser(sub)
    return p


def _analyze(args: argparse.Namespace) -> dict[str, Any]:
    from analytics.importer import ImportOptions, read_load

    if args.contracted_kva is not None and not args.contracted_kva > 0:
        raise InputError("cli.bad_contracted_kva", expected="a contracted capacity > 0 kVA",
                         value=args.contracted_kva)
    try:
        ZoneInfo(args.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError("import.bad_timezone", tz=args.tz) from None
    opts = ImportOptions(tz=args.tz, labels=args.labels, unit=args.unit)
    path: Path = args.load
    if not path.is_file():
        raise InputError("import.file_not_found", file=str(path))
    tariffs = None
    if args.tariff:
        from analytics.tariff import resolve_tariff

        tariffs = [resolve_tariff(Path(args.tariff) if args.tariff.endswith(".toml") else args.tariff)]
    frame, report = read_load(path, file_name=path.name, options=opts)
    pv, pv_report, pv_warnings = _pv(args, frame)
    production = None
    if args.production is not None:
        from analytics.production import read_production

        if not args.production.is_file():
            raise InputError("import.file_not_found", file=str(args.production))
        production = read_production(args.production, file_name=args.production.name, tz=args.tz)
    analysis = analyze(frame, report, tariffs=tariffs, contracted_kva=args.contracted_kva,
                       pv=pv, pv_report=pv_report, pv_warnings=pv_warnings,
                       target_share=args.target_share, factor_year=args.factor_year,
                       production=production, run_shift=not args.no_shift)
    doc = to_json(analysis, _renderer(args.lang))
    stage = _stage(args, analysis)
    doc["stage"] = stage_section(stage)
    if args.html_out is not None:
        from ui.report import build_report

        args.html_out.write_text(build_report(analysis, lang=args.lang, file_name=path.name, stage=stage,
                                              doc=doc), encoding="utf-8")
    return doc


def _answers(args: argparse.Namespace) -> Questionnaire:
    return Questionnaire(catalogued=args.catalogued, compliance_reviewed=args.compliance_reviewed,
                         registered_asset=args.registered_asset, exchange_listed=args.exchange_listed,
                         financed=args.financed)


def _stage(args: argparse.Namespace, analysis: Any) -> StageResult:
    """The stage from the indicators of the loaded data and the questionnaire flags."""
    linked = getattr(args, "production", None) is not None
    return assess(indicators_of(analysis, production_linked=linked), _answers(args))


def _pv(args: argparse.Namespace, frame: Any) -> tuple[Any, Any, list[Any]]:
    """A measured PV file (``--pv``) or a pvlib model (``--pv-kwp --lat --lon``), or none."""
    from analytics.importer import ImportOptions
    from analytics.pv import cities, model_pv, read_pv

    if args.pv is not None:
        if not args.pv.is_file():
            raise InputError("import.file_not_found", file=str(args.pv))
        pv, report, warnings = read_pv(args.pv, file_name=args.pv.name,
                                       options=ImportOptions(tz=args.tz, unit=args.pv_unit))
        return pv, report, list(warnings)
    if args.pv_kwp is not None:
        if args.lat is None or args.lon is None:
            raise InputError("cli.pv_needs_location", expected="--lat and --lon with --pv-kwp")
        nearest = min(cities().values(), key=lambda c: (c.lat - args.lat) ** 2 + (c.lon - args.lon) ** 2)
        pv, warnings = model_pv(frame.index, kwp=args.pv_kwp, lat=args.lat, lon=args.lon,
                                tilt_deg=args.tilt, azimuth_deg=args.azimuth,
                                specific_yield_kwh_per_kwp=nearest.yield_kwh_per_kwp)
        return pv, None, list(warnings)
    return None, None, []


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "portfolio":
        from analytics.portfolio_cli import run_portfolio

        return run_portfolio(args)
    lang = getattr(args, "lang", "en")
    try:
        doc = _analyze(args)
    except InputError as err:
        print(f"error: {error_line(err, lang)}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as err:  # unreadable path, bad time zone, …
        print(f"error: {' '.join(str(err).split())}", file=sys.stderr)
        return 2
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    if args.json_out:
        args.json_out.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0
