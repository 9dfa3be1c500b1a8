"""Import a grid company's monthly agency-purchase table (copied to CSV/XLSX) as a TOML file.

The published table (代理购电工商业用户电价表) has one row per user class and voltage level
and Chinese column headers, for example::

    国网江苏省电力有限公司代理工商业用户购电价格表（2026年11月）
    单位：元/千瓦时
    用电分类, 电压等级, 电度用电价格, 代理购电价格, 上网环节线损费用折价, 电度输配电价,
    系统运行费用折价, 政府性基金及附加, 需量电价(元/千瓦·月), 容量电价(元/千伏安·月)
    两部制, 1-10（20）千伏, 0.6400, …

:func:`import_agency_table` picks the row of one user class and voltage, reads each
component (分/千瓦时 is converted to 元), checks that the components add up to the row's
电度用电价格 when the table gives it, and returns the TOML text of an
:mod:`analytics.tou.agency` file (validated by loading it back). Bad input raises a named
:class:`~analytics.findings.InputError` (``agency_import.*``) with file, row and column.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from analytics.findings import InputError
from analytics.iotools.raw import check_archive, decode
from analytics.tou.agency import COMPONENTS, MAX_PRICE_CNY_PER_KWH, load_agency_table

#: Header patterns of the published columns (first match wins, in this order).
COLUMN_PATTERNS: tuple[tuple[str, str], ...] = (
    ("demand", r"需量"),
    ("capacity", r"容量"),
    ("category", r"用电分类|用电类别|用户类别|分类"),
    ("voltage", r"电压等级|电压"),
    ("total", r"电度用电价格|电度电价|用电价格"),
    ("on_grid_line_loss", r"线损"),
    ("system_operation", r"系统运行"),
    ("government_funds", r"政府性基金|基金"),
    ("transmission_distribution", r"输配电"),
    ("agency_purchase_price", r"代理购电价格|上网电价|购电价格"),
)
#: Components that float, by province, where a sourced rule says so (market-2026 §3.2,
#: domain-facts §2.1, §2.4); other provinces need ``floating`` given.
KNOWN_FLOATING: dict[str, tuple[str, ...]] = {
    "jiangsu": ("agency_purchase_price",),
    "guizhou": ("agency_purchase_price", "on_grid_line_loss"),
    "guangdong": (
        "agency_purchase_price",
        "on_grid_line_loss",
        "transmission_distribution",
        "system_operation",
    ),
}
MAX_ROWS = 500
MAX_TABLE_BYTES = 5 * 2**20  # a monthly table is a few KB
SUM_TOLERANCE = 1e-4  # CNY/kWh: components vs the table's 电度用电价格
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class ImportSpec:
    """What to import: the table's province, month, the row to pick and the metadata."""

    province: str
    month: str  # "YYYY-MM"
    row_class: str = "两部制"  # text the user-class cell contains
    row_voltage: str = "1-10"  # text the voltage cell contains (after normalising)
    user_class: str = "large_industrial_two_part"
    voltage: str = "1-10kV"
    applies_to: str = "agency"
    floating: tuple[str, ...] | None = None
    source: str = ""
    source_url: str = ""
    confidence: str = "U"  # of the copied table (C1 when copied from the grid company's notice)


def _norm(text: str) -> str:
    """Half-width, no spaces: '1~10（20）千伏' → '1-10(20)千伏'."""
    table = str.maketrans(
        {"（": "(", "）": ")", "～": "-", "~": "-", "—": "-", "–": "-", "－": "-"}
    )
    return re.sub(r"\s+", "", str(text)).translate(table)


