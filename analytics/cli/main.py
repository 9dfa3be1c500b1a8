"""``python -m analytics``: the parser and ``main(argv) -> int``.

Exit 0 on success, 2 on bad input with one line on stderr naming file, row, column and what
was expected (never a traceback); ``portfolio ingest`` may also exit 1 (some files failed).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from analytics.cli.agency import add_agency_cli, run_agency
from analytics.cli.analyze import run_analyze
from analytics.cli.bills import add_bill_arguments
from analytics.cli.errors import error_line
from analytics.cli.green import add_green_arguments
from analytics.cli.portfolio import add_portfolio_parser, run_portfolio
from analytics.cli.prices import add_price_arguments
from analytics.cli.procurement import add_procurement_arguments
from analytics.findings import InputError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 already; keep it one line
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m analytics", description="GreenTemp analytics")
    sub = p.add_subparsers(dest="command", required=True)
    a = sub.add_parser("analyze", help="analyse one enterprise's meter data and print JSON")
    a.add_argument("--load", required=True, type=Path, help="consumption file (CSV/XLSX)")
    a.add_argument("--tz", default="Asia/Shanghai", help="site time zone (default Asia/Shanghai)")
    a.add_argument(
        "--labels",
        choices=("auto", "start", "end"),
        default="auto",
        help="timestamp labels mark interval start or end (default: detect)",
    )
    a.add_argument(
        "--tariff",
        default=None,
        help="tariff preset id or TOML file (default: the Jiangsu large-industrial preset in force)",
    )
    a.add_argument(
        "--contracted-kva",
        type=float,
        default=None,
        help="contracted capacity [kVA] for a capacity charge instead of the demand charge",
    )
    a.add_argument(
        "--production",
        type=Path,
        default=None,
        help="production schedule: runs, periodic counts or a machine-state log (CSV/XLSX)",
    )
    a.add_argument(
        "--state-map",
        default=None,
        metavar="CODE=STATE,…",
        help="states of a machine-state log given as codes, e.g. 1=running,2=stopped,3=stopped",
    )
    a.add_argument(
        "--no-shift",
        action="store_true",
        help="skip the load-shift optimiser (the shift section then reports no moves)",
    )
    a.add_argument("--pv", type=Path, default=None, help="measured PV generation file (CSV/XLSX)")
    a.add_argument("--pv-unit", default=None, help="override the PV file's unit (e.g. W)")
    a.add_argument(
        "--pv-kwp", type=float, default=None, help="model PV with pvlib: array size [kWp]"
    )
    a.add_argument("--lat", type=float, default=None, help="site latitude [°] for modelled PV")
    a.add_argument("--lon", type=float, default=None, help="site longitude [°] for modelled PV")
    a.add_argument("--tilt", type=float, default=20.0, help="array tilt [°] (default 20)")
    a.add_argument("--azimuth", type=float, default=180.0, help="array azimuth [°], 180 = south")
    add_green_arguments(a)
    a.add_argument("--unit", default=None, help="override the value unit (W, kW, MW, Wh, kWh, MWh)")
    a.add_argument(
        "--date-column", default=None, help="source column holding the date (default: detect)"
    )
    a.add_argument(
        "--time-column",
        default=None,
        help="source column holding the time or date-time (default: detect)",
    )
    a.add_argument(
        "--value-column",
        default=None,
        help="source column holding energy, power or register values (default: detect)",
    )
    a.add_argument("--sheet", default=None, help="workbook sheet to read (XLSX; default: first)")
    add_price_arguments(a)
    a.add_argument("--json", dest="json_out", type=Path, default=None, help="write the JSON here")
    a.add_argument("--lang", choices=("en", "zh-CN"), default="en", help="language of messages")
    a.add_argument(
        "--html",
        dest="html_out",
        type=Path,
        default=None,
        help="also write the self-contained HTML report here (language: --lang)",
    )
    add_bill_arguments(a)
    q = a.add_argument_group("stage questionnaire (the `stage` section; default: no)")
    for flag, what in (
        ("catalogued", "data catalogued and governed"),
        ("compliance-reviewed", "compliance review done"),
        ("registered-asset", "registered as a data asset"),
        ("exchange-listed", "listed or traded on a data exchange"),
        ("financed", "used for financing or pledge"),
    ):
        q.add_argument(f"--{flag}", action="store_true", help=what)
    add_procurement_arguments(a)

    add_portfolio_parser(sub)
    add_agency_cli(a, sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "portfolio":
        return run_portfolio(args)
    if args.command == "agency":
        return run_agency(args)
    lang = getattr(args, "lang", "en")
    try:
        doc = run_analyze(args)
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
