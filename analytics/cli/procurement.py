"""The ``analyze`` options of the green plan (procurement, hourly target, CBAM) and its JSON.

``--hourly-target`` (0–1), ``--roof-limit-kwp`` (additional rooftop PV), ``--cbam-goods`` with
``--goods-t``; ``--industry`` is read when another option group defines it (Scope-2 ETS label).
The sections come from :func:`analytics.green.plan.plan_sections`, the function the Green page
calls too.
"""

from __future__ import annotations

import argparse
from typing import Any

from analytics.findings import InputError
from analytics.green.cbam import goods_list
from analytics.green.plan import PlanOptions, green_plan, plan_sections
from analytics.green.pv import cities


def add_procurement_arguments(parser: argparse.ArgumentParser) -> None:
    """The option group of the green plan on the ``analyze`` parser."""
    g = parser.add_argument_group("green procurement and CBAM (green.procurement, cbam)")
    g.add_argument(
        "--hourly-target",
        type=float,
        default=None,
        help="hourly-matched share to reach with physical instruments only, 0–1",
    )
    g.add_argument(
        "--roof-limit-kwp",
        type=float,
        default=None,
        help="additional rooftop PV the roof can take [kWp] (default: illustrative 1,000)",
    )
    g.add_argument(
        "--cbam-goods",
        choices=goods_list(),
        default=None,
        help="EU CBAM goods exported: adds the cbam section (needs --goods-t)",
    )
    g.add_argument(
        "--goods-t", type=float, default=None, help="goods made over the data period [t]"
    )


def plan_options(args: argparse.Namespace) -> PlanOptions:
    """Plan options from the arguments; the site of new PV is --lat/--lon or Wuxi."""
    if args.cbam_goods is not None and args.goods_t is None:
        raise InputError("cbam.bad_goods_t", expected="--goods-t T with --cbam-goods", value="")
    lat, lon = getattr(args, "lat", None), getattr(args, "lon", None)
    city = "wuxi"
    if lat is not None and lon is not None:
        city = min(cities().values(), key=lambda c: (c.lat - lat) ** 2 + (c.lon - lon) ** 2).key
    else:
        lat = lon = None
    return PlanOptions(
        hourly_target=args.hourly_target,
        roof_limit_kwp=args.roof_limit_kwp,
        city=city,
        lat=lat,
        lon=lon,
        industry=getattr(args, "industry", None),
        cbam_goods=args.cbam_goods,
        goods_t=args.goods_t,
    )


def add_plan(doc: dict[str, Any], args: argparse.Namespace, analysis: Any) -> None:
    """Merge the plan's sections into the analysis document ``doc`` (in place)."""
    sections = plan_sections(green_plan(analysis.green, analysis.periods, plan_options(args)))
    doc["green"].update(sections["green"])
    if "cbam" in sections:
        doc["cbam"] = sections["cbam"]
