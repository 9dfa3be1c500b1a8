"""The bill arguments of ``analyze`` and the JSON sections they add.

``--bills FILE`` (the ``bill_check`` section), ``--bill-kwh-tolerance``,
``--bill-cny-tolerance``, ``--bill-calibrate``; ``--pf-standard`` and ``--pf-leading`` (the
``power_factor`` section, present whenever the load file has reactive energy);
``--contracted-kva`` (already an ``analyze`` argument) adds ``tou.basic_charge_choice``. The
sections come from :func:`analytics.tou.bills.bill_sections`, the function the Load & TOU
page calls.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from analytics.analysis import Renderer, warning_entries
from analytics.findings import InputError
from analytics.iotools.bills import Bills, read_bills
from analytics.tou.bills import BillOptions, BillSections, bill_sections
from analytics.tou.power_factor import LEADING_MODES, STANDARDS


def add_bill_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the bill, power-factor and tolerance arguments to the ``analyze`` parser."""
    g = parser.add_argument_group("bills, power factor (力调) and the basic-charge choice")
    g.add_argument(
        "--bills",
        type=Path,
        default=None,
        help="monthly bills (CSV/XLSX: month, energy_kwh, optional per-period kWh, demand_kw, "
        "total_cny) to reconcile with the computed bill",
    )
    g.add_argument(
        "--bill-kwh-tolerance",
        type=float,
        default=0.02,
        help="flag a month whose billed kWh differs by more than this share (default 0.02)",
    )
    g.add_argument(
        "--bill-cny-tolerance",
        type=float,
        default=0.05,
        help="flag a month whose billed CNY differs by more than this share (default 0.05)",
    )
    g.add_argument(
        "--bill-calibrate",
        action="store_true",
        help="apply the calibrated energy price level (from the bills) to the computed total",
    )
    g.add_argument(
        "--pf-standard",
        type=float,
        choices=STANDARDS,
        default=None,
        help="power-factor standard of the 力调 table: 0.9 (default), 0.85 or 0.8",
    )
    g.add_argument(
        "--pf-leading",
        choices=LEADING_MODES,
        default="ignore",
        help="leading reactive energy: ignore (the rule's anti-reverse meter; default) or add",
    )


def bill_options(args: argparse.Namespace) -> BillOptions:
    """:class:`BillOptions` from the ``analyze`` arguments."""
    return BillOptions(
        pf_standard=0.90 if args.pf_standard is None else args.pf_standard,
        pf_leading=args.pf_leading,
        contracted_kva=args.contracted_kva,
        kwh_tolerance=args.bill_kwh_tolerance,
        cny_tolerance=args.bill_cny_tolerance,
        calibrate=args.bill_calibrate,
        pf_requested=args.pf_standard is not None,
    )


def read_bill_file(args: argparse.Namespace) -> Bills | None:
    """The ``--bills`` file, read strictly (``InputError`` names file, row and column)."""
    if args.bills is None:
        return None
    if not args.bills.is_file():
        raise InputError("import.file_not_found", file=str(args.bills))
    return read_bills(args.bills, file_name=args.bills.name)[0]


def add_bill_sections(
    doc: dict[str, Any], analysis: Any, args: argparse.Namespace, render: Renderer
) -> BillSections:
    """Add ``power_factor``, ``bill_check`` and ``tou.basic_charge_choice`` to ``doc`` (and
    their warnings to ``data.warnings``); returns the sections."""
    options = bill_options(args)
    options.check()
    sections = bill_sections(
        analysis.frame,
        analysis.bill,
        analysis.periods,
        options=options,
        bills=read_bill_file(args),
    )
    if sections.basic_charge_choice is not None:
        doc["tou"]["basic_charge_choice"] = sections.basic_charge_choice
    if sections.power_factor is not None:
        doc["power_factor"] = sections.power_factor
    if sections.bill_check is not None:
        doc["bill_check"] = sections.bill_check
    doc["data"]["warnings"] += warning_entries(sections.warnings, render)
    return sections
