"""``analyze --prices FILE`` and ``--package FILE.toml``: the ``market`` and ``package`` sections.

The arguments are added by :func:`add_price_arguments`; :func:`read_price_inputs` reads the
files before the analysis (bad input: exit 2, one line); :func:`price_doc` prices the analysed
load with :func:`analytics.tou.compare_prices` — the function the Load & TOU page calls — and
returns the sections to add to the document.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from analytics.findings import InputError
from analytics.tou import (
    PriceSeries,
    RetailPackage,
    compare_prices,
    load_package,
    price_sections,
    read_series,
    series_prices,
    source_prices,
)


def add_price_arguments(a: argparse.ArgumentParser) -> None:
    """``--prices`` and ``--package`` on the ``analyze`` parser."""
    a.add_argument(
        "--prices",
        type=Path,
        default=None,
        help="price series (spot, day-ahead, contract) in CNY/kWh at interval start, "
        "15/30/60 min (CSV/XLSX): adds the `market` section",
    )
    a.add_argument(
        "--package",
        type=Path,
        default=None,
        help="retail package (TOML: reference, linked_share, linked_series, adder_cny_per_kwh): "
        "adds the `package` section",
    )


@dataclass(frozen=True)
class PriceInputs:
    series: PriceSeries | None = None
    package: RetailPackage | None = None

    def shift_prices(self, frame: Any):
        """``periods -> (price per interval, kind)`` for the load shift, or None (TOU)."""
        if self.series is None and self.package is None:
            return None
        return partial(source_prices, frame, series=self.series, package=self.package)


def read_price_inputs(args: argparse.Namespace, frame: Any) -> PriceInputs:
    """Read ``--prices`` / ``--package`` and check that every series covers the load
    ``frame`` before the analysis runs (raises ``InputError``: ``prices.not_covering`` …)."""
    series = package = None
    prices: Path | None = getattr(args, "prices", None)
    pkg: Path | None = getattr(args, "package", None)
    if prices is not None:
        if not prices.is_file():
            raise InputError("import.file_not_found", file=str(prices))
        series = read_series(prices, file_name=prices.name, tz=args.tz)
    if pkg is not None:
        if not pkg.is_file():
            raise InputError("import.file_not_found", file=str(pkg))
        package = load_package(pkg, tz=args.tz)
    kwh = frame["kwh"].to_numpy(dtype=float)
    for s in (series, *((package.linked, package.reference) if package else ())):
        if s is not None:
            series_prices(frame.index, kwh, s)
    return PriceInputs(series=series, package=package)


def price_doc(inputs: PriceInputs, analysis: Any) -> dict[str, Any]:
    """The ``market`` / ``package`` sections for the analysed load (none without inputs)."""
    if inputs.series is None and inputs.package is None:
        return {}
    compared = compare_prices(
        analysis.frame,
        analysis.periods,
        analysis.bill,
        series=inputs.series,
        package=inputs.package,
    )
    return price_sections(compared)
