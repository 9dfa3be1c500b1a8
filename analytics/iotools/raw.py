"""Raw readers for the importer: bytes → a table of text cells with source row numbers.

This layer knows about containers (CSV text, XLSX workbooks), encodings, delimiters and
title lines above the header. It knows nothing about meters: every cell comes back as text
(``""`` for an empty cell) so the importer parses times and numbers one way for both
formats. Row numbers are the rows a spreadsheet shows (1-based, counting title and blank
lines), so a message can point at the exact line of the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from analytics.findings import DataWarning, InputError


def source_bytes(
    source: str | Path | bytes | BinaryIO, file_name: str | None, default_name: str = "upload"
) -> tuple[bytes, str]:
    """The bytes of a reader's ``source`` (path, bytes or binary file) and the name used in
    messages: ``file_name``, else the path's or file object's name, else ``default_name``.
    An unreadable path is ``import.unreadable`` naming the file."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), file_name or default_name
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = file_name or path.name
        try:
            return path.read_bytes(), name
        except OSError:
            raise InputError("import.unreadable", file=name, expected="a readable file") from None
    data = source.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    return data, file_name or Path(str(getattr(source, "name", default_name))).name


@dataclass
class FileReport:
    """What a reader of a non-interval file found (production files, weather files).

    The load and PV readers return the richer
    :class:`~analytics.iotools.load.ImportReport`; both carry ``file_name`` and ``warnings``,
    so every reader answers ``(data, report)`` and a caller reads findings the same way.
    """

    file_name: str
    layout: str
    rows_read: int = 0
    warnings: list[DataWarning] = field(default_factory=list)

    @property
    def warning_codes(self) -> set[str]:
        return {w.code for w in self.warnings}


#: Delimiters tried, in order of preference when several split the lines consistently
#: (``;`` before ``,`` so that ``1,5`` in a semicolon file reads as a decimal comma).
DELIMITERS: tuple[str, ...] = ("\t", ";", ",")
_SAMPLE_LINES = 60
_DATE_RE = re.compile(r"(?:^|\s)(?:\d{4}\s*[-/.年]\s*\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})")


@dataclass
class RawTable:
    """Cells of one table as text.

    Attributes
    ----------
    header : list of str
        Header cells (stripped), one per column; ``""`` where the header is blank.
    cells : DataFrame
        Data cells as text, columns ``0..n-1`` (positional), ``""`` for empty.
    rows : ndarray of int
        Source row (1-based, as a spreadsheet shows it) of each data row.
    header_row : int
        Source row of the header.
    preamble : list of str
        Text of the title/metadata lines above the header (for unit hints).
    encoding, delimiter, sheet : str or None
        How the file was read.
    """

    header: list[str]
    cells: pd.DataFrame
    rows: np.ndarray
    header_row: int
    preamble: list[str]
    encoding: str
    delimiter: str | None
    sheet: str | None


def read_table(data: bytes, *, file_name: str, max_rows: int) -> RawTable:
    """Read CSV or XLSX bytes into a :class:`RawTable` (raises :class:`InputError`)."""
    if not data.strip():
        raise InputError("import.empty", file=file_name)
    lower = file_name.lower()
    if data[:4] == b"PK\x03\x04" or lower.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, file_name=file_name, max_rows=max_rows)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or lower.endswith(
        (".xls", ".ods", ".parquet")
    ):
        raise InputError("import.unsupported_format", file=file_name, expected="CSV or XLSX")
    text, encoding = decode(data, file_name=file_name)
    return _read_csv_text(text, encoding=encoding, file_name=file_name, max_rows=max_rows)


