"""``screen``: choose an engine (local or Spark) and write the screen table.

Both engines run the one row definition of :mod:`analytics.portfolio.rows`; neither imports
the other. ``local`` is the set-wise execution (:mod:`analytics.portfolio.setwise`: batches of
enterprises as matrices, every column equal to the per-enterprise
:func:`analytics.portfolio.local.screen_local`, which stays the reference). :func:`write_table` writes CSV, Parquet or XLSX under the one spreadsheet-safety
rule of :mod:`analytics.sheets`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analytics.findings import InputError
from analytics.portfolio.setwise import screen_setwise
from analytics.portfolio.spark import screen_spark
from analytics.sheets import neutralise, write_csv, write_xlsx

ENGINES: tuple[str, ...] = ("local", "spark")


def screen(
    workspace: str | Path,
    *,
    engine: str = "local",
    target_share: float = 0.3,
    master: str = "local[*]",
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """The screen table (:data:`COLUMNS`) of every enterprise in the workspace."""
    if not 0.0 <= target_share <= 1.0:
        raise InputError("portfolio.bad_target_share", value=target_share, expected="0–1")
    if engine == "local":  # set-wise; the per-enterprise execution is ``screen_local``
        return screen_setwise(
            workspace, target_share=target_share, workers=workers, progress=progress
        )
    if engine == "spark":
        return screen_spark(workspace, target_share=target_share, master=master)
    raise InputError("portfolio.bad_engine", value=engine, expected="local or spark")


def write_table(table: pd.DataFrame, out: str | Path) -> Path:
    """Write the table as CSV (UTF-8 with BOM), Parquet or XLSX by the file's suffix.

    Every text cell and column name follows :mod:`analytics.sheets` in every format (line
    breaks become a space, a formula start gets a leading ``'``; CSV text cells are quoted):
    a Parquet file is often turned into a spreadsheet downstream, so it carries the same text.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet", ".xlsx"):
        raise InputError("portfolio.bad_output", file=out.name, expected=".csv, .parquet or .xlsx")
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".parquet":
        neutralise(table).to_parquet(out, index=False)
    elif suffix == ".csv":
        write_csv(table, out)
    else:
        write_xlsx(table, out, sheet="portfolio")
    return out
