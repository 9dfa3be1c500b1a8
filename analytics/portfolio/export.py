"""The dataset product: the screen table as a publishable, documented dataset.

``export_dataset(table, …)`` writes into a directory:

* ``portfolio.csv`` — the table. Full mode: every column of :data:`analytics.portfolio.COLUMNS`
  as computed. Anonymised mode: ``enterprise_id`` replaced by ``pseudonym`` =
  the first 16 hex digits of HMAC-SHA256(secret, enterprise_id) (a keyed pseudonym: without
  the secret it cannot be recomputed from a list of ids, unlike a bare hash); names are never
  in the table; province × industry groups with fewer than ``k`` enterprises are generalised
  — first the industry becomes ``*`` within the province, then the province becomes ``*`` —
  and rows still in a group smaller than ``k`` are suppressed (every step counted in the
  provenance); figures rounded to the precision in the dictionary's ``anonymised_precision``.
* ``data_dictionary.csv`` — column, unit, definition, source (the analysis JSON key),
  anonymised_precision.

Both CSVs are written by :func:`analytics.sheets.write_csv` (UTF-8 with BOM; every text cell
quoted, line breaks inside a cell replaced by a space, a formula start prefixed with ``'``).
* ``provenance.json`` — software version, time, engine, target share, the tariff and grid
  factor versions used, the input files' sha256s (full mode: with file names and enterprise
  ids; anonymised mode: sha256s only, sorted), and the anonymisation counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analytics import __version__
from analytics.findings import InputError
from analytics.green import grid_factors
from analytics.portfolio.rows import DICTIONARY, dictionary_frame
from analytics.portfolio.store import SCHEMA_VERSION, Workspace
from analytics.sheets import write_csv

PSEUDONYM_HEX = 16
MIN_SECRET_BYTES = 16
GROUP_KEYS = ("province", "industry")
ANY = "*"


def pseudonym(enterprise_id: str, secret: bytes) -> str:
    """Keyed pseudonym: ``P`` + first 16 hex digits of HMAC-SHA256(secret, id)."""
    mac = hmac.new(secret, enterprise_id.encode("utf-8"), hashlib.sha256).hexdigest()
    return "P" + mac[:PSEUDONYM_HEX]


def read_secret(path: str | Path) -> bytes:
    """The user's secret key file (trailing newline stripped; at least 16 bytes)."""
    p = Path(path)
    if not p.is_file():
        raise InputError("portfolio.secret_not_found", file=str(p))
    secret = p.read_bytes().rstrip(b"\r\n")
    if len(secret) < MIN_SECRET_BYTES:
        raise InputError(
            "portfolio.weak_secret", file=p.name, expected=f"≥ {MIN_SECRET_BYTES} bytes"
        )
    return secret


@dataclass
class Anonymised:
    table: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)


def k_anonymise(table: pd.DataFrame, k: int) -> Anonymised:
    """Generalise then suppress so that every published province × industry group has ≥ k rows.

    Step 1: rows in a (province, industry) group smaller than ``k`` get industry ``*``.
    Step 2: rows in a (province, ``*``) group still smaller than ``k`` get province ``*``.
    Step 3: rows in a group still smaller than ``k`` (only (``*``, ``*``) can be) are removed.
    """
    df = table.copy()
    for c in GROUP_KEYS:
        df[c] = df[c].fillna("").astype(str).replace("", "unknown")
    size = df.groupby(list(GROUP_KEYS))[GROUP_KEYS[0]].transform("size")
    small = size < k
    df.loc[small, "industry"] = ANY
    merged_industry = int(small.sum())
    size = df.groupby(list(GROUP_KEYS))[GROUP_KEYS[0]].transform("size")
    small = (size < k) & (df["industry"] == ANY)
    df.loc[small, "province"] = ANY
    merged_province = int(small.sum())
    size = df.groupby(list(GROUP_KEYS))[GROUP_KEYS[0]].transform("size")
    drop = size < k
    out = df.loc[~drop].reset_index(drop=True)
    groups = out.groupby(list(GROUP_KEYS)).size()
    return Anonymised(
        out,
        {
            "rows_in": len(table),
            "rows_published": len(out),
            "rows_generalised_industry": merged_industry,
            "rows_generalised_province": merged_province,
            "rows_suppressed": int(drop.sum()),
            "groups_published": len(groups),
            "smallest_group": int(groups.min()) if len(groups) else 0,
        },
    )


def round_figures(table: pd.DataFrame) -> pd.DataFrame:
    """Round each figure to the dictionary's anonymised precision."""
    out = table.copy()
    for col, _unit, _def, _src, decimals in DICTIONARY:
        if decimals is not None and col in out and pd.api.types.is_numeric_dtype(out[col]):
            if str(out[col].dtype) == "Int64":
                continue
            out[col] = out[col].round(decimals)
    return out


