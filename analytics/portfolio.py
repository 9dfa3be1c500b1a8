"""Portfolio screening: many enterprises from a workspace, one row each.

* :func:`read_manifest` / :func:`ingest` — batch import of meter exports listed in a
  manifest CSV into a :class:`analytics.workspace.Workspace`.
* :func:`analyse_enterprise` — **the** per-enterprise function: the stored frames through
  :func:`analytics.analysis.analyze` and :func:`analytics.analysis.to_json`, exactly as the
  single-enterprise CLI ``analyze`` computes them; :func:`screen_row` picks the indicators.
* :func:`screen` — every enterprise, on the ``local`` engine (DuckDB scans and a process
  pool over the cores, enterprises streamed in batches) or on ``spark``
  (:mod:`analytics.portfolio_spark`). Both call :func:`analyse_inputs`.

Screen columns (:data:`COLUMNS`; units and sources in :data:`DICTIONARY`): the indicators
carry the name of the analysis JSON key they come from. Derived ones:
``peak_sharp_energy_share`` = (tou.energy_kwh.sharp + .peak) / Σ tou.energy_kwh;
``valley_energy_share`` = (valley + deep_valley) / Σ tou.energy_kwh;
``pv_certificates`` = floor(pv_generation_kwh / 1000) (:func:`analytics.green.pv_certificates`);
``data_coverage`` = data.intervals / (data.intervals + data.missing_intervals);
``warning_count`` = number of entries in data.warnings. ``sec_kwh_per_unit`` and
``idle_share`` come from the ``production`` section (:func:`analytics.production.analyze_production`
on the stored runs, same tariffs) when the enterprise has a production file, else empty;
``saving_cny`` (``production.shift.saving_cny``) stays empty in a screen: the load-shift MILP
takes ~2 min per enterprise-year, so the screen runs ``analyze_production(run_shift=False)``.
``stage`` is the ``stage`` section as the CLI builds it (no questionnaire answers).
"""

from __future__ import annotations

import math
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pandas as pd

from analytics.findings import InputError
from analytics.sheets import neutralise
from analytics.workspace import (
    KINDS,
    Enterprise,
    ImportResult,
    Parsed,
    Series,
    Workspace,
    WorkspaceConflict,
    parse_file,
)

REQUIRED_COLUMNS: tuple[str, ...] = (
    "enterprise_id", "enterprise_name", "province", "industry", "kind", "path",
)  # fmt: skip
OPTIONAL_COLUMNS: tuple[str, ...] = (
    "tariff", "tz", "labels", "pv_kwp", "city", "voltage", "contracted_kva", "unit",
)  # fmt: skip
LABELS: tuple[str, ...] = ("auto", "start", "end")

