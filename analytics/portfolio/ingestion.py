"""The manifest and the ingest: many exports into one workspace, whole files at a time.

A manifest row names ``enterprise_id, enterprise_name, province, industry, kind
(load|production|pv), path`` (relative to the manifest) and optionally ``tariff, tz, labels,
pv_kwp``. :func:`ingest` parses files in a process pool and stores each in one transaction:
idempotent (the same export twice changes nothing), an overlap with different values is the
named conflict ``workspace.conflict`` unless ``replace``, and a bad file is reported with its
row while the rest are stored.

What a manifest may name (checked by :func:`read_manifest`, before any listed file is opened):

* ``path`` resolves inside the manifest's folder. A path that is absolute (``/x``, ``C:\\x``,
  ``\\\\host\\share``), has a ``..`` part (``/`` or ``\\`` separated, even one that would
  come back inside), holds a NUL, or resolves (:meth:`Path.resolve`, symlinks followed)
  outside the folder is the row's ``portfolio.manifest_path`` (column ``path``); that file is
  never opened. A symlink inside the folder to a file inside it is fine. The file is opened
  later by its resolved path with ``O_NOFOLLOW`` and must be a regular file, so a link swapped
  in after the check is refused too (``import.file_not_found``).
* One ``enterprise_id`` is one enterprise: rows with the same id must carry identical master
  data (name, province, city, industry, voltage, tariff, tz, contracted_kva, pv_kwp; an empty
  cell differs from a filled one). Otherwise every row of that id is
  ``portfolio.manifest_duplicate_id``, naming its own row, the row it disagrees with
  (``other_row``) and the first differing column — nothing of that id is imported.
* Messages echo only the manifest's own cells (cut to :data:`SHOWN_CHARS` characters,
  control characters blanked) and file names, never the content of a listed file that was
  refused.
"""

from __future__ import annotations

import atexit
import math
import os
import stat
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import pandas as pd

from analytics.findings import InputError
from analytics.portfolio.fastpath import fast_parse
from analytics.portfolio.store import (
    KINDS,
    Enterprise,
    ImportResult,
    Parsed,
    Workspace,
    WorkspaceConflict,
    parse_file,
)
from analytics.tou import resolve_tariff

REQUIRED_COLUMNS: tuple[str, ...] = (
    "enterprise_id", "enterprise_name", "province", "industry", "kind", "path",
)  # fmt: skip


OPTIONAL_COLUMNS: tuple[str, ...] = (
    "tariff", "tz", "labels", "pv_kwp", "city", "voltage", "contracted_kva", "unit",
)  # fmt: skip


LABELS: tuple[str, ...] = ("auto", "start", "end")

#: A manifest cell echoed in a message is cut to this many characters.
SHOWN_CHARS = 120

#: (Enterprise attribute, manifest column): the master data one enterprise_id must keep.
MASTER_DATA: tuple[tuple[str, str], ...] = (
    ("name", "enterprise_name"), ("province", "province"), ("city", "city"),
    ("industry", "industry"), ("voltage", "voltage"), ("tariff", "tariff"), ("tz", "tz"),
    ("contracted_kva", "contracted_kva"), ("pv_kwp", "pv_kwp"),
)  # fmt: skip


@dataclass(frozen=True)
class ManifestRow:
    """One manifest line (``row`` is the 1-based line number, header = 1)."""

    row: int
    enterprise: Enterprise
    kind: str
    path: Path
    labels: str = "auto"
    unit: str | None = None
    resolved: Path | None = None  # ``path`` with symlinks followed (inside the folder)


def _read_csv_text(path: Path) -> pd.DataFrame:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(
            "portfolio.manifest_unreadable", file=path.name, expected="UTF-8 or GBK text"
        )
    import io

    try:
        return pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputError(
            "portfolio.manifest_unreadable",
            file=path.name,
            expected="a CSV manifest",
            detail=type(err).__name__,
        ) from None


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
        raise InputError(
            "portfolio.manifest_columns",
            file=path.name,
            row=1,
            expected=", ".join(REQUIRED_COLUMNS),
            missing=", ".join(missing),
        )
    if table.empty:
        raise InputError("portfolio.manifest_empty", file=path.name)
    base = path.parent
    root = base.resolve()  # the folder every listed path must resolve into
    out: list[ManifestRow | InputError] = []
    for i, rec in enumerate(table.to_dict("records"), start=2):
        rec = {k: str(v).strip() for k, v in rec.items()}
        try:
            out.append(_manifest_row(i, rec, base, path.name, root=root))
        except InputError as err:
            out.append(err)
    return _one_enterprise_per_id(out, path.name)


