"""Hostile manifests and hostile text cells in every file the portfolio and the downloads write.

Manifests: every ``path`` must resolve inside the manifest's folder (``..`` in either
separator, absolute POSIX/Windows/UNC paths, NUL, symlinks out, symlink loops are the row's
``portfolio.manifest_path``, column ``path``), the refused file is never opened (an audit hook
records every ``open`` of the process) and nothing of it is echoed; one ``enterprise_id`` with
two sets of master data is ``portfolio.manifest_duplicate_id`` on every row of that id.

Writers: one frame of CR/LF/quote/formula cells goes through ``csv_bytes``, ``xlsx_bytes``,
``write_table`` (csv, xlsx, parquet) and both ``export_dataset`` modes; each file is read back
with ``csv``, pandas (and openpyxl for XLSX): one row per record, no text cell or column name
starting with ``= + - @``, tab or CR, and the exact neutralised texts.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analytics.cli.errors import error_line
from analytics.findings import InputError
from analytics.portfolio.export import export_dataset
from analytics.portfolio.ingestion import ingest, read_manifest
from analytics.portfolio.rows import COLUMNS, finalize
from analytics.portfolio.screening import write_table
from analytics.portfolio.store import Workspace
from ui.downloads import csv_bytes, xlsx_bytes

HEADER = "enterprise_id,enterprise_name,province,industry,kind,path,tz,pv_kwp\n"
SECRET_MARK = "TOPSECRET-9f3c"  # the header of the outside file: must never appear anywhere
N_INTERVALS = 192  # 2 days × 96 quarter hours

# ---------------------------------------------------------------------- open() audit spy

_OPENED: list[list[str]] = []  # a stack of recorders; the hook appends to the innermost


def _audit(event: str, args: tuple) -> None:
    if event == "open" and _OPENED and isinstance(args[0], (str, bytes, os.PathLike)):
        _OPENED[-1].append(os.fsdecode(args[0]))


sys.addaudithook(_audit)  # audit hooks cannot be removed; idle while no recorder is pushed


@contextmanager
def opened_paths() -> Iterator[list[str]]:
    """Every path this process opens (``open``, ``os.open``, ``Path.read_bytes``…) inside."""
    rec: list[str] = []
    _OPENED.append(rec)
    try:
        yield rec
    finally:
        _OPENED.pop()


def _load_csv(value_kwh: float = 10.0) -> str:
    idx = pd.date_range("2025-03-03", periods=N_INTERVALS, freq="15min")
    return "timestamp,kwh\n" + "".join(f"{t:%Y-%m-%d %H:%M},{value_kwh}\n" for t in idx)


def _pv_csv() -> str:
    idx = pd.date_range("2025-03-03", periods=N_INTERVALS, freq="15min")
    return "timestamp,kw\n" + "".join(f"{t:%Y-%m-%d %H:%M},5\n" for t in idx)


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path]:
    """``m/`` (the manifest's folder, with ``m/inside.csv``) and ``outside/secret.csv``, whose
    first line is :data:`SECRET_MARK`."""
    m, outside = tmp_path / "m", tmp_path / "outside"
    (m / "sub").mkdir(parents=True)
    outside.mkdir()
    (m / "inside.csv").write_text(_load_csv())
    (outside / "secret.csv").write_text(SECRET_MARK + ",kwh\n" + _load_csv().split("\n", 1)[1])
    return m, outside


def _manifest(m: Path, *lines: str) -> Path:
    p = m / "manifest.csv"
    p.write_text(HEADER + "".join(line + "\n" for line in lines))
    return p


def _assert_refused_unopened(m: Path, outside: Path, cell: str) -> None:
    """Ingest a one-row manifest naming ``cell``: row 2, column path, manifest_path; no file
    of ``outside`` opened, the mark in no message, nothing stored."""
    manifest = _manifest(m, f"E1,a,Jiangsu,textiles,load,{cell},,")
    with opened_paths() as seen:
        (out,) = ingest(manifest, m / "ws.duckdb", workers=1)
    assert out.status == "error" and out.error is not None
    assert (out.error.code, out.error.file, out.error.row, out.error.column) == (
        "portfolio.manifest_path", "manifest.csv", 2, "path",
    )  # fmt: skip
    assert not [p for p in seen if Path(p).resolve().is_relative_to(outside.resolve())]
    texts = (str(out.error), error_line(out.error, "en"), error_line(out.error, "zh-CN"))
    assert all(SECRET_MARK not in t and "kwh" not in t for t in texts)
    with Workspace(m / "ws.duckdb", read_only=True) as ws:
        assert ws.con.execute("SELECT count(*) FROM intervals").fetchall() == [(0,)]


# ------------------------------------------------------------------ traversal, absolute


@pytest.mark.parametrize(
    "cell",
    [
        "../outside/secret.csv",  # plain parent
        "sub/../../outside/secret.csv",  # down then two up
        "./../outside/secret.csv",
        "..\\outside\\secret.csv",  # Windows separators
        "sub\\..\\..\\outside\\secret.csv",
        "sub/..\\../outside/secret.csv",  # mixed separators
    ],
)
def test_parent_traversal_is_refused_and_the_target_never_opened(site, cell: str) -> None:
    m, outside = site
    _assert_refused_unopened(m, outside, cell)


def test_an_absolute_posix_path_is_refused_and_never_opened(site) -> None:
    m, outside = site
    _assert_refused_unopened(m, outside, str(outside / "secret.csv"))


@pytest.mark.parametrize(
    "cell",
    ["C:\\Windows\\win.ini", "C:relative.csv", "\\\\host\\share\\x.csv", "\\rooted.csv", "c:/x"],
)
def test_windows_drive_unc_and_rooted_paths_are_refused(site, cell: str) -> None:
    m, outside = site
    _assert_refused_unopened(m, outside, cell)


def test_a_dotdot_that_comes_back_inside_is_still_refused(site) -> None:
    # rule: no ".." part at all (DESIGN: "no `..`"), even sub/../inside.csv == inside.csv
    m, outside = site
    _assert_refused_unopened(m, outside, "sub/../inside.csv")


# ---------------------------------------------------------------------------- symlinks


def test_a_symlink_to_a_file_outside_is_refused_and_never_opened(site) -> None:
    m, outside = site
    (m / "today.csv").symlink_to(outside / "secret.csv")
    _assert_refused_unopened(m, outside, "today.csv")


def test_a_symlinked_folder_pointing_outside_is_refused(site) -> None:
    m, outside = site
    (m / "archive").symlink_to(outside, target_is_directory=True)
    _assert_refused_unopened(m, outside, "archive/secret.csv")


def test_a_symlink_loop_is_refused(site) -> None:
    m, outside = site
    (m / "loop.csv").symlink_to(m / "loop.csv")
    _assert_refused_unopened(m, outside, "loop.csv")


def test_a_symlink_inside_to_a_file_inside_is_imported(site) -> None:
    m, _ = site
    (m / "sub" / "today.csv").symlink_to(m / "inside.csv")
    manifest = _manifest(m, "E1,a,Jiangsu,textiles,load,sub/today.csv,,")
    with opened_paths() as seen:
        (out,) = ingest(manifest, m / "ws.duckdb", workers=1)
    # the spy works: the link's target was opened by its resolved path
    assert str((m / "inside.csv").resolve()) in seen
    # 2 days × 96 = 192 new intervals; the file keeps the manifest's name
    assert (out.status, out.new, out.file_name, out.error) == ("ok", N_INTERVALS, "today.csv", None)


def test_one_refused_row_does_not_stop_the_others(site) -> None:
    m, outside = site
    manifest = _manifest(
        m,
        "E1,a,Jiangsu,textiles,load,inside.csv,,",
        "E2,b,Jiangsu,textiles,load,../outside/secret.csv,,",
        f"E3,c,Jiangsu,textiles,load,{outside / 'secret.csv'},,",
    )
    outcomes = ingest(manifest, m / "ws.duckdb", workers=1)
    assert [(o.row, o.status) for o in outcomes] == [(2, "ok"), (3, "error"), (4, "error")]
    assert [(o.error.code, o.error.row, o.error.column) for o in outcomes[1:]] == [
        ("portfolio.manifest_path", 3, "path"),
        ("portfolio.manifest_path", 4, "path"),
    ]
    assert outcomes[0].new == N_INTERVALS  # 192


def test_the_cli_names_row_and_column_and_echoes_nothing_of_the_target(
    site, capsys: pytest.CaptureFixture[str]
) -> None:
    from analytics.cli.main import main

    m, _ = site
    manifest = _manifest(m, "E1,a,Jiangsu,textiles,load,../outside/secret.csv,,")
    argv = ["portfolio", "ingest", str(manifest), "--workspace", str(m / "ws.duckdb")]
    assert main([*argv, "--workers", "1"]) == 1  # 1 = some files failed (the batch ran)
    out = capsys.readouterr()
    assert "row 2, column path" in out.out and "../outside/secret.csv" in out.out
    assert SECRET_MARK not in out.out + out.err and "Traceback" not in out.err


def test_a_long_manifest_cell_is_cut_and_its_controls_blanked(site) -> None:
    m, _ = site
    cell = "../" + "x" * 300  # 303 characters → 119 shown + "…"
    (row,) = read_manifest(_manifest(m, f'E1,a,Jiangsu,textiles,load,"{cell}\tz",,'))
    assert isinstance(row, InputError) and row.code == "portfolio.manifest_path"
    assert row.params["value"] == cell[:119] + "…"
    (row,) = read_manifest(_manifest(m, 'E1,a,Jiangsu,textiles,"heat\r\n=X",inside.csv,,'))
    # the quoted kind cell holds CR LF: echoed as "heat  =X" (each control → one space)
    assert (row.code, row.row, row.column) == ("portfolio.manifest_value", 2, "kind")
    assert row.params["value"] == "heat  =X"


# -------------------------------------------------------------------------- duplicate ids


def test_one_id_with_two_names_refuses_both_rows(site) -> None:
    m, _ = site
    (m / "pv.csv").write_text(_pv_csv())
    manifest = _manifest(
        m,
        "E1,Alpha Textiles,Jiangsu,textiles,load,inside.csv,,100",
        "E1,Beta Foods,Jiangsu,textiles,pv,pv.csv,,100",
    )
    outcomes = ingest(manifest, m / "ws.duckdb", workers=1)
    errors = [o.error for o in outcomes]
    assert [(e.code, e.row, e.params["other_row"], e.column) for e in errors] == [
        ("portfolio.manifest_duplicate_id", 2, 3, "enterprise_name"),
        ("portfolio.manifest_duplicate_id", 3, 2, "enterprise_name"),
    ]
    line = error_line(outcomes[0].error, "en")
    assert "rows 2 and 3" in line and "enterprise_name" in line
    with Workspace(m / "ws.duckdb", read_only=True) as ws:  # nothing of E1 imported
        assert ws.con.execute("SELECT count(*) FROM intervals").fetchall() == [(0,)]


@pytest.mark.parametrize(
    "second, column",
    [
        ("E1,a,Zhejiang,textiles,pv,pv.csv,,100", "province"),
        ("E1,a,Jiangsu,foods,pv,pv.csv,,100", "industry"),
        ("E1,a,Jiangsu,textiles,pv,pv.csv,Asia/Urumqi,100", "tz"),
        ("E1,a,Jiangsu,textiles,pv,pv.csv,,120", "pv_kwp"),
        ("E1,a,Jiangsu,textiles,pv,pv.csv,,", "pv_kwp"),  # empty differs from 100
    ],
)
def test_each_master_data_field_counts(site, second: str, column: str) -> None:
    m, _ = site
    rows = read_manifest(_manifest(m, "E1,a,Jiangsu,textiles,load,inside.csv,,100", second))
    assert [(r.code, r.row, r.params["other_row"], r.column) for r in rows] == [
        ("portfolio.manifest_duplicate_id", 2, 3, column),
        ("portfolio.manifest_duplicate_id", 3, 2, column),
    ]


def test_three_rows_one_of_them_different(site) -> None:
    m, _ = site
    rows = read_manifest(
        _manifest(
            m,
            "E1,a,Jiangsu,textiles,load,inside.csv,,",
            "E1,a,Jiangsu,textiles,pv,pv.csv,,",
            "E2,b,Jiangsu,textiles,load,inside.csv,,",
            "E1,a,Anhui,textiles,production,runs.csv,,",
        )
    )
    # rows 2 and 3 agree, row 5 differs in province: 2 and 3 name row 5, row 5 names row 2;
    # row 4 (E2) is untouched
    assert [getattr(r, "code", "ok") for r in rows] == [
        "portfolio.manifest_duplicate_id", "portfolio.manifest_duplicate_id", "ok",
        "portfolio.manifest_duplicate_id",
    ]  # fmt: skip
    assert [
        (r.row, r.params["other_row"], r.column) for r in rows if isinstance(r, InputError)
    ] == [
        (2, 5, "province"),
        (3, 5, "province"),
        (5, 2, "province"),
    ]


def test_the_same_id_with_identical_master_data_stays_valid(site) -> None:
    m, _ = site
    (m / "pv.csv").write_text(_pv_csv())
    rows = read_manifest(
        _manifest(
            m,
            "E1,a,Jiangsu,textiles,load,inside.csv,,100",
            "E1,a,Jiangsu,textiles,pv,pv.csv,Asia/Shanghai,100.0",  # tz default, 100 = 100.0
            "E1,a,Jiangsu,textiles,production,runs.csv,,1e2",
        )
    )
    assert [type(r).__name__ for r in rows] == ["ManifestRow"] * 3
    outcomes = ingest(m / "manifest.csv", m / "ws.duckdb", workers=1)
    # load and pv: 192 new intervals each; the production row's file is missing (its own error)
    assert [(o.kind, o.status, o.new) for o in outcomes] == [
        ("load", "ok", N_INTERVALS), ("pv", "ok", N_INTERVALS), ("production", "error", 0),
    ]  # fmt: skip
    assert outcomes[2].error.code == "import.file_not_found"


# ------------------------------------------------------------------- hostile text cells

HOSTILE = [
    "textiles\r@SUM(A1:A9)",
    "a\nb",
    'x","y',
    "\t=1+1",
    '=HYPERLINK("http://x","y")',
    "\r\n=cmd|' /C calc'!A0",
    "+1",
    "-2",
    "@x",
    " =1",
    "plain",
    "a\u2028b",
    "line\r\nbreak",
]
#: safe_text by hand: breaks → one space (CRLF one), then "'" before a (blank-led) formula start
SAFE = [
    "textiles @SUM(A1:A9)",
    "a b",
    'x","y',
    "'\t=1+1",
    '\'=HYPERLINK("http://x","y")',
    "' =cmd|' /C calc'!A0",
    "'+1",
    "'-2",
    "'@x",
    "' =1",
    "plain",
    "a b",
    "line break",
]
N = len(HOSTILE)  # 13 records
STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": HOSTILE,
            "=col\nx": [f"v{i}" for i in range(N)],
            "kwh": [float(-i) for i in range(N)],  # negatives are numbers, left as they are
        }
    )


def _check_csv(text: str, text_columns: list[str], expected: dict[str, list[str]]) -> None:
    """One line per record (even a naive splitlines), csv and pandas agree, nothing starts
    like a formula unless it is a bare number."""
    assert len(text.splitlines()) == N + 1  # header + 13: no line break left in any cell
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == N + 1
    assert all(not c.startswith(STARTS) or _is_number(c) for r in rows for c in r)
    quoted = ",".join('"' + c.replace('"', '""') + '"' for c in rows[0])
    assert text.splitlines()[0] == quoted  # every column name quoted
    back = pd.read_csv(
        io.StringIO(text), dtype={c: str for c in text_columns}, keep_default_na=False
    )
    assert len(back) == N
    assert not [c for c in back.columns if str(c).startswith(STARTS)]
    for c in text_columns:
        assert not [v for v in back[c] if v.startswith(STARTS)]
    for c, values in expected.items():
        assert back[c].tolist() == values


def test_csv_download_keeps_one_row_per_record() -> None:
    text = csv_bytes(_frame()).decode("utf-8-sig")
    _check_csv(text, ["name", "'=col x"], {"name": SAFE})
    assert text.splitlines()[0] == '"name","\'=col x","kwh"'
    assert text.splitlines()[3] == '"x"",""y","v2",-2.0'  # the quote doubled, the cell kept


def test_csv_download_with_a_hostile_index() -> None:
    df = _frame().set_index("name")
    text = csv_bytes(df, index=True).decode("utf-8-sig")
    _check_csv(text, ["name", "'=col x"], {"name": SAFE})


def _check_xlsx(data: bytes | Path, sheet: str, expected: dict[str, list[str]]) -> None:
    wb = openpyxl.load_workbook(data if isinstance(data, Path) else io.BytesIO(data))
    ws = wb[sheet]
    assert ws.max_row == N + 1  # header + 13
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula cell
    assert not [c.value for c in cells if isinstance(c.value, str) and c.value.startswith(STARTS)]
    back = pd.read_excel(data if isinstance(data, Path) else io.BytesIO(data), sheet_name=sheet)
    assert len(back) == N
    for c, values in expected.items():
        assert back[c].tolist() == values


def test_xlsx_download_holds_no_formula() -> None:
    _check_xlsx(xlsx_bytes(_frame(), sheet="monthly"), "monthly", {"name": SAFE})


def _screen_table() -> pd.DataFrame:
    return finalize(
        [
            {
                "enterprise_id": f"E{i:02d}",
                "province": cell,
                "industry": HOSTILE[(i + 1) % N],
                "stage": cell,
                "error": cell,
                "energy_kwh": 1000.0 * (i + 1),
            }
            for i, cell in enumerate(HOSTILE)
        ]
    )


TEXT = ["enterprise_id", "province", "industry", "stage", "error"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_every_screen_format_keeps_one_row_per_record(tmp_path: Path, suffix: str) -> None:
    table = _screen_table()
    out = write_table(table, tmp_path / f"screen{suffix}")
    expected = {"province": SAFE, "error": SAFE}
    if suffix == ".csv":
        _check_csv(out.read_text(encoding="utf-8-sig"), TEXT, expected)
    elif suffix == ".xlsx":
        _check_xlsx(out, "portfolio", expected)
    else:
        back = pd.read_parquet(out)
        assert len(back) == N and list(back.columns) == list(COLUMNS)
        for c in TEXT:
            assert not [v for v in back[c] if isinstance(v, str) and v.startswith(STARTS)]
        assert back["province"].tolist() == SAFE
        assert back["energy_kwh"].tolist() == [1000.0 * (i + 1) for i in range(N)]


def _provenance() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "enterprise_id": ["E00"],
            "kind": ["load"],
            "file_name": ["=evil\r\nname.csv"],
            "sha256": ["0" * 64],
            "imported_at": [pd.Timestamp("2026-01-01T00:00:00Z")],
        }
    )


def test_the_full_export_keeps_one_row_per_record(tmp_path: Path) -> None:
    export_dataset(_screen_table(), _provenance(), tmp_path / "full")
    text = (tmp_path / "full" / "portfolio.csv").read_text(encoding="utf-8-sig")
    _check_csv(text, TEXT, {"province": SAFE, "stage": SAFE})
    dictionary = (tmp_path / "full" / "data_dictionary.csv").read_text(encoding="utf-8-sig")
    assert len(list(csv.reader(io.StringIO(dictionary)))) == len(COLUMNS) + 1


def test_the_anonymised_export_keeps_one_row_per_record(tmp_path: Path) -> None:
    # k = 1: every group published, so all 13 rows stay (no suppression to hide a broken row)
    doc = export_dataset(
        _screen_table(), _provenance(), tmp_path / "anon", anonymise=True, secret=b"s" * 16, k=1
    )
    assert doc["anonymisation"]["rows_published"] == N
    text = (tmp_path / "anon" / "portfolio.csv").read_text(encoding="utf-8-sig")
    _check_csv(text, ["pseudonym", "province", "industry", "stage", "error"], {})
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert sorted(back["province"]) == sorted(SAFE)  # rows re-sorted by pseudonym