#: (column, unit, definition, source in greentemp.analysis/1, decimals when anonymised)
DICTIONARY: tuple[tuple[str, str, str, str, int | None], ...] = (
    ("enterprise_id", "", "enterprise identifier from the manifest", "workspace.enterprises", None),
    ("province", "", "province of the site", "manifest", None),
    ("industry", "", "industry of the enterprise", "manifest", None),
    ("size_class", "", "S < 5 GWh/yr, M 5–50 GWh/yr, L ≥ 50 GWh/yr of annualised energy",
     "load.energy_kwh, data span", None),
    ("energy_kwh", "kWh", "sum of interval energy over the intervals present", "load.energy_kwh", -3),
    ("peak_kw", "kW", "maximum interval average power", "load.peak_kw", -1),
    ("load_factor", "1", "average_kw / peak_kw", "load.load_factor", 3),
    ("total_cost_cny", "CNY", "TOU energy cost plus demand or capacity charge", "tou.total_cost_cny", -3),
    ("average_price_cny_per_kwh", "CNY/kWh", "total_cost_cny / energy_kwh",
     "tou.average_price_cny_per_kwh", 3),
    ("tariff", "", "tariff version(s) that priced the data", "tou.tariff", None),
    ("peak_sharp_energy_share", "1", "(sharp + peak energy) / energy in all TOU periods",
     "tou.energy_kwh.sharp, tou.energy_kwh.peak", 3),
    ("valley_energy_share", "1", "(valley + deep-valley energy) / energy in all TOU periods",
     "tou.energy_kwh.valley, tou.energy_kwh.deep_valley", 3),
    ("sec_kwh_per_unit", "kWh/unit", "specific energy: energy_kwh / production units",
     "production.sec_kwh_per_unit", 2),
    ("idle_share", "1", "idle (non-production) energy / energy_kwh", "production.idle_share", 3),
    ("saving_cny", "CNY", "saving of the load-shift scenario", "production.shift.saving_cny", -3),
    ("pv_generation_kwh", "kWh", "on-site PV generation", "green.pv_generation_kwh", -3),
    ("pv_self_consumed_kwh", "kWh", "Σ min(consumption, PV) per interval",
     "green.pv_self_consumed_kwh", -3),
    ("pv_exported_kwh", "kWh", "Σ max(PV − consumption, 0) per interval", "green.pv_exported_kwh", -3),
    ("pv_certificates", "GEC", "certificates the PV could be issued: floor(pv_generation_kwh / 1000)",
     "green.pv_generation_kwh", 0),
    ("green_purchase_kwh", "kWh", "max(0, T × energy_kwh − pv_self_consumed_kwh) for the target T",
     "green.green_purchase_kwh", -3),
    ("gec_count", "GEC", "ceil(green_purchase_kwh / 1000)", "green.gec_count", 0),
    ("gec_cost_cny", "CNY", "cost of gec_count certificates", "green.gec_cost_cny", -3),
    ("co2_location_t", "t CO2", "grid import / 1000 × MEE/NBS average grid factor",
     "green.co2_location_t", 0),
    ("co2_market_t", "t CO2", "max(0, grid import − green purchase) / 1000 × residual factor",
     "green.co2_market_t", 0),
    ("hourly_matched_share", "1", "Σ_h min(consumption_h, PV_h) / Σ_h consumption_h",
     "green.hourly_matched_share", 3),
    ("green_temperature_score", "0–100", "Green Temperature index", "green_temperature.score", 1),
    ("data_coverage", "1", "intervals with data / intervals in the span",
     "data.intervals, data.missing_intervals", 3),
    ("warning_count", "1", "number of data-quality warnings", "data.warnings", 0),
    ("stage", "", "power-data stage: resource, asset or capital", "stage.stage", None),
    ("error", "", "error code when the enterprise could not be analysed", "analytics error catalogue",
     None),
)  # fmt: skip

COLUMNS: tuple[str, ...] = tuple(d[0] for d in DICTIONARY)
INT_COLUMNS = frozenset({"pv_certificates", "gec_count", "warning_count"})
STR_COLUMNS = frozenset({"enterprise_id", "province", "industry", "size_class", "tariff", "stage",
                         "error"})
FLOAT_COLUMNS = tuple(c for c in COLUMNS if c not in INT_COLUMNS | STR_COLUMNS)
SIZE_CLASS_BOUNDS_KWH = (5e6, 50e6)  # annualised energy [kWh/yr]: S < 5 GWh ≤ M < 50 GWh ≤ L
ENGINES: tuple[str, ...] = ("local", "spark")


# --------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class ManifestRow:
    """One manifest line (``row`` is the 1-based line number, header = 1)."""

    row: int
    enterprise: Enterprise
    kind: str
    path: Path
    labels: str = "auto"
    unit: str | None = None


def _read_csv_text(path: Path) -> pd.DataFrame:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("portfolio.manifest_unreadable", file=path.name, expected="UTF-8 or GBK text")
    import io

    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                           skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputError("portfolio.manifest_unreadable", file=path.name,
                         expected="a CSV manifest", detail=type(err).__name__) from None


def read_manifest(path: str | Path) -> list[ManifestRow | InputError]:
    """Parse the manifest: one :class:`ManifestRow` per line, or the ``InputError`` of a bad
    line (unknown kind, bad number, bad labels). A manifest that cannot be used at all
    (missing file, unreadable, required columns missing, no rows) raises ``InputError``."""
    path = Path(path)
    if not path.is_file():
        raise InputError("portfolio.manifest_not_found", file=str(path))
    table = _read_csv_text(path)
    table.columns = [str(c).strip().lower() for c in table.columns]
    missing = [c for c in REQUIRED_COLUMNS if c not in table.columns]
    if missing:
        raise InputError("portfolio.manifest_columns", file=path.name, row=1,
                         expected=", ".join(REQUIRED_COLUMNS), missing=", ".join(missing))
    if table.empty:
        raise InputError("portfolio.manifest_empty", file=path.name)
    base = path.parent
    out: list[ManifestRow | InputError] = []
    for i, rec in enumerate(table.to_dict("records"), start=2):
        rec = {k: str(v).strip() for k, v in rec.items()}
        try:
            out.append(_manifest_row(i, rec, base, path.name))
        except InputError as err:
            out.append(err)
    return out


