"""``python -m analytics portfolio ingest|screen|export``: argv → library → files.

Exit status: ``ingest`` 0 when every file imported (ok, unchanged, replaced or with
warnings), 1 when some failed (error or conflict), 2 when the manifest (or the workspace)
is unusable; ``screen`` and ``export`` 0 ok, 2 bad input. Errors are one line on stderr
rendered from the catalogue (:func:`analytics.cli.error_line`), never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from analytics.cli.errors import error_line
from analytics.cli.leads import add_leads_parsers, run_leads, wants
from analytics.findings import InputError
from analytics.portfolio import (
    DEFAULT_WORKSPACE,
    ProgressClock,
    Workspace,
    clock_text,
    export_dataset,
    ingest,
    read_secret,
    screen,
    write_table,
)


def add_portfolio_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``portfolio`` and its subcommands on the main parser's subparsers."""
    p = subparsers.add_parser(
        "portfolio", help="many enterprises: workspace ingest, screen, export"
    )
    sub = p.add_subparsers(dest="portfolio_command", required=True)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--workspace",
            type=Path,
            default=DEFAULT_WORKSPACE,
            help=f"workspace DuckDB file (default ./{DEFAULT_WORKSPACE})",
        )
        sp.add_argument(
            "--lang", choices=("en", "zh-CN"), default="en", help="language of messages"
        )

    def screening(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "--engine",
            choices=("local", "spark"),
            default="local",
            help="local: DuckDB + process pool (default); spark: PySpark applyInPandas",
        )
        sp.add_argument(
            "--master",
            default="local[*]",
            help="Spark master URL (default local[*]; e.g. spark://host:7077)",
        )
        sp.add_argument(
            "--target-share",
            type=float,
            default=0.3,
            help="renewable-share target T, 0–1 (default 0.3)",
        )
        sp.add_argument(
            "--workers",
            type=int,
            default=None,
            help="local engine: worker processes (default: every core)",
        )

    i = sub.add_parser("ingest", help="import the files listed in a manifest CSV")
    i.add_argument(
        "manifest",
        type=Path,
        help="manifest CSV (enterprise_id, enterprise_name, "
        "province, industry, kind, path; optional tariff, tz, labels, pv_kwp)",
    )
    common(i)
    i.add_argument(
        "--replace",
        action="store_true",
        help="overwrite stored intervals that differ (default: report a conflict)",
    )
    i.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes reading files (default: every core)",
    )

    s = sub.add_parser("screen", help="one row per enterprise to CSV, Parquet or XLSX")
    common(s)
    s.add_argument("--out", type=Path, required=True, help="output .csv, .parquet or .xlsx")
    screening(s)

    e = sub.add_parser("export", help="the dataset: table, data dictionary, provenance")
    common(e)
    e.add_argument("--out", type=Path, required=True, help="output directory")
    e.add_argument(
        "--anonymise",
        action="store_true",
        help="keyed pseudonyms, no names, k-anonymous groups, rounded figures",
    )
    e.add_argument(
        "--secret-file",
        type=Path,
        default=None,
        help="file holding the secret key of the pseudonyms (≥ 16 bytes)",
    )
    e.add_argument(
        "--k", type=int, default=5, help="smallest published province × industry group (default 5)"
    )
    screening(e)
    add_leads_parsers(sub, common, screening, s)
    return p


class Progress:
    """The progress line on stderr: done/total, rate and the estimated time left.

    On a terminal one line is redrawn in place; otherwise (a log, a pipe) a plain line at
    most every :attr:`every_s` seconds, and a last one if any was written. Never on stdout.
    """

    every_s = 10.0

    def __init__(
        self, label: str, stream: TextIO | None = None, clock: ProgressClock | None = None
    ) -> None:
        self.stream = stream or sys.stderr
        self.label = label
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.clock = clock or ProgressClock()
        self.last = 0.0
        self.lines = 0

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        est = self.clock(done, total)
        rate = "" if est.rate_per_s is None else f" {est.rate_per_s:.1f}/s"
        text = f"{self.label} {done}/{total} ({est.share:.0%}){rate} ETA {clock_text(est.eta_s)}"
        if self.tty:
            width = 30
            filled = int(width * est.share)
            self.stream.write(
                f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                + text[len(self.label) + 1 :]
            )
            if done >= total:
                self.stream.write("\n")
        elif est.elapsed_s - self.last >= self.every_s or (done >= total and self.lines):
            self.last = est.elapsed_s
            self.lines += 1
            self.stream.write(text + "\n")
        self.stream.flush()


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*map(str, r)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def _ingest(args: argparse.Namespace, err_line: Callable[[InputError], str]) -> int:
    outcomes = ingest(
        args.manifest,
        args.workspace,
        replace=args.replace,
        workers=args.workers,
        progress=Progress("ingest"),
    )
    rows = []
    for o in outcomes:
        if o.error is not None:
            message = err_line(o.error)
        elif o.warning_codes:
            message = ", ".join(dict.fromkeys(o.warning_codes))
        else:
            message = ""
        rows.append([o.row, o.enterprise_id, o.kind, o.file_name, o.status, o.new, message])
    print(
        _table(rows, ["row", "enterprise_id", "kind", "file", "status", "new_intervals", "message"])
    )
    failed = sum(o.failed for o in outcomes)
    print(f"{len(outcomes)} files: {len(outcomes) - failed} imported, {failed} failed")
    return 1 if failed else 0


def _screen(args: argparse.Namespace) -> Any:
    return screen(
        args.workspace,
        engine=args.engine,
        target_share=args.target_share,
        master=args.master,
        workers=args.workers,
        progress=Progress("screen"),
    )


def run_portfolio(args: argparse.Namespace) -> int:
    """Dispatch ``portfolio <command>``; returns the exit status."""

    lang = getattr(args, "lang", "en")

    def err_line(err: InputError) -> str:
        return error_line(err, lang)

    try:
        if args.portfolio_command == "ingest":
            return _ingest(args, err_line)
        if wants(args):
            return run_leads(args, _screen)
        if not args.workspace.is_file():
            raise InputError("workspace.not_found", file=str(args.workspace))
        if args.portfolio_command == "screen":
            t0 = time.monotonic()
            table = _screen(args)
            out = write_table(table, args.out)
            print(
                f"{len(table)} enterprises screened ({args.engine}, "
                f"{time.monotonic() - t0:.1f} s) -> {out}",
                file=sys.stderr,
            )
            return 0
        if args.portfolio_command == "export":
            if args.anonymise and args.secret_file is None:
                raise InputError("portfolio.secret_required", expected="--secret-file KEY")
            secret = read_secret(args.secret_file) if args.anonymise else None
            table = _screen(args)
            with Workspace(args.workspace, read_only=True) as ws:
                prov = ws.provenance()
            tariffs = sorted({t for v in table["tariff"].dropna() for t in str(v).split("+")})
            doc = export_dataset(
                table,
                prov,
                args.out,
                anonymise=args.anonymise,
                secret=secret,
                k=args.k,
                engine=args.engine,
                target_share=args.target_share,
                tariffs=tariffs,
            )
            anon = doc.get("anonymisation")
            extra = (
                f", {anon['rows_published']} published, {anon['rows_suppressed']} suppressed"
                if anon
                else ""
            )
            print(f"{len(table)} enterprises{extra} -> {args.out}", file=sys.stderr)
            return 0
    except InputError as err:
        print(f"error: {err_line(err)}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"error: {' '.join(str(err).split())}", file=sys.stderr)
        return 2
    return 2
