"""Ingest close to the parse limit: a plain long CSV read by pyarrow, the importer's result.

:func:`fast_parse` returns exactly what :func:`analytics.portfolio.store.parse_file` would
(the same canonical frame, report and findings) for the one shape meter systems export most,
or ``None`` when the file is not that shape or anything in it needs the full importer — then
the caller runs :func:`~analytics.portfolio.store.parse_file`, so every check and every named
rejection of the importer still applies.

The shape (detected on the first bytes): ASCII text, a two-column header, data lines
``YYYY-MM-DD HH:MM:SS,<number>``. Then:

1. the importer itself (:func:`analytics.iotools.read_load`) reads the header and the first
   :data:`SAMPLE_ROWS` data lines: it decides the columns, kind, unit, interval and label
   convention; the fast path continues only for interval-start energy in kWh whose sample
   raised no finding other than ``import.unit_assumed`` (a header finding);
2. pyarrow reads the whole file (typed: timestamps by the one format, values as float64);
   any row it cannot read, an empty cell, a footer → the full importer;
3. the whole file is checked for everything the importer would find or change: steps all
   equal to the interval (no gap, duplicate, off-grid or changed interval), one UTC offset
   over the span in the site zone (no DST transition), values finite and ≥ 0 (no negative),
   no spike (> 10 × the 99th percentile of positive values), not possibly a register
   (more than ten decreases, or rises on fewer than half of the steps), not end labels by
   the first/last rule, within ``max_rows``. Any of these → the full importer.
4. PV files get :func:`analytics.iotools.pv.plausibility` on the whole frame, as
   :func:`analytics.iotools.read_pv` (no negatives to clip: step 3).

``tests/portfolio/test_fastpath.py`` checks that fast and full parses are identical.
"""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from pyarrow import csv as pacsv

from analytics.findings import InputError
from analytics.iotools import INDEX_NAME, ImportOptions, read_load
from analytics.iotools.pv import plausibility
from analytics.portfolio.store import SERIES_KINDS, Parsed, report_from_dict

#: Data lines the importer reads to decide the columns, unit and convention (odd on
#: purpose: a sample of whole days that ends at midnight could look end-labelled).
SAMPLE_ROWS = 191
#: Findings of the sample that hold for the whole file (they come from the header).
HEADER_FINDINGS = frozenset({"import.unit_assumed"})
MAX_FILE_BYTES = 200 * 1024 * 1024  # analytics.iotools.raw.MAX_FILE_BYTES: over it, the importer
MAX_ABS_VALUE = 1e15  # analytics.iotools.load.MAX_ABS_VALUE
_LINE = re.compile(rb"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},[0-9][0-9.eE+-]*\r?$")
_HEAD = re.compile(rb"^[A-Za-z_][A-Za-z0-9_ ()\[\]/-]*,[A-Za-z_][A-Za-z0-9_ ()\[\]/-]*\r?$")
_NS_MIN = 60_000_000_000
_NS_DAY = 86_400_000_000_000


def looks_long(data: bytes) -> bool:
    """The cheap shape test on the first lines (module docstring)."""
    head = data[:4096].split(b"\n")
    if len(head) < 4 or not _HEAD.match(head[0]):
        return False
    return all(_LINE.match(line) for line in head[1:-1][:50])


#: The importer's decision per sample shape (module docstring, 1); refusals are not kept.
_DECISIONS: dict[tuple[Any, ...], dict[str, Any]] = {}


def _decision(
    kind: str, key: tuple[bytes, int, int], sample: bytes, options: ImportOptions
) -> dict[str, Any] | None:
    """The importer's reading of a sample (header + first data lines) as a report dict, or
    ``None`` when the fast path must not go on (module docstring, 1). Kept per (kind,
    header, interval, time of day of the first stamp, options): what the importer decides
    from a sample of that shape depends on those alone."""
    k = (kind, *key, options.tz, options.labels, options.unit)
    if k in _DECISIONS:
        return _DECISIONS[k]
    try:
        _, rep = read_load(sample, file_name="sample.csv", options=options)
    except InputError:
        return None
    if (
        rep.kind != "energy"
        or rep.unit != "kWh"
        or rep.label_convention != "start"
        or {w.code for w in rep.warnings} - HEADER_FINDINGS
        or rep.time_column is None
        or rep.value_column is None
    ):
        return None
    _DECISIONS[k] = rep.to_dict()
    return _DECISIONS[k]


def _sample_key(data: bytes) -> tuple[bytes, bytes, int, int] | None:
    """(header, sample, step [s], time of day of the first stamp [s]) of a long CSV."""
    want = SAMPLE_ROWS + 1
    lines = data[: 128 * (want + 1)].split(b"\n", want)  # the head (not a copy of the file)
    if len(lines) <= want:  # long lines: the head held fewer than the sample
        lines = data.split(b"\n", want)
    lines = lines[:want]
    try:
        t0 = np.datetime64(lines[1][:19].decode().replace(" ", "T"), "s").astype(np.int64)
        t1 = np.datetime64(lines[2][:19].decode().replace(" ", "T"), "s").astype(np.int64)
    except ValueError:
        return None
    return lines[0], b"\n".join(lines) + b"\n", int(t1 - t0), int(t0 % 86400)