def _number(rec: dict[str, str], col: str, row: int, file: str) -> float | None:
    text = rec.get(col, "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not math.isfinite(value) or value < 0:
        raise InputError("portfolio.manifest_value", file=file, row=row, column=col,
                         expected="a number ≥ 0", value=text)
    return value


def _manifest_row(row: int, rec: dict[str, str], base: Path, file: str) -> ManifestRow:
    for col in ("enterprise_id", "path"):
        if not rec.get(col):
            raise InputError("portfolio.manifest_value", file=file, row=row, column=col,
                             expected="a value", value="")
    kind = rec["kind"].lower()
    if kind not in KINDS:
        raise InputError("portfolio.manifest_value", file=file, row=row, column="kind",
                         expected="load, production or pv", value=rec["kind"])
    labels = (rec.get("labels") or "auto").lower()
    if labels not in LABELS:
        raise InputError("portfolio.manifest_value", file=file, row=row, column="labels",
                         expected="auto, start or end", value=rec["labels"])
    tariff = rec.get("tariff") or None
    if tariff:
        from analytics.tariff import resolve_tariff

        try:
            resolve_tariff(tariff)
        except (InputError, KeyError, ValueError):
            raise InputError("portfolio.manifest_value", file=file, row=row, column="tariff",
                             expected="a tariff preset id", value=tariff) from None
    tz = rec.get("tz") or "Asia/Shanghai"
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError("portfolio.manifest_value", file=file, row=row, column="tz",
                         expected="an IANA time zone", value=tz) from None
    ent = Enterprise(
        enterprise_id=rec["enterprise_id"], name=rec.get("enterprise_name", ""),
        province=rec.get("province", ""), city=rec.get("city", ""),
        industry=rec.get("industry", ""), voltage=rec.get("voltage", ""), tariff=tariff, tz=tz,
        contracted_kva=_number(rec, "contracted_kva", row, file),
        pv_kwp=_number(rec, "pv_kwp", row, file),
    )
    return ManifestRow(row, ent, kind, base / rec["path"], labels, rec.get("unit") or None)


# --------------------------------------------------------------------------- ingest


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one manifest line. ``status``: ok, unchanged, replaced, warnings,
    conflict or error (``error`` holds the ``InputError``)."""

    row: int
    enterprise_id: str
    kind: str
    file_name: str
    status: str
    new: int = 0
    same: int = 0
    replaced: int = 0
    warning_codes: tuple[str, ...] = ()
    error: InputError | None = None

    @property
    def failed(self) -> bool:
        return self.status in ("error", "conflict")


def _parse_task(item: ManifestRow) -> Parsed | InputError:
    try:
        data = item.path.read_bytes()
    except OSError:
        return InputError("import.file_not_found", file=item.path.name)
    try:
        return parse_file(item.kind, data, file_name=item.path.name, tz=item.enterprise.tz,
                          labels=item.labels, unit=item.unit)
    except InputError as err:
        return err
    except Exception as err:  # noqa: BLE001 — one bad file never stops the batch
        return InputError("import.unreadable", file=item.path.name,
                          expected="a CSV or XLSX meter export", detail=type(err).__name__)


def _pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes started with ``spawn`` (safe beside DuckDB's and Streamlit's threads)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))


def _ordered(fn: Callable[[Any], Any], items: list[Any], workers: int,
             window: int | None = None) -> Iterator[Any]:
    """``map(fn, items)`` in order, in a process pool when it pays, with at most ``window``
    results in flight (memory stays bounded whatever the number of items)."""
    if workers <= 1 or len(items) < 4:
        yield from map(fn, items)
        return
    window = window or 2 * workers + 2
    with _pool(workers) as pool:
        pending: deque[Future] = deque()
        it = iter(items)
        for item in it:
            pending.append(pool.submit(fn, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def ingest(
    manifest: str | Path,
    workspace: str | Path,
    *,
    replace: bool = False,
    workers: int | None = None,
    commit_every: int = 50,
    progress: Callable[[int, int], None] | None = None,
) -> list[FileOutcome]:
    """Import every file of a manifest into the workspace; one bad file never stops the batch.

    Files are read in a process pool (``workers``, default: every core) and written by this
    process in order, ``commit_every`` files per transaction (new series written in one bulk
    INSERT per commit, :meth:`Workspace.deferred_inserts`): a file is stored whole or not
    at all, and a killed process leaves the workspace at its last commit (a re-run completes
    it, imports being idempotent). Raises ``InputError`` (``portfolio.manifest_*``) only when
    the manifest itself is unusable.
    """
    rows = read_manifest(manifest)
    good = [r for r in rows if isinstance(r, ManifestRow)]
    outcomes: dict[int, FileOutcome] = {}
    for r in rows:
        if isinstance(r, InputError):
            outcomes[r.row or 0] = FileOutcome(r.row or 0, "", "", "", "error", error=r)
    total, done = len(rows), len(rows) - len(good)
    if progress:
        progress(done, total)
    with Workspace(workspace) as ws:
        parsed_iter = _ordered(_parse_task, good, workers or default_workers())
        with ws.transaction(), ws.deferred_inserts():
            for n, (item, parsed) in enumerate(zip(good, parsed_iter, strict=True), start=1):
                outcomes[item.row] = _store_one(ws, item, parsed, replace)
                if n % commit_every == 0:
                    ws.commit_and_continue()
                done += 1
                if progress:
                    progress(done, total)
    return [outcomes[k] for k in sorted(outcomes)]


def _store_one(ws: Workspace, item: ManifestRow, parsed: Parsed | InputError,
               replace: bool) -> FileOutcome:
    eid, name = item.enterprise.enterprise_id, item.path.name
    if isinstance(parsed, InputError):
        return FileOutcome(item.row, eid, item.kind, name, "error", error=parsed)
    try:
        res: ImportResult = ws.store(item.enterprise, parsed, replace=replace)
    except WorkspaceConflict as err:
        return FileOutcome(item.row, eid, item.kind, name, "conflict", error=err)
    except InputError as err:
        return FileOutcome(item.row, eid, item.kind, name, "error", error=err)
    codes = tuple(w.code for w in (*parsed.warnings, *parsed.extra_warnings))
    status = res.status if res.status != "ok" or not codes else "warnings"
    return FileOutcome(item.row, eid, item.kind, name, status, res.new, res.same, res.replaced,
                       codes)


# --------------------------------------------------------------------------- per enterprise


@dataclass
class EnterpriseInputs:
    """What the per-enterprise analysis reads from the workspace."""

    enterprise: Enterprise
    load: Series
    pv: Series | None = None
    production: Any = None  # ProductionData of the stored runs, if any
    extra: dict[str, Any] = field(default_factory=dict)


def analyse_enterprise(inputs: EnterpriseInputs, *, target_share: float = 0.3) -> dict[str, Any]:
    """The ``greentemp.analysis/1`` JSON of one enterprise: the CLI's ``analyze`` on its
    stored frames (same tariff choice, contracted capacity, PV and target share), with the
    ``stage`` section as the CLI builds it without questionnaire answers."""
    from analytics.analysis import analyze, to_json
    from analytics.stage import Questionnaire, assess, indicators_of, stage_section

    ent = inputs.enterprise
    tariffs = None
    if ent.tariff:
        from analytics.tariff import resolve_tariff

        tariffs = [resolve_tariff(ent.tariff)]
    pv = inputs.pv
    analysis = analyze(
        inputs.load.frame, inputs.load.report, tariffs=tariffs, contracted_kva=ent.contracted_kva,
        pv=None if pv is None else pv.frame, pv_report=None if pv is None else pv.report,
        pv_warnings=() if pv is None else pv.extra_warnings, target_share=target_share,
        # as `analyze --production FILE --no-shift`: the idle share enters the Green Temperature
        production=None if inputs.production is None else (inputs.production, []), run_shift=False,
    )
    doc = to_json(analysis)
    doc["stage"] = stage_section(assess(
        indicators_of(analysis, production_linked=inputs.production is not None), Questionnaire()))
    return doc


def size_class(energy_kwh: float | None, days: float) -> str | None:
    """S/M/L from energy annualised over the data span [kWh, days]."""
    if energy_kwh is None or not days or not math.isfinite(energy_kwh):
        return None
    annual = energy_kwh * 365.0 / days
    lo, hi = SIZE_CLASS_BOUNDS_KWH
    return "S" if annual < lo else ("M" if annual < hi else "L")


def screen_row(ent: Enterprise, doc: dict[str, Any]) -> dict[str, Any]:
    """The screen row of one enterprise from its analysis JSON (keys as documented above)."""
    from analytics.green import pv_certificates

    data, load, tou, green = doc["data"], doc["load"], doc["tou"], doc["green"]
    by_period = tou["energy_kwh"]
    period_total = sum(by_period.values())

    def share(*periods: str) -> float | None:
        return sum(by_period.get(p, 0.0) for p in periods) / period_total if period_total else None

    prod = doc.get("production") or {}
    stage = doc.get("stage") or {}
    span_days = (pd.Timestamp(data["end"]) - pd.Timestamp(data["start"])).total_seconds() / 86400 \
        + data["interval_minutes"] / 1440
    intervals = data["intervals"] + data["missing_intervals"]
    row = {
        "enterprise_id": ent.enterprise_id, "province": ent.province or None,
        "industry": ent.industry or None,
        "size_class": size_class(load["energy_kwh"], span_days),
        "energy_kwh": load["energy_kwh"], "peak_kw": load["peak_kw"],
        "load_factor": load["load_factor"], "total_cost_cny": tou["total_cost_cny"],
        "average_price_cny_per_kwh": tou["average_price_cny_per_kwh"], "tariff": tou["tariff"],
        "peak_sharp_energy_share": share("sharp", "peak"),
        "valley_energy_share": share("valley", "deep_valley"),
        "sec_kwh_per_unit": prod.get("sec_kwh_per_unit"), "idle_share": prod.get("idle_share"),
        "saving_cny": (prod.get("shift") or {}).get("saving_cny"),
        "pv_certificates": pv_certificates(green["pv_generation_kwh"] or 0.0),
        "data_coverage": data["intervals"] / intervals if intervals else None,
        "warning_count": len(data["warnings"]), "stage": stage.get("stage"), "error": None,
    }
    for key in ("pv_generation_kwh", "pv_self_consumed_kwh", "pv_exported_kwh",
                "green_purchase_kwh", "gec_count", "gec_cost_cny", "co2_location_t",
                "co2_market_t", "hourly_matched_share"):
        row[key] = green[key]
    row["green_temperature_score"] = doc["green_temperature"]["score"]
    return {c: row.get(c) for c in COLUMNS}


def error_row(ent: Enterprise, code: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row.update(enterprise_id=ent.enterprise_id, province=ent.province or None,
               industry=ent.industry or None, error=code)
    return row


def analyse_inputs(inputs: EnterpriseInputs, *, target_share: float = 0.3) -> dict[str, Any]:
    """One screen row (never raises for bad data: the row carries the error code)."""
    try:
        return screen_row(inputs.enterprise, analyse_enterprise(inputs, target_share=target_share))
    except InputError as err:
        return error_row(inputs.enterprise, err.code)
    except (ValueError, KeyError, ZeroDivisionError) as err:
        return error_row(inputs.enterprise, f"analysis.{type(err).__name__}")


def finalize(rows: pd.DataFrame | Iterable[dict[str, Any]]) -> pd.DataFrame:
    """The screen table in its one shape: :data:`COLUMNS` in order, sorted by enterprise_id,
    floats as float64 (None → NaN), counts as nullable Int64, text as object (None = empty)."""
    df = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    for c in COLUMNS:
        if c not in df:
            df[c] = None
    df = df[list(COLUMNS)]
    for c in FLOAT_COLUMNS:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    for c in INT_COLUMNS:
        df[c] = pd.to_numeric(df[c], errors="coerce").round().astype("Int64")
    for c in STR_COLUMNS:
        df[c] = pd.Series([None if (v is None or (isinstance(v, float) and math.isnan(v)))
                           else str(v) for v in df[c]], index=df.index, dtype=object)
    return df.sort_values("enterprise_id", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- local engine


def _screen_batch(task: tuple[str, list[str], float]) -> list[dict[str, Any]]:
    """Worker: read one batch of enterprises from the workspace (read-only) and screen them."""
    path, ids, target_share = task
    with Workspace(path, read_only=True) as ws:
        ents = {i: ws.enterprise(i) for i in ids}
        loads = ws.series(ids, "load")
        pvs = ws.series(ids, "pv")
        prods = ws.production(ids)
    rows = []
    for eid in ids:
        if eid not in loads:
            rows.append(error_row(ents[eid], "workspace.no_load"))
            continue
        rows.append(analyse_inputs(EnterpriseInputs(ents[eid], loads[eid], pvs.get(eid),
                                                    prods.get(eid)), target_share=target_share))
    return rows


def screen_local(
    workspace: str | Path,
    *,
    target_share: float = 0.3,
    workers: int | None = None,
    batch_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Screen every enterprise on this machine: batches of ``batch_size`` enterprises read by
    DuckDB in ``workers`` processes (default: every core; 1 = in this process). The default
    batch gives each worker about four batches, 8 to 32 enterprises each (one workspace open
    and three scans per batch; memory stays bounded by the in-flight window)."""
    with Workspace(workspace, read_only=True) as ws:
        ids = ws.con.execute("SELECT enterprise_id FROM enterprises ORDER BY 1").fetchall()
    ids = [i[0] for i in ids]
    n = workers or default_workers()
    if batch_size is None:
        batch_size = max(8, min(32, math.ceil(len(ids) / (4 * n))))
    batches = [ids[i:i + batch_size] for i in range(0, len(ids), batch_size)]
    tasks = [(str(workspace), b, float(target_share)) for b in batches]
    rows: list[dict[str, Any]] = []
    for batch_rows in _ordered(_screen_batch, tasks, n if len(ids) > batch_size else 1):
        rows.extend(batch_rows)
        if progress:
            progress(len(rows), len(ids))
    return finalize(rows)


def screen(workspace: str | Path, *, engine: str = "local", target_share: float = 0.3,
           master: str = "local[*]", workers: int | None = None,
           progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """The screen table (:data:`COLUMNS`) of every enterprise in the workspace."""
    if not 0.0 <= target_share <= 1.0:
        raise InputError("portfolio.bad_target_share", value=target_share, expected="0–1")
    if engine == "local":
        return screen_local(workspace, target_share=target_share, workers=workers,
                            progress=progress)
    if engine == "spark":
        from analytics.portfolio_spark import screen_spark

        return screen_spark(workspace, target_share=target_share, master=master)
    raise InputError("portfolio.bad_engine", value=engine, expected="local or spark")


def write_table(table: pd.DataFrame, out: str | Path) -> Path:
    """Write the table as CSV (UTF-8 with BOM), Parquet or XLSX by the file's suffix.

    Text cells that a spreadsheet would run as a formula get a leading ``'``.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet", ".xlsx"):
        raise InputError("portfolio.bad_output", file=out.name, expected=".csv, .parquet or .xlsx")
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".parquet":
        table.to_parquet(out, index=False)
        return out
    safe = neutralise(table)
    if suffix == ".csv":
        safe.to_csv(out, index=False, encoding="utf-8-sig")
    else:
        safe.to_excel(out, index=False, sheet_name="portfolio")
    return out


def dictionary_frame() -> pd.DataFrame:
    """The data dictionary: column, unit, definition, source (+ anonymised precision)."""
    return pd.DataFrame(
        [(c, u, d, s, "" if p is None else ("integer" if p == 0 else
                                             (f"{p} decimals" if p > 0 else f"nearest {10 ** -p:g}")))
         for c, u, d, s, p in DICTIONARY],
        columns=["column", "unit", "definition", "source", "anonymised_precision"],
    )


__all__ = [
    "COLUMNS", "DICTIONARY", "EnterpriseInputs", "FileOutcome", "ManifestRow",
    "analyse_enterprise", "analyse_inputs", "finalize", "ingest", "read_manifest", "screen",
    "screen_row", "write_table",
]