def _shown(text: str) -> str:
    """A manifest cell as a message may echo it: control characters blanked, cut short."""
    flat = "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text)
    return flat if len(flat) <= SHOWN_CHARS else flat[: SHOWN_CHARS - 1] + "…"


def _inside(root: Path, text: str, row: int, file: str) -> Path:
    """The resolved path of a manifest ``path`` cell; ``portfolio.manifest_path`` unless it
    stays inside ``root`` (the resolved manifest folder; module docstring). Only
    ``lstat``/``readlink`` touch the disk (:func:`os.path.realpath`): the file is not
    opened."""
    win = PureWindowsPath(text)  # splits on "/" and "\\" alike
    refused = (
        "\x00" in text
        or PurePosixPath(text).is_absolute()
        or bool(win.drive or win.root)
        or ".." in win.parts
    )
    resolved = None
    if not refused:  # os.path, not pathlib: ≈ 1 ms a row saved (15 s at 15,000 files)
        base = str(root)
        joined = os.path.join(base, text)
        try:
            try:
                real = os.path.realpath(joined, strict=True)
            except FileNotFoundError:  # missing: refused later as import.file_not_found
                real = os.path.realpath(joined, strict=False)
        except (OSError, RuntimeError, ValueError):  # a symlink loop, an unreadable link
            refused = True
        else:
            refused = not (real == base or real.startswith(base.rstrip(os.sep) + os.sep))
            resolved = None if refused else Path(real)
    if refused or resolved is None:
        raise InputError(
            "portfolio.manifest_path",
            file=file,
            row=row,
            column="path",
            expected="a relative path inside the manifest's folder",
            value=_shown(text),
        )
    return resolved


def _differs(a: Enterprise, b: Enterprise) -> str | None:
    """The first manifest column whose master data differs between ``a`` and ``b``."""
    return next((col for attr, col in MASTER_DATA if getattr(a, attr) != getattr(b, attr)), None)


def _one_enterprise_per_id(
    rows: list[ManifestRow | InputError], file: str
) -> list[ManifestRow | InputError]:
    """Refuse every row of an ``enterprise_id`` given with different master data."""
    first: dict[str, ManifestRow] = {}
    clash: dict[str, ManifestRow] = {}  # id → its first row that differs from the first row
    for r in rows:
        if isinstance(r, ManifestRow):
            eid = r.enterprise.enterprise_id
            ref = first.setdefault(eid, r)
            if eid not in clash and _differs(ref.enterprise, r.enterprise):
                clash[eid] = r
    if not clash:
        return rows
    out: list[ManifestRow | InputError] = []
    for r in rows:
        if not isinstance(r, ManifestRow) or r.enterprise.enterprise_id not in clash:
            out.append(r)
            continue
        eid = r.enterprise.enterprise_id
        ref = first[eid]
        partner = ref if _differs(ref.enterprise, r.enterprise) else clash[eid]
        out.append(
            InputError(
                "portfolio.manifest_duplicate_id",
                file=file,
                row=r.row,
                column=_differs(partner.enterprise, r.enterprise),
                expected="the same master data on every row of one enterprise_id",
                value=_shown(eid),
                other_row=partner.row,
            )
        )
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
        raise InputError(
            "portfolio.manifest_value",
            file=file,
            row=row,
            column=col,
            expected="a number ≥ 0",
            value=_shown(text),
        )
    return value