def _grid(data: bytes, file_name: str) -> list[list[str]]:
    """Cells of the file as text rows (row k = spreadsheet row k + 1), bounded before reading."""
    if len(data) > MAX_TABLE_BYTES:
        raise InputError("import.file_too_large", file=file_name, size_mb=len(data) // 2**20,
                         limit_mb=MAX_TABLE_BYTES // 2**20)  # fmt: skip
    if not data.strip():
        raise InputError("import.empty", file=file_name)
    if data[:4] == b"PK\x03\x04":
        import openpyxl

        check_archive(data, file_name=file_name)
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise InputError(
                "import.unreadable", file=file_name, expected="an XLSX workbook"
            ) from None
        out: list[list[str]] = []
        for r in wb.worksheets[0].iter_rows(values_only=True):
            out.append(["" if v is None else str(v).strip() for v in r][:64])
            if len(out) > MAX_ROWS:
                raise InputError("import.too_many_rows", file=file_name, limit=MAX_ROWS)
        wb.close()
        return out
    text, _ = decode(data, file_name=file_name)
    lines = text.splitlines()
    if len(lines) > MAX_ROWS:
        raise InputError("import.too_many_rows", file=file_name, limit=MAX_ROWS)
    sample = [ln for ln in lines if "电压" in ln] or lines
    delim = max(("\t", ";", ","), key=lambda d: sum(ln.count(d) for ln in sample))
    return [[c.strip() for c in row] for row in csv.reader(lines, delimiter=delim)]


def _header_row(grid: list[list[str]], file: str) -> int:
    for k, row in enumerate(grid):
        if any(re.search(r"电压", c) for c in row) and any(re.search(r"分类|类别", c) for c in row):
            return k
    raise InputError(
        "agency_import.no_header",
        file=file,
        expected="columns 用电分类, 电压等级 and at least one price component",
        missing="用电分类, 电压等级",
    )


def _columns(header: Sequence[str], file: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, h in enumerate(header):
        for key, pat in COLUMN_PATTERNS:
            if key not in found and re.search(pat, h):
                found[key] = i
                break
    missing = [k for k in ("category", "voltage") if k not in found]
    comps = [k for k in found if k in COMPONENTS]
    if missing or not comps:
        raise InputError(
            "agency_import.no_header",
            file=file,
            expected="columns 用电分类, 电压等级 and at least one price component",
            missing=", ".join(missing) or "price components",
        )
    return found


def _unit_divisor(header: Sequence[str], preamble: Sequence[str]) -> float:
    text = " ".join([*preamble, *header])
    return 100.0 if "分/千瓦时" in text or "分／千瓦时" in text else 1.0


def _number(text: str, *, file: str, row: int, column: str) -> float | None:
    t = str(text).strip().replace(",", "")
    if t in ("", "-", "—", "/"):
        return None
    try:
        return float(t)
    except ValueError:
        raise InputError(
            "agency_import.bad_number", file=file, row=row, column=column, value=t,
            expected="a number",
        ) from None  # fmt: skip


def _cell(row: list[str], i: int) -> str:
    return row[i] if i < len(row) else ""


def _pick_row(body: list[list[str]], first: int, cols: dict[str, int], spec: ImportSpec,
              file: str) -> int:  # fmt: skip
    """Index in ``body`` of the one data row of the class and voltage (``first`` = the
    spreadsheet row of ``body[0]``); category cells may be merged (blank below the first row
    of a block), so a blank category inherits the one above."""
    rows = [first + k for k in range(len(body))]
    want_c, want_v = _norm(spec.row_class), _norm(spec.row_voltage)
    hits, seen, category = [], [], ""
    for k, r in enumerate(body):
        v = _norm(_cell(r, cols["voltage"]))
        if not v:
            continue
        c = _norm(_cell(r, cols["category"])) or category
        category = c
        seen.append(f"{c} {v}".strip())
        if want_c in c and want_v in v:
            hits.append(k)
    if not hits:
        raise InputError(
            "agency_import.no_matching_row",
            file=file,
            expected=f"a row with {spec.row_class} and {spec.row_voltage}",
            rows="; ".join(seen[:12]),
        )
    if len(hits) > 1:
        raise InputError(
            "agency_import.several_rows",
            file=file,
            row=int(rows[hits[1]]),
            expected=f"one row with {spec.row_class} and {spec.row_voltage}",
            rows=", ".join(str(int(rows[h])) for h in hits),
        )
    return hits[0]


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def import_agency_table(data: bytes, *, file_name: str, spec: ImportSpec) -> str:
    """TOML text of the month's table from the published CSV/XLSX bytes (see module doc)."""
    if not _MONTH_RE.match(spec.month):
        raise InputError("agency_import.bad_option", option="--month", value=spec.month,
                         expected="YYYY-MM")  # fmt: skip
    floating = spec.floating or KNOWN_FLOATING.get(spec.province.strip().lower())
    if not floating or any(f not in COMPONENTS for f in floating):
        raise InputError("agency_import.bad_option", option="--floating",
                         value=",".join(floating or ()), expected=", ".join(COMPONENTS))  # fmt: skip
    grid = _grid(data, file_name)
    h = _header_row(grid, file_name)
    header = grid[h]
    cols = _columns(header, file_name)
    unit = _unit_divisor(header, [" ".join(r) for r in grid[:h]])
    k = _pick_row(grid[h + 1 :], h + 2, cols, spec, file_name)
    row = h + 2 + k
    cells = grid[h + 1 + k]
    values: dict[str, float] = {}
    for key, i in cols.items():
        if key in ("category", "voltage"):
            continue
        v = _number(_cell(cells, i), file=file_name, row=row, column=header[i])
        if v is None:
            continue
        if key not in ("demand", "capacity"):
            v /= unit
            if not 0 <= v <= MAX_PRICE_CNY_PER_KWH:
                raise InputError("agency_import.price_out_of_range", file=file_name, row=row,
                                 column=header[i], value=v,
                                 expected=f"0–{MAX_PRICE_CNY_PER_KWH} CNY/kWh")  # fmt: skip
        values[key] = v
    comps = {c: values[c] for c in COMPONENTS if c in values}
    if not any(c in comps for c in floating):
        raise InputError("agency_import.no_floating_column", file=file_name, row=row,
                         expected=", ".join(floating))  # fmt: skip
    total = values.get("total")
    if total is not None and abs(sum(comps.values()) - total) > SUM_TOLERANCE:
        raise InputError("agency_import.sum_mismatch", file=file_name, row=row,
                         column=header[cols["total"]], total=total,
                         components=round(sum(comps.values()), 6))  # fmt: skip
    text = _render(spec, comps, floating, values, file_name, row, complete=total is not None)
    load_agency_table(text, file=f"{spec.province.lower()}/{spec.month}.toml")  # round trip
    return text


def _render(
    spec: ImportSpec,
    comps: dict[str, float],
    floating: Sequence[str],
    values: dict[str, float],
    file_name: str,
    row: int,
    *,
    complete: bool,
) -> str:
    src = spec.source or f"{file_name}, row {row}"
    lines = [
        f"# Imported from {file_name} (row {row}) by `python -m analytics agency import`.",
        f"province = {_toml_str(spec.province)}",
        f"month = {_toml_str(spec.month)}",
        f"user_class = {_toml_str(spec.user_class)}",
        f"voltage = {_toml_str(spec.voltage)}",
        f"applies_to = {_toml_str(spec.applies_to)}",
        f"source = {_toml_str(src)}",
    ]
    if spec.source_url:
        lines.append(f"source_url = {_toml_str(spec.source_url)}")
    lines += [
        f"confidence = {_toml_str(spec.confidence)}",
        "illustrative = false",
        f"absent = {json.dumps([c for c in COMPONENTS[:5] if c not in comps])}",
        # complete: the components add up to the row's 电度用电价格 (checked); without that
        # column the sum cannot be checked and the months it prices are warned about
        f"complete = {'true' if complete else 'false'}",
    ]
    if "demand" in values:
        lines.append(f"demand_cny_per_kw_month = {values['demand']!r}")
    if "capacity" in values:
        lines.append(f"capacity_cny_per_kva_month = {values['capacity']!r}")
    for name, price in comps.items():
        lines += [
            "",
            "[[component]]",
            f"name = {_toml_str(name)}",
            f"price_cny_per_kwh = {round(price, 8)!r}",
            f"floats = {'true' if name in floating else 'false'}",
            f"source = {_toml_str(src)}",
            f"confidence = {_toml_str(spec.confidence)}",
        ]
    return "\n".join(lines) + "\n"
