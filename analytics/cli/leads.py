"""``portfolio leads``, ``portfolio export-parquet`` and ``portfolio screen --from-parquet``.

* ``portfolio export-parquet --workspace WS --out DIR`` — the workspace as partitioned Parquet
  (:func:`analytics.portfolio.export_parquet`) for a Spark cluster (put DIR on storage every
  node sees).
* ``portfolio screen --engine spark --master spark://HOST:7077 --from-parquet DIR --out F`` —
  the Spark engine on that export (no workspace file needed).
* ``portfolio leads --workspace WS --rule certificate_need|valley_shift|cbam_exposure --out F``
  — the screen ranked by the rule (:func:`analytics.portfolio.rank_leads`), with the 对标
  percentiles, the 同比/环比 trends of the monthly bills and ``why`` as text in ``--lang``.

Exit status 0 ok, 2 bad input (one line on stderr), as the other portfolio commands.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analytics.findings import InputError
from analytics.portfolio import (
    RULES,
    deltas,
    export_parquet,
    monthly_figures,
    rank_leads,
    screen_spark_export,
    write_table,
)
from analytics.portfolio.benchmarking import MIN_GROUP
from ui.render.leads import leads_table

COMMANDS = frozenset({"leads", "export-parquet"})


def add_leads_parsers(
    sub: Any,
    common: Callable[[argparse.ArgumentParser], None],
    screening: Callable[[argparse.ArgumentParser], None],
    screen_parser: argparse.ArgumentParser,
) -> None:
    """Register ``leads`` and ``export-parquet``; add ``--from-parquet`` to ``screen``."""
    screen_parser.add_argument(
        "--from-parquet",
        type=Path,
        default=None,
        metavar="DIR",
        help="spark engine: screen this Parquet export (portfolio export-parquet) instead "
        "of the workspace",
    )
    screen_parser.add_argument(
        "--spark-conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a Spark setting for --from-parquet (repeatable), e.g. spark.executor.memory=4g",
    )
    x = sub.add_parser("export-parquet", help="the workspace as partitioned Parquet for Spark")
    common(x)
    x.add_argument("--out", type=Path, required=True, help="output directory (empty or new)")
    le = sub.add_parser("leads", help="rank the screen by a rule, with benchmarks and why")
    common(le)
    le.add_argument("--rule", choices=tuple(RULES), required=True, help="ranking rule")
    le.add_argument("--out", type=Path, required=True, help="output .csv, .parquet or .xlsx")
    le.add_argument(
        "--min-group",
        type=int,
        default=MIN_GROUP,
        help=f"fewest peers with a value for a percentile (default {MIN_GROUP})",
    )
    le.add_argument(
        "--no-trends", action="store_true", help="skip the monthly bills (同比/环比 columns)"
    )
    screening(le)


def wants(args: argparse.Namespace) -> bool:
    """Whether :func:`run_leads` handles this command line."""
    return args.portfolio_command in COMMANDS or (
        args.portfolio_command == "screen" and args.from_parquet is not None
    )


def run_leads(args: argparse.Namespace, screen_fn: Callable[[argparse.Namespace], Any]) -> int:
    """Run the command; raises ``InputError`` for bad input (the caller prints it)."""
    t0 = time.monotonic()
    if args.portfolio_command == "screen":
        if args.engine != "spark":
            raise InputError("portfolio.bad_engine", value=args.engine, expected="spark")
        table = screen_spark_export(
            args.from_parquet,
            target_share=args.target_share,
            master=args.master,
            conf=_conf(args.spark_conf),
        )
        out = write_table(table, args.out)
        print(f"{len(table)} enterprises screened (spark, {_s(t0)}) -> {out}", file=sys.stderr)
        return 0
    if not args.workspace.is_file():
        raise InputError("workspace.not_found", file=str(args.workspace))
    if args.portfolio_command == "export-parquet":
        doc = export_parquet(args.workspace, args.out)
        rows = doc["rows"]
        print(
            f"{rows['enterprises']} enterprises, {rows['intervals']} intervals, years "
            f"{doc['years']} -> {args.out} ({_s(t0)})",
            file=sys.stderr,
        )
        return 0
    table = screen_fn(args)
    trends = None if args.no_trends else deltas(monthly_figures(args.workspace))
    leads = rank_leads(table, args.rule, trends=trends, min_group=args.min_group)
    out = write_table(leads_table(leads, args.lang), args.out)
    print(
        f"{int(leads['rank'].notna().sum())} of {len(leads)} enterprises ranked by "
        f"{args.rule} ({_s(t0)}) -> {out}",
        file=sys.stderr,
    )
    return 0


def _s(t0: float) -> str:
    return f"{time.monotonic() - t0:.1f} s"


def _conf(pairs: list[str]) -> dict[str, str]:
    conf = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError("portfolio.bad_spark_conf", value=pair, expected="KEY=VALUE")
        conf[key.strip()] = value.strip()
    return conf