def _sha_sorted(prov: pd.DataFrame) -> list[str]:
    return sorted(set(prov["sha256"].tolist()))


def export_dataset(
    table: pd.DataFrame,
    provenance: pd.DataFrame,
    out_dir: str | Path,
    *,
    anonymise: bool = False,
    secret: bytes | None = None,
    k: int = 5,
    engine: str = "local",
    target_share: float = 0.3,
    tariffs: list[str] | None = None,
) -> dict[str, Any]:
    """Write the dataset (see the module docstring); return the provenance document.

    ``table`` is a screen table (:func:`analytics.portfolio.screening`), ``provenance`` the
    workspace's provenance rows (:meth:`Workspace.provenance`).
    """

    if k < 1:
        raise InputError("portfolio.bad_k", value=k, expected="k ≥ 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    doc: dict[str, Any] = {
        "dataset": "greentemp.portfolio/1",
        "software": {"name": "greentemp", "version": __version__},
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "target_share": target_share,
        "enterprises": int(len(table)),
        "tariff_versions": sorted(set(tariffs or [])),
        "grid_factors": sorted(
            {
                f"{f.series or 'MEE/NBS'} {f.year} {f.region} {f.kind}: {f.document}"
                for f in grid_factors()
            }
        ),
        "analysis_schema": "greentemp.analysis/1",
        "anonymised": anonymise,
    }
    if anonymise:
        if secret is None:
            raise InputError("portfolio.secret_required", expected="--secret-file KEY")
        pub = table.copy()
        pub.insert(0, "pseudonym", [pseudonym(str(e), secret) for e in pub["enterprise_id"]])
        pub = pub.drop(columns=["enterprise_id"])
        anon = k_anonymise(pub, k)
        pub = round_figures(anon.table).sort_values("pseudonym").reset_index(drop=True)
        doc.update(
            k=k,
            pseudonym="P + first 16 hex of HMAC-SHA256(user secret, enterprise_id)",
            anonymisation=anon.counts,
            inputs={"files": int(len(provenance)), "sha256": _sha_sorted(provenance)},
        )
        dictionary = dictionary_frame()
        dictionary.loc[
            dictionary["column"] == "enterprise_id", ["column", "definition", "source"]
        ] = [
            "pseudonym",
            "keyed pseudonym of the enterprise (HMAC-SHA256 with the publisher's "
            "secret, first 16 hex digits)",
            "derived",
        ]
    else:
        pub = table
        doc["inputs"] = {
            "files": int(len(provenance)),
            "list": [
                {
                    "enterprise_id": r.enterprise_id,
                    "kind": r.kind,
                    "file_name": r.file_name,
                    "sha256": r.sha256,
                    "imported_at": pd.Timestamp(r.imported_at).isoformat(),
                }
                for r in provenance.itertuples()
            ],
        }
        dictionary = dictionary_frame()
    write_csv(pub, out / "portfolio.csv")  # both CSVs under the rule of analytics.sheets
    write_csv(dictionary, out / "data_dictionary.csv")
    (out / "provenance.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return doc


# --------------------------------------------------------------------------- Parquet export
#: The workspace tables (besides the intervals) copied as they are into a Parquet export.
PARQUET_TABLES: tuple[str, ...] = ("enterprises", "meters", "provenance", "production_runs")
PARQUET_FORMAT = "greentemp.parquet/1"
PARQUET_INDEX = "export.json"


def export_parquet(workspace: str | Path, out_dir: str | Path) -> dict[str, Any]:
    """The workspace as a Parquet dataset a Spark cluster (or DuckDB) reads without the
    workspace file; returns the index document (also written to ``export.json``).

    Layout of ``out_dir``:

    * ``intervals/year=YYYY/*.parquet`` — hive-partitioned by the calendar year of the
      interval start in the enterprise's site time zone; columns ``enterprise_id``, ``kind``
      (``load`` | ``pv``), ``us`` (epoch microseconds of the interval **start**, UTC, so no time
      zone is applied by the reader) and ``kwh`` [kWh]; the main meter only, rows ordered by
      enterprise, kind and start. An enterprise's years lie in several partitions: a reader
      groups by ``enterprise_id``.
    * ``enterprises.parquet``, ``meters.parquet``, ``provenance.parquet``,
      ``production_runs.parquet`` — those workspace tables unchanged (timestamps UTC).
    * ``export.json`` — ``format`` (``greentemp.parquet/1``), the workspace schema version and
      row counts.

    ``out_dir`` must be absent, empty or a previous export (which is replaced); anything else
    is refused (``portfolio.parquet_dir_not_empty``) so no user file is overwritten.
    """
    out = Path(out_dir)
    _prepare_parquet_dir(out)
    with Workspace(workspace, read_only=True) as ws:
        con = ws.con
        con.execute(
            "COPY (SELECT i.enterprise_id, i.kind, epoch_us(i.interval_start) AS us, i.kwh, "
            "year(timezone(e.tz, i.interval_start)) AS year FROM intervals i "
            "JOIN enterprises e USING (enterprise_id) WHERE i.meter_id = 'main' "
            "ORDER BY i.enterprise_id, i.kind, i.interval_start) "
            f"TO '{_sql_path(out / 'intervals')}' (FORMAT parquet, PARTITION_BY (year))"
        )
        for table in PARQUET_TABLES:
            con.execute(
                f"COPY (SELECT * FROM {table} ORDER BY ALL) "
                f"TO '{_sql_path(out / (table + '.parquet'))}' (FORMAT parquet)"
            )
        counts = ws.counts()
        years = [
            int(r[0])
            for r in con.execute(
                "SELECT DISTINCT year(timezone(e.tz, i.interval_start)) FROM intervals i "
                "JOIN enterprises e USING (enterprise_id) ORDER BY 1"
            ).fetchall()
        ]
    doc = {
        "format": PARQUET_FORMAT,
        "workspace_schema_version": SCHEMA_VERSION,
        "software": {"name": "greentemp", "version": __version__},
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "partitioning": "intervals/year=YYYY (site-local calendar year of the interval start)",
        "years": years,
        "rows": counts,
    }
    (out / PARQUET_INDEX).write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return doc


def _sql_path(path: Path) -> str:
    """A path as a DuckDB string literal body (quotes doubled)."""
    return path.as_posix().replace("'", "''")


def _prepare_parquet_dir(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError("portfolio.parquet_dir_not_empty", file=str(out))
    if out.is_dir() and any(out.iterdir()):
        if not (out / PARQUET_INDEX).is_file():
            raise InputError("portfolio.parquet_dir_not_empty", file=str(out))
        shutil.rmtree(out / "intervals", ignore_errors=True)
        for name in (PARQUET_INDEX, *(t + ".parquet" for t in PARQUET_TABLES)):
            (out / name).unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)


class ExportedWorkspace(Workspace):
    """A Parquet export (:func:`export_parquet`) read as a read-only workspace.

    An in-memory DuckDB holds views named like the workspace tables over the export's files
    (``intervals`` rebuilt with ``meter_id = 'main'`` and ``interval_start`` from ``us``), so
    every read method of :class:`Workspace` works unchanged and nothing reads the workspace
    file. Raises ``portfolio.not_a_parquet_export`` when ``export.json`` is missing or of
    another format.
    """

    def __init__(self, path: str | Path) -> None:
        root = Path(path)
        index = root / PARQUET_INDEX
        try:
            doc = json.loads(index.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            doc = {}
        if doc.get("format") != PARQUET_FORMAT:
            raise InputError(
                "portfolio.not_a_parquet_export", file=str(root), expected=PARQUET_FORMAT
            )
        self.path = root
        self.index = doc
        self.con = duckdb.connect(":memory:")
        self.con.execute("SET TimeZone = 'UTC'")
        self._depth = 0
        self._pending = None
        self._pending_keys = set()
        self._pending_enterprises, self._pending_provenance = [], []
        self._meters = self._ents = self._files = self._sid_next = None
        for table in PARQUET_TABLES:
            self.con.execute(
                f"CREATE VIEW {table} AS SELECT * FROM "
                f"read_parquet('{_sql_path(root / (table + '.parquet'))}')"
            )
        glob = _sql_path(root / "intervals" / "**" / "*.parquet")
        has_intervals = any((root / "intervals").glob("**/*.parquet"))
        source = (
            f"read_parquet('{glob}', hive_partitioning = true)"
            if has_intervals
            else "(SELECT ''::VARCHAR AS enterprise_id, ''::VARCHAR AS kind, 0::BIGINT AS us, "
            "0.0::DOUBLE AS kwh WHERE false)"
        )
        self.con.execute(
            "CREATE VIEW intervals AS SELECT enterprise_id, 'main' AS meter_id, kind, "
            f"make_timestamptz(us) AS interval_start, kwh FROM {source}"
        )
        # the workspace's own layout (schema 2) for the readers that scan by series id
        self.con.execute(
            "CREATE VIEW interval_data AS SELECT m.series_id, i.interval_start, i.kwh "
            "FROM intervals i JOIN meters m USING (enterprise_id, meter_id, kind)"
        )