def _manifest_row(
    row: int, rec: dict[str, str], base: Path, file: str, *, root: Path
) -> ManifestRow:
    for col in ("enterprise_id", "path"):
        if not rec.get(col):
            raise InputError(
                "portfolio.manifest_value",
                file=file,
                row=row,
                column=col,
                expected="a value",
                value="",
            )
    resolved = _inside(root, rec["path"], row, file)
    kind = rec["kind"].lower()
    if kind not in KINDS:
        raise InputError(
            "portfolio.manifest_value",
            file=file,
            row=row,
            column="kind",
            expected="load, production or pv",
            value=_shown(rec["kind"]),
        )
    labels = (rec.get("labels") or "auto").lower()
    if labels not in LABELS:
        raise InputError(
            "portfolio.manifest_value",
            file=file,
            row=row,
            column="labels",
            expected="auto, start or end",
            value=_shown(rec["labels"]),
        )
    tariff = rec.get("tariff") or None
    if tariff:
        try:
            resolve_tariff(tariff)
        except (InputError, KeyError, ValueError):
            raise InputError(
                "portfolio.manifest_value",
                file=file,
                row=row,
                column="tariff",
                expected="a tariff preset id",
                value=_shown(tariff),
            ) from None
    tz = rec.get("tz") or "Asia/Shanghai"
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            "portfolio.manifest_value",
            file=file,
            row=row,
            column="tz",
            expected="an IANA time zone",
            value=_shown(tz),
        ) from None
    ent = Enterprise(
        enterprise_id=rec["enterprise_id"],
        name=rec.get("enterprise_name", ""),
        province=rec.get("province", ""),
        city=rec.get("city", ""),
        industry=rec.get("industry", ""),
        voltage=rec.get("voltage", ""),
        tariff=tariff,
        tz=tz,
        contracted_kva=_number(rec, "contracted_kva", row, file),
        pv_kwp=_number(rec, "pv_kwp", row, file),
    )
    return ManifestRow(
        row, ent, kind, base / rec["path"], labels, rec.get("unit") or None, resolved
    )


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


def _read_listed(path: Path) -> bytes:
    """A listed file's bytes, opened without following a final symlink (``O_NOFOLLOW``) and
    without blocking on a FIFO; ``OSError`` unless it is a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise IsADirectoryError(path.name)
        return fh.read()


def _parse_task(item: ManifestRow) -> Parsed | InputError:
    try:
        data = _read_listed(item.resolved or item.path)
    except OSError:
        return InputError("import.file_not_found", file=item.path.name)
    try:
        fast = fast_parse(
            item.kind,
            data,
            file_name=item.path.name,
            tz=item.enterprise.tz,
            labels=item.labels,
            unit=item.unit,
        )
        if fast is not None:  # a plain long CSV, read by pyarrow (analytics.portfolio.fastpath)
            return fast
        return parse_file(
            item.kind,
            data,
            file_name=item.path.name,
            tz=item.enterprise.tz,
            labels=item.labels,
            unit=item.unit,
        )
    except InputError as err:
        return err
    except Exception as err:
        return InputError(
            "import.unreadable",
            file=item.path.name,
            expected="a CSV or XLSX meter export",
            detail=type(err).__name__,
        )


#: Worker pools kept for the life of the process, by size: an ingest and the screen after it
#: (or a page's second screen) reuse the started workers instead of paying their start-up
#: (≈ 1 s on this 2-core machine: a spawned interpreter importing pandas and the importers).
_POOLS: dict[int, ProcessPoolExecutor] = {}


def _pool(workers: int) -> ProcessPoolExecutor:
    """The process's pool of ``workers`` processes started with ``spawn`` (safe beside
    DuckDB's and Streamlit's threads); a broken or shut-down pool is replaced."""
    pool = _POOLS.get(workers)
    if pool is None or getattr(pool, "_broken", False) or getattr(pool, "_shutdown_thread", False):
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
        _POOLS[workers] = pool
    return pool


def shutdown_pools() -> None:
    """Stop the kept worker pools (also run at interpreter exit)."""
    while _POOLS:
        _POOLS.popitem()[1].shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown_pools)


def ordered(
    fn: Callable[[Any], Any], items: list[Any], workers: int, window: int | None = None
) -> Iterator[Any]:
    """``map(fn, items)`` in order, in a process pool when it pays, with at most ``window``
    results in flight (memory stays bounded whatever the number of items). A consumer
    that stops early cancels what has not started."""
    if workers <= 1 or len(items) < 4:
        yield from map(fn, items)
        return
    window = window or 2 * workers + 2
    pool = _pool(workers)
    pending: deque[Future] = deque()
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for f in pending:
            f.cancel()


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
        parsed_iter = ordered(_parse_task, good, workers or default_workers())
        with ws.transaction(), ws.deferred_inserts():
            for n, (item, parsed) in enumerate(zip(good, parsed_iter, strict=True), start=1):
                outcomes[item.row] = _store_one(ws, item, parsed, replace)
                if n % commit_every == 0:
                    ws.commit_and_continue()
                done += 1
                if progress:
                    progress(done, total)
    return [outcomes[k] for k in sorted(outcomes)]


def _store_one(
    ws: Workspace, item: ManifestRow, parsed: Parsed | InputError, replace: bool
) -> FileOutcome:
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
    return FileOutcome(
        item.row, eid, item.kind, name, status, res.new, res.same, res.replaced, codes
    )
