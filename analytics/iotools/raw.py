"""Raw readers for the importer: bytes → a table of text cells with source row numbers.

This layer knows about containers (CSV text, XLSX workbooks), encodings, delimiters and
title lines above the header. It knows nothing about meters: every cell comes back as text
(``""`` for an empty cell) so the importer parses times and numbers one way for both
formats. Row numbers are the rows a spreadsheet shows (1-based, counting title and blank
lines), so a message can point at the exact line of the file.

Bounds, each checked before the expensive step it protects (every one an
:class:`~analytics.findings.InputError` naming the file, and the row and column where there is
one; a column is named by its spreadsheet letter, ``A``, ``B``, …, because these checks run
before a header is known):

============================  =================================================================
``import.file_too_large``     a file over :data:`MAX_FILE_BYTES` (200 MiB, the upload cap
                              ``server.maxUploadSize = 200``), before it is read from disk
``import.nul_byte``           a NUL byte in a text file: the line (``row``) and byte ``offset``
                              of the first one (a UTF-16 or binary file stays
                              ``import.unreadable``, with the same row and offset)
``import.mixed_encoding``     a file that is UTF-8 up to a line that is not (a few GBK bytes
                              late in a UTF-8 file): that line and byte offset, never mojibake
``import.bad_encoding``       a file valid neither as UTF-8 nor GBK/GB18030: the first line
                              and byte offset GB18030 cannot decode
``import.too_many_rows``      more data lines than the row cap, counted on the raw bytes
                              before the CSV is parsed (and again after, as before); a CSV
                              parses at most 2 × cap + 1 lines, so blank lines between rows
                              are read, never silently cut, and a blank-line flood is refused
``import.field_too_large``    a cell over :data:`MAX_FIELD_CHARS` (10,000) characters
``import.too_many_columns``   an XLSX cell right of column :data:`MAX_COLUMNS` (2,000)
``import.archive_too_large``  an XLSX that unpacks beyond :data:`MAX_XLSX_UNPACKED_BYTES`
                              (300 MB, from the zip's directory, before anything is inflated)
``import.archive_ratio``      an XLSX member over 1 MB that inflates more than
                              :data:`MAX_COMPRESSION_RATIO` (100) times (real exports: ~9×)
``import.archive_too_many_members``  a zip directory of more than
                              :data:`MAX_ARCHIVE_MEMBERS` entries, read from its end record
``import.sheet_too_large``    a worksheet whose declared ``<dimension ref>`` (read from the
                              first 64 KiB of its XML) exceeds the row cap + 60 title rows,
                              :data:`MAX_COLUMNS` columns or :data:`MAX_SHEET_CELLS` (20 M)
                              cells, or whose rows pass Excel's 1,048,576
``import.time_budget``        an XLSX still being read after :data:`XLSX_TIME_BUDGET_S` (20 s):
                              the row reached
``import.unknown_sheet``      ``sheet=`` names no sheet of the workbook (the sheets are listed)
============================  =================================================================

A CSV is validated and parsed from its bytes (line-aligned chunks), never decoded whole into
one string. An XLSX's dimensions are reset before its rows are streamed, so a declared
dimension can neither pad every row to 16,384 cells nor hide rows below it.

Which sheet: ``sheet=`` when given; otherwise the first sheet that looks like a table of times
and numbers (at least two sample rows, and half of its non-empty sample rows, hold two or more
cells that read as a time or a number), else the sheet with most such rows, else the first
sheet with two rows of two cells. ``RawTable.sheet`` says which was used.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import posixpath
import re
import struct
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from analytics.findings import DataWarning, InputError

#: Largest file a reader accepts [bytes]: 200 MiB, the upload cap (``server.maxUploadSize =
#: 200`` in ``.streamlit/config.toml``, which Streamlit counts in MiB).
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Longest cell [characters]; a meter cell is a time or a number (``csv``'s own limit is 131,072).
MAX_FIELD_CHARS = 10_000
#: Widest row [columns] (a 288-point day is 289 columns).
MAX_COLUMNS = 2_000
#: Most cells a worksheet may declare (rows × columns of its ``<dimension ref>``).
MAX_SHEET_CELLS = 20_000_000
#: Excel's own last row; a row index beyond it is a crafted file.
EXCEL_MAX_ROWS = 1_048_576
#: Wall-clock budget for streaming a workbook's rows [s].
XLSX_TIME_BUDGET_S = 20.0


def _too_large(name: str, size: int, limit: int) -> InputError:
    return InputError(
        "import.file_too_large",
        file=name,
        expected=f"at most {limit // 2**20} MB",
        size_mb=size // 2**20,
        limit_mb=limit // 2**20,
    )


def source_bytes(
    source: str | Path | bytes | BinaryIO,
    file_name: str | None,
    default_name: str = "upload",
    *,
    max_bytes: int = MAX_FILE_BYTES,
) -> tuple[bytes, str]:
    """The bytes of a reader's ``source`` (path, bytes or binary file) and the name used in
    messages: ``file_name``, else the path's or file object's name, else ``default_name``.

    An unreadable path is ``import.unreadable``; a source over ``max_bytes`` [bytes] is
    ``import.file_too_large``, refused from the path's size before it is read (a file object
    is read at most ``max_bytes + 1`` bytes)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        name = file_name or default_name
        if len(source) > max_bytes:
            raise _too_large(name, len(source), max_bytes)
        return bytes(source), name
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = file_name or path.name
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise _too_large(name, size, max_bytes)
            return path.read_bytes(), name
        except OSError:
            raise InputError("import.unreadable", file=name, expected="a readable file") from None
    name = file_name or Path(str(getattr(source, "name", default_name))).name
    data = source.read(max_bytes + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > max_bytes:
        raise _too_large(name, len(data), max_bytes)
    return data, name


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


def read_table(
    data: bytes,
    *,
    file_name: str,
    max_rows: int,
    sheet: str | None = None,
    time_budget_s: float = XLSX_TIME_BUDGET_S,
) -> RawTable:
    """Read CSV or XLSX bytes into a :class:`RawTable` (raises :class:`InputError`).

    Parameters
    ----------
    data : bytes
        The file's content, at most :data:`MAX_FILE_BYTES` [bytes].
    file_name : str
        Name used in messages (its extension helps tell XLSX from CSV).
    max_rows : int
        Row cap: more non-empty data rows raise ``import.too_many_rows``.
    sheet : str or None
        Workbook sheet to read; ``None`` picks the sheet that looks like a table of times and
        numbers (see the module docstring). Ignored for CSV, which has no sheets.
    time_budget_s : float
        Wall-clock budget for streaming a workbook's rows [s] (``import.time_budget``).
    """
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(file_name, len(data), MAX_FILE_BYTES)
    if not data or data.isspace():
        raise InputError("import.empty", file=file_name)
    lower = file_name.lower()
    if data[:4] == b"PK\x03\x04" or lower.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(
            data, file_name=file_name, max_rows=max_rows, sheet=sheet, time_budget_s=time_budget_s
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or lower.endswith(
        (".xls", ".ods", ".parquet")
    ):
        raise InputError("import.unsupported_format", file=file_name, expected="CSV or XLSX")
    encoding = detect_encoding(data, file_name=file_name)
    return _read_csv_bytes(data, encoding=encoding, file_name=file_name, max_rows=max_rows)


_ENCODINGS_EXPECTED = "text in UTF-8 or GBK/GB18030"
_UTF8_BOM = b"\xef\xbb\xbf"
#: Bytes validated per step; chunks end at a line feed, which is a character boundary in
#: UTF-8, GBK and GB18030 alike (0x0A is never a trail byte), so no character is cut.
_CHUNK_BYTES = 4 * 1024 * 1024
#: Multi-byte UTF-8 characters that must precede a failing line for the file to count as
#: UTF-8 (a GBK line is valid UTF-8 by accident for ~15 % of characters, so three in a row
#: almost never happen by chance).
_UTF8_EVIDENCE_CHARS = 3


def _line_of(data: bytes, offset: int) -> int:
    """1-based line holding byte ``offset`` (line feeds counted; bare CRs when there are none)."""
    sep = b"\n" if b"\n" in data else b"\r"
    return data.count(sep, 0, offset) + 1


def _first_failure(data: bytes, start: int, encoding: str) -> tuple[int | None, int]:
    """Byte offset of the first byte ``encoding`` cannot decode (``None`` if all decode) and
    the count of non-ASCII characters decoded before it. Works in line-aligned chunks, so
    at most a few MiB of text exist at once."""
    view = memoryview(data)
    pos, nonascii = start, 0
    while pos < len(data):
        end = min(len(data), pos + _CHUNK_BYTES)
        if end < len(data):
            nl = data.rfind(b"\n", pos, end)
            if nl < pos:  # one line longer than a chunk: take it whole
                nl = data.find(b"\n", end)
            end = nl + 1 if nl >= 0 else len(data)
        try:
            text = str(view[pos:end], encoding)
        except UnicodeDecodeError as exc:
            good = str(view[pos : pos + exc.start], encoding)
            return pos + exc.start, nonascii + len(good) - len(good.encode("ascii", "ignore"))
        if not text.isascii():
            nonascii += len(text) - len(text.encode("ascii", "ignore"))
        pos = end
    return None, nonascii


def _check_nul(data: bytes, file_name: str) -> None:
    at = data.find(b"\x00")
    if at < 0:
        return
    head = data[:4096]
    # a UTF-16 or binary file: a UTF-16 BOM, or a quarter of its first 4 KiB NUL bytes
    utf16 = head[:2] in (b"\xff\xfe", b"\xfe\xff") or head.count(b"\x00") * 4 >= len(head)
    raise InputError(
        "import.unreadable" if utf16 else "import.nul_byte",
        file=file_name,
        row=_line_of(data, at),
        expected=_ENCODINGS_EXPECTED,
        offset=at,
    )


def detect_encoding(data: bytes, *, file_name: str) -> str:
    """The encoding of text ``data``, validated over the whole file without decoding it whole.

    ``"utf-8-sig"`` (a BOM), ``"utf-8"``, ``"gbk"`` or ``"gb18030"`` (a superset of GBK), tried
    in that order. A file that is UTF-8 (a BOM, or at least three multi-byte UTF-8 characters)
    up to a line that is not raises ``import.mixed_encoding`` naming that line (``row``) and its
    byte ``offset`` rather than reading the file as GBK mojibake; a file valid in none raises
    ``import.bad_encoding`` at the first byte GB18030 cannot decode. NUL bytes raise
    ``import.nul_byte`` (or ``import.unreadable`` for a UTF-16/binary file) naming the line.
    """
    _check_nul(data, file_name)
    bom = data.startswith(_UTF8_BOM)
    bad, evidence = _first_failure(data, 3 if bom else 0, "utf-8")
    if bad is None:
        return "utf-8-sig" if bom else "utf-8"
    if bom or evidence >= _UTF8_EVIDENCE_CHARS:
        raise InputError(
            "import.mixed_encoding",
            file=file_name,
            row=_line_of(data, bad),
            expected="the whole file in one encoding (UTF-8)",
            offset=bad,
        )
    if _first_failure(data, 0, "gbk")[0] is None:
        return "gbk"
    bad = _first_failure(data, 0, "gb18030")[0]
    if bad is None:
        return "gb18030"
    raise InputError(
        "import.bad_encoding",
        file=file_name,
        row=_line_of(data, bad),
        expected=_ENCODINGS_EXPECTED,
        offset=bad,
    )


def decode(data: bytes, *, file_name: str) -> tuple[str, str]:
    """Decode text bytes whole; returns ``(text, encoding)``. For small texts only: the
    readers validate with :func:`detect_encoding` and parse the bytes instead."""
    encoding = detect_encoding(data, file_name=file_name)
    return data.decode(encoding), encoding


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


def _column_letter(index: int) -> str:
    """Spreadsheet letter of 1-based column ``index`` (1 → ``A``, 27 → ``AA``)."""
    out = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _field_error(file_name: str, row: int, col: int | None, chars: int) -> InputError:
    return InputError(
        "import.field_too_large",
        file=file_name,
        row=row,
        column=_column_letter(col) if col else None,
        expected=f"at most {MAX_FIELD_CHARS} characters in a cell",
        chars=chars,
        limit=MAX_FIELD_CHARS,
    )


def _check_line_fields(line: str, delimiter: str | None, row: int, file_name: str) -> None:
    """Refuse a sample line holding a cell over :data:`MAX_FIELD_CHARS` (named by column)."""
    if len(line) <= MAX_FIELD_CHARS:
        return
    try:
        fields = next(csv.reader([line], delimiter=delimiter or "\x1f"), [])
    except csv.Error:  # longer than csv's own limit: locate it by plain splitting
        fields = line.split(delimiter) if delimiter else [line]
    for j, f in enumerate(fields, start=1):
        if len(f) > MAX_FIELD_CHARS:
            raise _field_error(file_name, row, j, len(f))


def _head_lines(data: bytes, encoding: str) -> list[str]:
    """The first :data:`_SAMPLE_LINES` lines, decoded (only those bytes are decoded)."""
    sep = b"\n" if b"\n" in data[: 1 << 20] or b"\r" not in data[: 1 << 20] else b"\r"
    end = -1
    for _ in range(_SAMPLE_LINES):
        end = data.find(sep, end + 1)
        if end < 0:
            end = len(data)
            break
    return data[: end + 1].decode(encoding).splitlines()[:_SAMPLE_LINES]


_BLANK_LINE_RE = re.compile(rb"\n[ \t\r,;\x1f]*\n")
_BLANK_BYTES = b" \t\r\n,;\x1f"


def _precheck_rows(data: bytes, first_line: int, max_rows: int, file_name: str) -> None:
    """Refuse more than ``max_rows`` non-blank data lines, counted on the raw bytes before
    anything is parsed; ``first_line`` is the 1-based line of the first data row. Skipped for
    a file with quotes (a quoted cell may span lines) or without line feeds: pandas' ``nrows``
    then bounds the parse and :func:`_finish` reports the row."""
    if b'"' in data or b"\n" not in data:
        return
    end = len(data)
    while end and data[end - 1] in _BLANK_BYTES:
        end -= 1
    lines = data.count(b"\n", 0, end) + 1
    if lines - (first_line - 1) <= max_rows:
        return
    if _BLANK_LINE_RE.search(data) is None:  # every line a row: the first over the cap
        row = first_line + max_rows
    else:  # walk the lines, skipping blank ones
        pos, line, seen = 0, 1, 0
        while line < first_line:
            pos, line = data.index(b"\n", pos) + 1, line + 1
        while True:
            nl = data.find(b"\n", pos)
            stop = end if nl < 0 else nl
            if data[pos:stop].strip(_BLANK_BYTES):
                seen += 1
                if seen > max_rows:
                    row = line
                    break
            if nl < 0:
                return
            pos, line = nl + 1, line + 1
    raise InputError(
        "import.too_many_rows",
        file=file_name,
        row=row,
        expected=f"at most {max_rows} rows",
        limit=max_rows,
    )


def _read_csv_bytes(data: bytes, *, encoding: str, file_name: str, max_rows: int) -> RawTable:
    head_lines = _head_lines(data, encoding)
    limit = csv.field_size_limit()  # read, never set: it is process-wide
    delimiter = sniff_delimiter([ln for ln in head_lines if len(ln) <= limit])
    for i, ln in enumerate(head_lines, start=1):
        _check_line_fields(ln, delimiter, i, file_name)
    try:
        sample = _split_sample(head_lines, delimiter or "\x1f")
    except csv.Error:  # an open quote joining lines past csv's limit
        raise _field_error(file_name, 1, None, limit) from None
    h = find_header(sample)
    headerless = h < 0
    skip = 0 if headerless else h
    _precheck_rows(data, 1 if headerless else skip + 2, max_rows, file_name)
    # lines parsed: the header and up to two lines per row, so blank lines between rows are
    # read too (a cap in rows alone would silently drop the rows after many blank lines)
    line_cap = 2 * max_rows + 1
    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            sep=delimiter or "\x1f",
            header=None,
            skiprows=skip,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            nrows=line_cap + 1,
            engine="c",
            encoding=encoding,
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
        lengths = frame[c].str.len().to_numpy()
        if len(lengths) and lengths.max() > MAX_FIELD_CHARS:
            k = int(np.argmax(lengths > MAX_FIELD_CHARS))
            raise _field_error(file_name, skip + 1 + k, c + 1, int(lengths[k]))
    if len(frame) > line_cap and (frame != "").any(axis=1).sum() <= max_rows + 1:
        raise InputError(  # blank-line flood: fewer rows than the cap, lines beyond reading
            "import.too_many_rows",
            file=file_name,
            row=skip + 1 + line_cap,
            expected=f"at most {max_rows} rows and {line_cap} lines",
            limit=max_rows,
        )
    preamble = [ln for ln in head_lines[:skip] if ln.strip()]
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


#: An XLSX is a zip archive: refuse one that would unpack to more than this [bytes]. A year of
#: 1-minute readings (525,600 rows × 2 cells) is ~55 MB of sheet XML; 300 MB leaves room.
MAX_XLSX_UNPACKED_BYTES = 300_000_000
#: Largest inflation of one member (uncompressed ÷ compressed bytes); real sheets are ~9×.
MAX_COMPRESSION_RATIO = 100
#: Members smaller than this [bytes] unpacked are harmless whatever their ratio.
_RATIO_FLOOR_BYTES = 1_000_000
#: Most entries a workbook's zip directory may hold (a workbook has a few dozen).
MAX_ARCHIVE_MEMBERS = 10_000


def _zip_entries(data: bytes) -> int | None:
    """Entry count from the zip's end-of-central-directory record (ZIP64 aware), read
    before :mod:`zipfile` builds an object per entry; ``None`` when it cannot be found."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return None
    entries = struct.unpack_from("<H", data, at + 10)[0]
    if entries == 0xFFFF and at >= 20 and data[at - 20 : at - 16] == b"PK\x06\x07":
        offset = struct.unpack_from("<Q", data, at - 12)[0]
        if data[offset : offset + 4] == b"PK\x06\x06" and offset + 40 <= len(data):
            entries = struct.unpack_from("<Q", data, offset + 32)[0]
    return entries


def check_archive(data: bytes, *, file_name: str, limit: int = MAX_XLSX_UNPACKED_BYTES) -> None:
    """Refuse a zip (XLSX) bomb from its directory alone, before anything is inflated.

    More than :data:`MAX_ARCHIVE_MEMBERS` entries is ``import.archive_too_many_members``;
    members unpacking beyond ``limit`` bytes in total ``import.archive_too_large``; a member
    over 1 MB inflating more than :data:`MAX_COMPRESSION_RATIO` times ``import.archive_ratio``.
    The sizes are the directory's; :mod:`zipfile` stops a member at its declared size, so a
    member that lies cannot inflate further.
    """
    entries = _zip_entries(data)
    if entries is not None and entries > MAX_ARCHIVE_MEMBERS:
        raise InputError(
            "import.archive_too_many_members",
            file=file_name,
            expected=f"at most {MAX_ARCHIVE_MEMBERS} members",
            members=entries,
            limit=MAX_ARCHIVE_MEMBERS,
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, struct.error):
        raise InputError("import.unreadable", file=file_name, expected="an XLSX workbook") from None
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limit:
        raise InputError(
            "import.archive_too_large",
            file=file_name,
            expected=f"≤ {limit // 1_000_000} MB unpacked",
            size_mb=unpacked // 1_000_000,
            limit_mb=limit // 1_000_000,
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise InputError(
                "import.archive_ratio",
                file=file_name,
                expected=f"members inflating at most {MAX_COMPRESSION_RATIO} times",
                member=info.filename,
                ratio=int(ratio),
                limit=MAX_COMPRESSION_RATIO,
            )


_XML_READ_BYTES = 2_000_000  # most read of workbook.xml and its relationships
_DIMENSION_READ_BYTES = 65_536  # the dimension sits before <sheetData>, in the first bytes
_TAG_RE = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\b([^>]*)>")
_ATTR_RE = re.compile(rb"(?:[\w.-]+:)?([\w.-]+)\s*=\s*\"([^\"]*)\"")
_DIMENSION_RE = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*\"([^\"]*)\"")
_REF_RE = re.compile(r"^\$?([A-Za-z]{1,4})\$?(\d{1,12})$")


def _read_member(zf: zipfile.ZipFile, name: str, size: int) -> bytes:
    try:
        with zf.open(name) as f:
            return f.read(size)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return b""


def _worksheets(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """``(title, member)`` of each worksheet, from ``xl/workbook.xml`` and its relationships
    (read by pattern, at most 2 MB each); the members themselves when that fails."""
    attrs = {}
    rels: dict[str, str] = {}
    for tag, body in _TAG_RE.findall(
        _read_member(zf, "xl/_rels/workbook.xml.rels", _XML_READ_BYTES)
    ):
        if tag == b"Relationship":
            attrs = {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTR_RE.findall(body)}
            if "Id" in attrs and "Target" in attrs:
                target = html.unescape(attrs["Target"])
                path = target.lstrip("/") if target.startswith("/") else "xl/" + target
                rels[attrs["Id"]] = posixpath.normpath(path)
    names = set(zf.namelist())
    out = []
    for tag, body in _TAG_RE.findall(_read_member(zf, "xl/workbook.xml", _XML_READ_BYTES)):
        if tag == b"sheet":
            attrs = {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTR_RE.findall(body)}
            member = rels.get(attrs.get("id", ""))
            if member in names:
                out.append((html.unescape(attrs.get("name", member)), member))
    if not out:
        out = [(n, n) for n in sorted(names) if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)]
    return out


def _cell_ref(ref: str) -> tuple[int, int] | None:
    """``(row, column)`` of an ``A1`` reference, 1-based; ``None`` when malformed."""
    m = _REF_RE.match(ref.strip())
    if not m:
        return None
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def declared_dimension(zf: zipfile.ZipFile, member: str) -> tuple[str, int, int] | None:
    """A worksheet's declared ``<dimension ref>`` and its extent ``(ref, rows, columns)``
    (rows and columns counted from ``A1``), streamed from the first 64 KiB of its XML;
    ``None`` when it declares none."""
    m = _DIMENSION_RE.search(_read_member(zf, member, _DIMENSION_READ_BYTES))
    if not m:
        return None
    ref = m.group(1).decode("ascii", "replace")
    corners = [_cell_ref(p) for p in ref.split(":")[:2]]
    if not corners or any(c is None for c in corners):
        return None
    return ref, max(c[0] for c in corners), max(c[1] for c in corners)


def _sheet_too_large(file_name: str, title: str, max_rows: int, **found) -> InputError:
    return InputError(
        "import.sheet_too_large",
        file=file_name,
        expected=(f"at most {max_rows} rows, {MAX_COLUMNS} columns and {MAX_SHEET_CELLS} cells"),
        sheet=title,
        max_rows=max_rows,
        max_columns=MAX_COLUMNS,
        max_cells=MAX_SHEET_CELLS,
        **found,
    )


def _check_dimensions(data: bytes, *, file_name: str, max_rows: int) -> None:
    """Refuse a worksheet whose declared dimension passes the caps, before openpyxl opens it."""
    row_cap = max_rows + _SAMPLE_LINES
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for title, member in _worksheets(zf):
                dim = declared_dimension(zf, member)
                if dim is None:
                    continue
                ref, n_rows, n_cols = dim
                if n_rows > row_cap or n_cols > MAX_COLUMNS or n_rows * n_cols > MAX_SHEET_CELLS:
                    raise _sheet_too_large(
                        file_name, title, row_cap, dimension=ref, rows=n_rows, columns=n_cols
                    )
    except InputError:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, struct.error):
        raise InputError("import.unreadable", file=file_name, expected="an XLSX workbook") from None


_TIME_OR_NUMBER_RE = re.compile(
    r"^(?:\d{4}\s*[-/.年]\s*\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2}:\d{2}"
    r"|[-+]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$)"
)


def _table_score(sample: list[tuple[int, list[str]]]) -> tuple[bool, int]:
    """Whether a sheet's sample looks like a table of times and numbers, and how many rows
    say so: rows with two or more cells that read as a time or a number; it qualifies with
    at least two such rows making half of its non-empty rows."""
    hits = sum(
        1 for _, cells in sample if sum(bool(_TIME_OR_NUMBER_RE.match(c)) for c in cells) >= 2
    )
    return hits >= 2 and 2 * hits >= len(sample), hits


class _Rows:
    """Streams one worksheet's non-empty rows as ``(row, cells)`` within the bounds."""

    def __init__(self, file_name: str, deadline: float, budget_s: float, row_cap: int) -> None:
        self.file_name, self.deadline, self.budget_s, self.row_cap = (
            file_name,
            deadline,
            budget_s,
            row_cap,
        )

    def read(self, ws, title: str, limit: int) -> list[tuple[int, list[str]]]:
        out: list[tuple[int, list[str]]] = []
        for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if time.monotonic() > self.deadline:
                raise InputError(
                    "import.time_budget",
                    file=self.file_name,
                    row=r,
                    expected=f"a workbook read within {self.budget_s:g} s",
                    seconds=self.budget_s,
                    sheet=title,
                )
            if r > EXCEL_MAX_ROWS:
                raise _sheet_too_large(
                    self.file_name,
                    title,
                    self.row_cap,
                    dimension=f"A1:{_column_letter(max(len(values or ()), 1))}{r}",
                    rows=r,
                    columns=max(len(values or ()), 1),
                )
            if not values:
                continue
            cells = self._cells(values, r)
            if any(cells):
                out.append((r, cells))
                if len(out) >= limit:
                    break
        return out

    def _cells(self, values: tuple, r: int) -> list[str]:
        if len(values) > MAX_COLUMNS:
            extra = next(
                (j for j in range(MAX_COLUMNS, len(values)) if _cell_text(values[j]) != ""), None
            )
            if extra is not None:
                raise InputError(
                    "import.too_many_columns",
                    file=self.file_name,
                    row=r,
                    column=_column_letter(extra + 1),
                    expected=f"at most {MAX_COLUMNS} columns",
                    limit=MAX_COLUMNS,
                )
            values = values[:MAX_COLUMNS]
        cells = [_cell_text(v) for v in values]
        for j, c in enumerate(cells, start=1):
            if len(c) > MAX_FIELD_CHARS:
                raise _field_error(self.file_name, r, j, len(c))
        return cells


def _open_workbook(data: bytes, file_name: str):
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any failure of openpyxl on a damaged or crafted workbook
        raise InputError("import.unreadable", file=file_name, expected="an XLSX workbook") from None
    for ws in wb.worksheets:
        if hasattr(ws, "reset_dimensions"):  # read every row, pad none to the declared width
            ws.reset_dimensions()
    return wb


def _read_xlsx(
    data: bytes, *, file_name: str, max_rows: int, sheet: str | None, time_budget_s: float
) -> RawTable:
    check_archive(data, file_name=file_name)
    _check_dimensions(data, file_name=file_name, max_rows=max_rows)
    deadline = time.monotonic() + time_budget_s
    wb = _open_workbook(data, file_name)
    reader = _Rows(file_name, deadline, time_budget_s, max_rows + _SAMPLE_LINES)
    try:
        titles = [ws.title for ws in wb.worksheets]
        if sheet is not None:
            if sheet not in titles:
                raise InputError(
                    "import.unknown_sheet",
                    file=file_name,
                    expected="one of " + ", ".join(titles),
                    sheet=sheet,
                    sheets=", ".join(titles),
                )
            chosen = wb.worksheets[titles.index(sheet)]
        else:
            chosen = _choose_sheet(wb.worksheets, reader)
        rows = (
            reader.read(chosen, chosen.title, max_rows + _SAMPLE_LINES + 1)
            if chosen is not None
            else []
        )
    except InputError:
        raise
    except Exception:  # openpyxl failing mid-sheet (bad XML, CRC error, odd cell)
        raise InputError("import.unreadable", file=file_name, expected="an XLSX workbook") from None
    finally:
        wb.close()
    if not rows:
        raise InputError("import.empty", file=file_name)
    return _xlsx_table(rows, chosen.title, file_name, max_rows)


def _choose_sheet(worksheets, reader: _Rows):
    """The first sheet that looks like a table of times and numbers, else the one with most
    such rows, else the first with two rows of two cells, else the first non-empty one."""
    best, best_hits, fallback, first = None, 0, None, None
    for ws in worksheets:
        sample = reader.read(ws, ws.title, _SAMPLE_LINES)
        qualifies, hits = _table_score(sample)
        if qualifies:
            return ws
        if hits > best_hits:
            best, best_hits = ws, hits
        if fallback is None and sum(1 for _, c in sample if _nonempty(c) >= 2) >= 2:
            fallback = ws
        if first is None and sample:
            first = ws
    return best or fallback or first


def _xlsx_table(
    rows: list[tuple[int, list[str]]], title: str, file_name: str, max_rows: int
) -> RawTable:
    width = max(len(c) for _, c in rows)
    grid = [c + [""] * (width - len(c)) for _, c in rows]
    numbers = np.array([r for r, _ in rows], dtype=np.int64)
    h = find_header(grid[:_SAMPLE_LINES])
    if h < 0:
        header = [f"column_{i + 1}" for i in range(width)]
        body, body_rows, hrow, preamble = grid, numbers, 0, []
    else:
        header = grid[h]
        body, body_rows, hrow = grid[h + 1 :], numbers[h + 1 :], int(numbers[h])
        preamble = [" ".join(c for c in r if c) for r in grid[:h] if _nonempty(r)]
    cells = (
        pd.DataFrame(body, columns=range(width), dtype=str)
        if body
        else pd.DataFrame(columns=range(width))
    )
    return _finish(
        header, cells, body_rows, hrow, preamble, "utf-8", None, title, file_name, max_rows
    )