def _fixed_layout(data: bytes, rows: int) -> bool:
    """Every data line is ``YYYY-MM-DD HH:MM:SS,<value>`` (one comma at byte 19; the date
    and time separators in place): pyarrow's ISO 8601 parser would accept other forms.

    The header holds exactly one comma (:data:`_HEAD`), so ``rows + 1`` commas in all with
    one at byte 19 of every data line leaves none anywhere else."""
    arr = np.frombuffer(data, dtype=np.uint8)
    if np.count_nonzero(arr == 44) != rows + 1:  # (bytes.count is 3× slower here)
        return False
    nl = np.flatnonzero(arr == 10)
    starts = nl[:-1] + 1 if len(nl) and nl[-1] == len(arr) - 1 else nl + 1
    if len(starts) != rows:
        return False
    return all(
        np.all(arr[starts + k] == ord(c))
        for k, c in ((19, ","), (4, "-"), (7, "-"), (10, " "), (13, ":"), (16, ":"))
    )


def _read_all(data: bytes, time_col: str, value_col: str) -> tuple[np.ndarray, np.ndarray] | None:
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            convert_options=pacsv.ConvertOptions(
                column_types={time_col: pa.timestamp("s"), value_col: pa.float64()},
                timestamp_parsers=[pacsv.ISO8601],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, KeyError):
        return None
    if table.num_columns != 2 or any(table.column(i).null_count for i in range(2)):
        return None
    ts = table.column(time_col).to_numpy().astype("datetime64[ns]").astype(np.int64)
    return ts, table.column(value_col).to_numpy().astype(np.float64)


def _plain(wall: np.ndarray, v: np.ndarray, step_ns: int, labels: str, max_rows: int) -> bool:
    """Nothing in the whole file the importer would find or change (module docstring, 3)."""
    n = len(v)
    if n < 2 or n > max_rows or not np.all(np.diff(wall) == step_ns):
        return False
    if not np.all(np.isfinite(v)) or v.min() < 0 or v.max() > MAX_ABS_VALUE:
        return False
    d = np.diff(v)
    if (d < 0).sum() <= 10 and (d > 0).sum() >= 0.5 * len(d):
        return False  # could be a cumulative register
    pos = v[v > 0]
    if len(pos) >= 2:
        q99 = float(np.quantile(pos, 0.99, method="lower"))
        if q99 > 0 and (v > 10 * q99).any():
            return False
    if labels == "auto":
        tod_first, tod_last = wall[0] % _NS_DAY, wall[-1] % _NS_DAY
        if tod_first == step_ns and tod_last == 0:
            return False  # the first/last rule would read end labels
    return True


def fast_parse(
    kind: str,
    data: bytes,
    *,
    file_name: str,
    tz: str = "Asia/Shanghai",
    labels: str = "auto",
    unit: str | None = None,
) -> Parsed | None:
    """What :func:`~analytics.portfolio.store.parse_file` returns, or ``None`` (module
    docstring): then the caller runs the full importer (also when anything here fails)."""
    try:
        return _fast_parse(kind, data, file_name=file_name, tz=tz, labels=labels, unit=unit)
    except (ValueError, TypeError, OverflowError, KeyError, IndexError, pa.ArrowException):
        return None


def _fast_parse(
    kind: str, data: bytes, *, file_name: str, tz: str, labels: str, unit: str | None
) -> Parsed | None:
    if kind not in SERIES_KINDS or len(data) > MAX_FILE_BYTES or not data.isascii():
        return None
    if not looks_long(data):
        return None
    key = _sample_key(data)
    if key is None:
        return None
    header, sample_bytes, step_s, tod = key
    options = ImportOptions(tz=tz, labels=labels, unit=unit)
    sample = _decision(kind, (header, step_s, tod), sample_bytes, options)
    if sample is None:
        return None
    read = _read_all(data, sample["time_column"], sample["value_column"])
    if read is None or not _fixed_layout(data, len(read[1])):
        return None
    wall, kwh = read
    step = int(sample["interval_minutes"])
    if not _plain(wall, kwh, step * _NS_MIN, labels, options.max_rows):
        return None
    try:
        local = pd.DatetimeIndex(wall).tz_localize(tz)
    except (ValueError, TypeError):  # a DST gap or fold: the importer's rules
        return None
    utc = local.asi8
    if not np.all(utc - wall == utc[0] - wall[0]):
        return None  # the offset changes inside the span
    # the canonical frame as make_frame builds it; its checks (unique, sorted, complete)
    # hold by _plain's equal steps, so the values go in as they are (no reindex)
    full = pd.date_range(local[0], local[-1], freq=pd.Timedelta(minutes=step), name=INDEX_NAME)
    frame = pd.DataFrame({"kwh": kwh}, index=full.as_unit("ns"))
    report = dict(sample)
    report.update(
        file_name=file_name,
        start=frame.index[0].isoformat(),
        end=frame.index[-1].isoformat(),
        rows_read=len(kwh),
        intervals=len(kwh),
        missing_intervals=0,
        duplicate_rows_dropped=0,
    )
    rep = report_from_dict(report)
    if kind == "pv":
        rep.warnings.extend(plausibility(frame, rep))
    return Parsed(
        kind,
        file_name,
        hashlib.sha256(data).hexdigest(),
        frame,
        rep.to_dict(),
        tuple(rep.warnings),
        options={"tz": tz, "labels": labels, "unit": unit},
        interval_minutes=step,
    )
