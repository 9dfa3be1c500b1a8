"""Portfolio screening: many enterprises in one workspace, one screen row each.

- :mod:`~analytics.portfolio.store` — the workspace: one embedded DuckDB file holding
  enterprises, meters, intervals, production runs and provenance; every write in a transaction.
- :mod:`~analytics.portfolio.ingestion` — the manifest (one row per file, paths relative to it)
  and :func:`ingest`: idempotent, conflicts named, whole files committed.
- :mod:`~analytics.portfolio.rows` — the one row definition: an enterprise's stored series
  analysed by :func:`analytics.analysis.analyze`, shaped as the screen's columns.
- :mod:`~analytics.portfolio.local` and :mod:`~analytics.portfolio.spark` — two engines over
  that row definition (a process pool; ``groupBy().applyInPandas``); neither imports the other.
  :func:`screen` picks one; :func:`write_table` writes CSV/Parquet/XLSX, formulas neutralised.
- :mod:`~analytics.portfolio.setwise` — the set-wise execution of the row definition (batches
  of enterprises over a grid classified once per tariff; the local engine); identical rows.
- :mod:`~analytics.portfolio.fastpath` — plain long CSVs read by pyarrow, the importer's result.
- :mod:`~analytics.portfolio.progress` — done/total, rate and time left of a long run.
- :mod:`~analytics.portfolio.export` — the anonymised dataset (HMAC pseudonyms, k-anonymity).
- :mod:`~analytics.portfolio.synthetic` — a seeded synthetic portfolio in mixed export shapes.
- :mod:`~analytics.portfolio.benchmarking` — sales features over the screen table: 同比/环比
  trends from the monthly bills, 对标 percentiles within industry and province, leads ranked
  by a stated rule with a ``why`` of catalogue codes; :func:`export_parquet` writes the
  workspace as the partitioned Parquet a Spark cluster reads (:class:`ExportedWorkspace`).
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

#: Where each public name lives. Imported on first use (PEP 562): a pool worker that
#: needs only the importers does not load the screen, the benchmarking and SciPy
#: (≈ 0.4 s of start-up a spawned process).
_WHERE: dict[str, str] = {
    "COLUMNS": "analytics.portfolio.rows",
    "DEFAULT_WORKSPACE": "analytics.portfolio.store",
    "DICTIONARY": "analytics.portfolio.rows",
    "ENGINES": "analytics.portfolio.screening",
    "Enterprise": "analytics.portfolio.store",
    "EnterpriseInputs": "analytics.portfolio.rows",
    "Estimate": "analytics.portfolio.progress",
    "ExportedWorkspace": "analytics.portfolio.export",
    "FileOutcome": "analytics.portfolio.ingestion",
    "ManifestRow": "analytics.portfolio.ingestion",
    "ProgressClock": "analytics.portfolio.progress",
    "RULES": "analytics.portfolio.benchmarking",
    "Reason": "analytics.portfolio.benchmarking",
    "Workspace": "analytics.portfolio.store",
    "WorkspaceConflict": "analytics.portfolio.store",
    "analyse_enterprise": "analytics.portfolio.rows",
    "analyse_inputs": "analytics.portfolio.rows",
    "available_rules": "analytics.portfolio.benchmarking",
    "benchmarks": "analytics.portfolio.benchmarking",
    "clock_text": "analytics.portfolio.progress",
    "deltas": "analytics.portfolio.benchmarking",
    "dictionary_frame": "analytics.portfolio.rows",
    "export_dataset": "analytics.portfolio.export",
    "export_parquet": "analytics.portfolio.export",
    "fast_parse": "analytics.portfolio.fastpath",
    "finalize": "analytics.portfolio.rows",
    "generate": "analytics.portfolio.synthetic",
    "ingest": "analytics.portfolio.ingestion",
    "k_anonymise": "analytics.portfolio.export",
    "monthly_figures": "analytics.portfolio.benchmarking",
    "pseudonym": "analytics.portfolio.export",
    "rank_leads": "analytics.portfolio.benchmarking",
    "read_manifest": "analytics.portfolio.ingestion",
    "read_secret": "analytics.portfolio.export",
    "screen": "analytics.portfolio.screening",
    "screen_local": "analytics.portfolio.local",
    "screen_row": "analytics.portfolio.rows",
    "screen_setwise": "analytics.portfolio.setwise",
    "screen_spark": "analytics.portfolio.spark",
    "screen_spark_export": "analytics.portfolio.spark",
    "write_table": "analytics.portfolio.screening",
}

if TYPE_CHECKING:  # the names for type checkers and editors
    from analytics.portfolio.benchmarking import (
        RULES,
        Reason,
        available_rules,
        benchmarks,
        deltas,
        monthly_figures,
        rank_leads,
    )
    from analytics.portfolio.export import (
        ExportedWorkspace,
        export_dataset,
        export_parquet,
        k_anonymise,
        pseudonym,
        read_secret,
    )
    from analytics.portfolio.fastpath import fast_parse
    from analytics.portfolio.ingestion import FileOutcome, ManifestRow, ingest, read_manifest
    from analytics.portfolio.local import screen_local
    from analytics.portfolio.progress import Estimate, ProgressClock, clock_text
    from analytics.portfolio.rows import (
        COLUMNS,
        DICTIONARY,
        EnterpriseInputs,
        analyse_enterprise,
        analyse_inputs,
        dictionary_frame,
        finalize,
        screen_row,
    )
    from analytics.portfolio.screening import ENGINES, screen, write_table
    from analytics.portfolio.setwise import screen_setwise
    from analytics.portfolio.spark import screen_spark, screen_spark_export
    from analytics.portfolio.store import (
        DEFAULT_WORKSPACE,
        Enterprise,
        Workspace,
        WorkspaceConflict,
    )
    from analytics.portfolio.synthetic import generate

__all__ = [
    "COLUMNS",
    "DEFAULT_WORKSPACE",
    "DICTIONARY",
    "ENGINES",
    "Enterprise",
    "EnterpriseInputs",
    "Estimate",
    "ExportedWorkspace",
    "FileOutcome",
    "ManifestRow",
    "ProgressClock",
    "RULES",
    "Reason",
    "Workspace",
    "WorkspaceConflict",
    "analyse_enterprise",
    "analyse_inputs",
    "available_rules",
    "benchmarks",
    "clock_text",
    "deltas",
    "dictionary_frame",
    "export_dataset",
    "export_parquet",
    "fast_parse",
    "finalize",
    "generate",
    "ingest",
    "k_anonymise",
    "monthly_figures",
    "pseudonym",
    "rank_leads",
    "read_manifest",
    "read_secret",
    "screen",
    "screen_local",
    "screen_row",
    "screen_setwise",
    "screen_spark",
    "screen_spark_export",
    "write_table",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    if importlib.util.find_spec(f"{__name__}.{name}") is not None:  # a submodule
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))
