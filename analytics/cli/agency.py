"""Agency-purchase options of ``analyze`` and the ``agency import`` subcommand.

``analyze --agency-province jiangsu`` prices the load month by month with the province's
agency-purchase tables (:mod:`analytics.tou.agency`) over the TOU period rules of the chosen
preset (``--tariff``, default the Jiangsu family in force); ``--agency-tables DIR`` uses the
``*.toml`` tables in DIR instead of the shipped ones; ``--agency-class`` picks the user class
the tables apply to. Without these options nothing changes.

``agency import FILE --province P --month YYYY-MM [--out PATH]`` turns the grid company's
monthly table, copied to CSV/XLSX, into the TOML data file (printed, or written to PATH).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from analytics.cli.errors import error_line
from analytics.findings import InputError
from analytics.tou import DEFAULT_FAMILY, Tariff
from analytics.tou.agency import (
    APPLIES_TO,
    COMPONENTS,
    AgencyPricing,
    agency_section,
    agency_tables,
    agency_versions,
    rule_versions,
)
from analytics.tou.agency_import import ImportSpec, import_agency_table


def add_agency_cli(analyze: argparse.ArgumentParser, sub: Any) -> None:
    """Add the agency options to ``analyze`` and the ``agency`` subcommand to ``sub``."""
    g = analyze.add_argument_group("agency-purchase prices by month (default: off)")
    g.add_argument(
        "--agency-province",
        default=None,
        metavar="PROVINCE",
        help="price each month by this province's agency-purchase table, e.g. jiangsu",
    )
    g.add_argument(
        "--agency-tables",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder of YYYY-MM.toml agency tables (instead of the shipped ones)",
    )
    g.add_argument(
        "--agency-class",
        choices=APPLIES_TO,
        default="agency",
        help="user class the tables apply to (default: agency)",
    )
    ag = sub.add_parser("agency", help="agency-purchase tables")
    asub = ag.add_subparsers(dest="agency_command", required=True)
    imp = asub.add_parser("import", help="convert a published monthly table (CSV/XLSX) to TOML")
    imp.add_argument("file", type=Path, help="the table copied to CSV or XLSX")
    imp.add_argument("--province", required=True, help="province, e.g. Jiangsu")
    imp.add_argument("--month", required=True, help="month of the table, YYYY-MM")
    imp.add_argument("--row-class", default="两部制", help="text of the user-class cell")
    imp.add_argument("--row-voltage", default="1-10", help="text of the voltage cell")
    imp.add_argument("--user-class", default="large_industrial_two_part")
    imp.add_argument("--voltage", default="1-10kV")
    imp.add_argument("--applies-to", choices=APPLIES_TO, default="agency")
    imp.add_argument(
        "--floating",
        default=None,
        help=f"components that float, comma-separated ({', '.join(COMPONENTS)}); "
        "default: the province's sourced rule",
    )
    imp.add_argument("--source", default="", help="document title of the table")
    imp.add_argument("--source-url", default="", help="address of the table")
    imp.add_argument("--confidence", choices=("C1", "C2", "C3", "U"), default="U")
    imp.add_argument("--out", type=Path, default=None, help="write the TOML here")
    imp.add_argument("--lang", choices=("en", "zh-CN"), default="en")


def run_agency(args: argparse.Namespace) -> int:
    """``agency import``: exit 0 and the TOML, or exit 2 and one line on stderr."""
    try:
        if not args.file.is_file():
            raise InputError("import.file_not_found", file=str(args.file))
        spec = ImportSpec(
            province=args.province,
            month=args.month,
            row_class=args.row_class,
            row_voltage=args.row_voltage,
            user_class=args.user_class,
            voltage=args.voltage,
            applies_to=args.applies_to,
            floating=tuple(f.strip() for f in args.floating.split(",")) if args.floating else None,
            source=args.source,
            source_url=args.source_url,
            confidence=args.confidence,
        )
        text = import_agency_table(args.file.read_bytes(), file_name=args.file.name, spec=spec)
    except InputError as err:
        print(f"error: {error_line(err, args.lang)}", file=sys.stderr)
        return 2
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


def agency_pricing(
    args: argparse.Namespace, frame: pd.DataFrame, tariffs: list[Tariff] | None
) -> tuple[list[Tariff] | None, AgencyPricing | None]:
    """The month versions for ``analyze`` when an agency option is given, else unchanged.

    The TOU rules are ``--tariff`` when given (it must be of the tables' province), else the
    province's shipped versions (each month takes the one in force)."""
    province = getattr(args, "agency_province", None)
    folder = getattr(args, "agency_tables", None)
    if province is None and folder is None:
        return tariffs, None
    if folder is not None and not Path(folder).is_dir():
        raise InputError("import.file_not_found", file=str(folder))
    user_class, voltage = (
        (tariffs[0].meta.user_class, tariffs[0].meta.voltage) if tariffs else DEFAULT_FAMILY[1:]
    )
    tables = agency_tables(
        province or (tariffs[0].meta.province if tariffs else DEFAULT_FAMILY[0]),
        folder=folder,
        applies_to=args.agency_class,
        user_class=user_class,
        voltage=voltage,
    )
    pricing = agency_versions(frame.index, rule_versions(tables, tariffs), tables)
    return list(pricing.versions), pricing


def agency_json(pricing: AgencyPricing | None) -> dict[str, Any]:
    """``{"agency": …}`` for the document, or nothing."""
    return {} if pricing is None else {"agency": agency_section(pricing)}
