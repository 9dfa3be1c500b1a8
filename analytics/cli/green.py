"""The green arguments of ``analyze``: target, factor year, holdings, province × industry.

``add_green_arguments(parser)`` adds them; ``green_kwargs(args)`` turns them into the keyword
arguments of :func:`analytics.analysis.analyze` (reading ``--gec-holdings``). ``--gec-held N``
is one lot of N certificates of the reporting year's vintage (type ``all``); with a holdings
file both count.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from analytics.findings import InputError
from analytics.green import INDUSTRIES, PV_OWNERS, GecLot, Holdings, read_gec_holdings


def add_green_arguments(a: argparse.ArgumentParser) -> None:
    """The green options of the ``analyze`` subcommand."""
    g = a.add_argument_group("green power, certificates and targets")
    g.add_argument(
        "--target-share",
        type=float,
        default=None,
        help="renewable-share target T, 0–1 (default: the --province × --industry rule where "
        "one is sourced, else 0.3 as an assumption)",
    )
    g.add_argument(
        "--factor-year",
        type=int,
        default=None,
        help="year of the MEE/NBS grid CO2 factor (default: the latest published)",
    )
    g.add_argument(
        "--green-purchased-kwh",
        type=float,
        default=0.0,
        help="green power (绿电) bought for the period, bundled with its GECs [kWh]",
    )
    g.add_argument(
        "--gec-held",
        type=int,
        default=0,
        metavar="N",
        help="unbundled GECs held, of the reporting year's vintage (1 GEC = 1,000 kWh)",
    )
    g.add_argument(
        "--gec-holdings",
        type=Path,
        default=None,
        metavar="FILE",
        help="GEC holdings CSV: count, vintage (YYYY or YYYY-MM), project_type",
    )
    g.add_argument(
        "--pv-owner",
        choices=PV_OWNERS,
        default="self",
        help="who owns the on-site PV (third_party: its GECs are the owner's; default self)",
    )
    g.add_argument(
        "--reporting-year",
        type=int,
        default=None,
        help="year the holdings are counted for (default: the year of the data's last interval)",
    )
    g.add_argument("--province", default=None, help="province (English, e.g. Chongqing)")
    g.add_argument("--industry", choices=INDUSTRIES, default=None, help="industry of the site")
    g.add_argument(
        "--gec-price-month",
        default=None,
        metavar="YYYY-MM",
        help="month of the GEC price (default: December of the reporting year)",
    )
    g.add_argument(
        "--gec-vintage",
        type=int,
        default=None,
        metavar="YYYY",
        help="vintage of the GECs to buy: the reporting year (default) or the year before",
    )


def green_kwargs(args: argparse.Namespace, data_year: int) -> dict[str, Any]:
    """Keyword arguments of :func:`analytics.analysis.analyze` for the green options."""
    lots: list[GecLot] = []
    if args.gec_holdings is not None:
        if not args.gec_holdings.is_file():
            raise InputError("import.file_not_found", file=str(args.gec_holdings))
        lots += read_gec_holdings(args.gec_holdings)
    if args.gec_held < 0:
        raise InputError("green.bad_gec_held", value=str(args.gec_held), expected="≥ 0")
    if args.gec_held:
        lots.append(GecLot(args.gec_held, args.reporting_year or data_year, "all"))
    return {
        "target_share": args.target_share,
        "factor_year": args.factor_year,
        "holdings": Holdings(
            green_purchased_kwh=args.green_purchased_kwh,
            gec_lots=tuple(lots),
            pv_owner=args.pv_owner,
            reporting_year=args.reporting_year,
        ),
        "province": args.province,
        "industry": args.industry,
        "gec_price_month": args.gec_price_month,
        "gec_vintage": args.gec_vintage,
    }