def decode(data: bytes, *, file_name: str) -> tuple[str, str]:
    """Decode text bytes; returns ``(text, encoding)``.

    Tries UTF-8 (reported ``"utf-8-sig"`` when a BOM is present), then GBK, then GB18030
    (a superset of GBK). NUL bytes (UTF-16, binary files) are refused.
    """
    if b"\x00" in data[:4096]:
        raise InputError(
            "import.unreadable", file=file_name, expected="text in UTF-8 or GBK/GB18030"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    for enc in ("utf-8", "gbk", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise InputError("import.unreadable", file=file_name, expected="text in UTF-8 or GBK/GB18030")


def _split_sample(lines: list[str], delimiter: str) -> list[list[str]]:
    return [[c.strip() for c in row] for row in csv.reader(lines, delimiter=delimiter)]


def _nonempty(row: list[str]) -> int:
    return sum(1 for c in row if c)


def sniff_delimiter(lines: list[str]) -> str | None:
    """The delimiter that splits the lower half of the sample into a constant number (≥ 2) of fields.

    Preference order is :data:`DELIMITERS`; ``None`` when no delimiter splits the lines
    (a one-column file).
    """
    nonblank = [ln for ln in lines if ln.strip()]
    body = nonblank[len(nonblank) // 2 :]  # title lines sit at the top
    for d in DELIMITERS:
        counts = [len(r) for r in _split_sample(body, d)]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode >= 2 and counts.count(mode) >= 0.9 * len(counts):
            return d
    return None


def find_header(sample: list[list[str]]) -> int:
    """Index of the header row in ``sample`` (rows already split into stripped cells).

    A row is *full* when it has at least as many non-empty cells as the typical (modal)
    lower row. The header is the first full row without a date whose next non-empty row
    holds a date (a data row); failing that, the first full row without a date. Title and
    metadata lines above it (``某某公司负荷曲线``, ``导出时间,2025-01-01``, ``单位,kW``) are
    skipped. Returns ``-1`` when every full row holds a date (a file without a header).
    """
    body = [r for r in sample if _nonempty(r)]
    if not body:
        return 0
    counts = [_nonempty(r) for r in body[len(body) // 2 :]]
    mode = max(set(counts), key=counts.count)
    need = max(1, mode - 1 if mode > 3 else mode)
    dated = [any(_DATE_RE.search(c) for c in r if c) for r in sample]
    candidates = [i for i, r in enumerate(sample) if _nonempty(r) >= need and not dated[i]]
    for i in candidates:
        nxt = next((j for j in range(i + 1, len(sample)) if _nonempty(sample[j])), None)
        if nxt is not None and dated[nxt]:
            return i
    return candidates[0] if candidates else -1


def _read_csv_text(text: str, *, encoding: str, file_name: str, max_rows: int) -> RawTable:
    head_lines = text.splitlines()[:_SAMPLE_LINES]
    delimiter = sniff_delimiter(head_lines)
    sample = _split_sample(head_lines, delimiter or "\x1f")
    h = find_header(sample)
    headerless = h < 0
    skip = 0 if headerless else h
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter or "\x1f",
            header=None,
            skiprows=skip,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            nrows=max_rows + 2,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        row = int(m.group(1)) + skip if m else None
        raise InputError(
            "import.unreadable",
            file=file_name,
            row=row,
            expected="the same number of fields on every line",
        ) from None
    except pd.errors.EmptyDataError:
        raise InputError("import.empty", file=file_name) from None
    frame = frame.fillna("")
    frame.columns = range(frame.shape[1])
    for c in frame.columns:
        frame[c] = frame[c].str.strip()
    preamble = [ln for ln in text.splitlines()[:skip] if ln.strip()]
    if headerless:
        header = [f"column_{i + 1}" for i in range(frame.shape[1])]
        cells, first_row = frame, 1
    else:
        header = [str(c) for c in frame.iloc[0].tolist()]
        cells, first_row = frame.iloc[1:].reset_index(drop=True), skip + 2
    rows = np.arange(first_row, first_row + len(cells), dtype=np.int64)
    return _finish(
        header, cells, rows, skip + 1, preamble, encoding, delimiter, None, file_name, max_rows
    )


def _finish(
    header, cells, rows, header_row, preamble, encoding, delimiter, sheet, file_name, max_rows
):
    keep = (
        (cells != "").any(axis=1).to_numpy() if len(cells.columns) else np.zeros(len(cells), bool)
    )
    cells, rows = cells.loc[keep].reset_index(drop=True), rows[keep]
    if not len(cells):
        raise InputError("import.empty", file=file_name, row=header_row)
    if len(cells) > max_rows:
        raise InputError(
            "import.too_many_rows",
            file=file_name,
            row=int(rows[max_rows]),
            expected=f"at most {max_rows} rows",
            limit=max_rows,
        )
    return RawTable(header, cells, rows, header_row, preamble, encoding, delimiter, sheet)


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        ts = pd.Timestamp(v).round("s")
        if ts.year < 1900 or (ts.year == 1900 and ts.month == 1 and ts.day == 1 and ts.hour == 0):
            return "24:00" if ts.hour == 0 and ts.minute == 0 else ts.strftime("%H:%M:%S")
        return ts.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, dt.time):
        return v.strftime("%H:%M:%S")
    if isinstance(v, float):
        return repr(v)
    return str(v).strip()


#: An XLSX is a zip archive: refuse one that would unpack to more than this [bytes].
MAX_XLSX_UNPACKED_BYTES = 1_000_000_000


def check_archive(data: bytes, *, file_name: str, limit: int = MAX_XLSX_UNPACKED_BYTES) -> None:
    """Refuse a zip (XLSX) whose members would unpack beyond ``limit`` bytes (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
    except zipfile.BadZipFile:
        raise InputError("import.unreadable", file=file_name, expected="an XLSX workbook") from None
    if unpacked > limit:
        raise InputError(
            "import.archive_too_large",
            file=file_name,
            expected=f"≤ {limit // 1_000_000} MB unpacked",
            size_mb=unpacked // 1_000_000,
            limit_mb=limit // 1_000_000,
        )


def _read_xlsx(data: bytes, *, file_name: str, max_rows: int) -> RawTable:
    from openpyxl import load_workbook

    check_archive(data, file_name=file_name)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InputError("import.unreadable", file=file_name, expected="an XLSX workbook") from None
    try:
        chosen: tuple[str, list[list[str]]] | None = None
        for ws in wb.worksheets:
            grid: list[list[str]] = []
            for values in ws.iter_rows(values_only=True):
                grid.append([_cell_text(v) for v in values])
                if len(grid) > max_rows + _SAMPLE_LINES:
                    break
            if sum(1 for r in grid if _nonempty(r) >= 2) >= 2:
                chosen = (ws.title, grid)
                break
            if chosen is None and grid:
                chosen = (ws.title, grid)
    finally:
        wb.close()
    if chosen is None:
        raise InputError("import.empty", file=file_name)
    title, grid = chosen
    width = max((len(r) for r in grid), default=0)
    grid = [r + [""] * (width - len(r)) for r in grid]
    h = find_header(grid[:_SAMPLE_LINES])
    if h < 0:
        header = [f"column_{i + 1}" for i in range(width)]
        body, first_row, hrow, preamble = grid, 1, 0, []
    else:
        header = grid[h]
        body, first_row, hrow = grid[h + 1 :], h + 2, h + 1
        preamble = [" ".join(c for c in r if c) for r in grid[:h] if _nonempty(r)]
    cells = (
        pd.DataFrame(body, columns=range(width), dtype=str)
        if body
        else pd.DataFrame(columns=range(width))
    )
    rows = np.arange(first_row, first_row + len(cells), dtype=np.int64)
    return _finish(header, cells, rows, hrow, preamble, "utf-8", None, title, file_name, max_rows)
