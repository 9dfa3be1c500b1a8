"""The dataset export: keyed pseudonyms, no identities anywhere, k-anonymous groups."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pandas as pd
import pytest

from analytics.cli.main import main
from analytics.portfolio.export import k_anonymise, pseudonym, round_figures
from analytics.portfolio.ingestion import ingest
from analytics.portfolio.rows import COLUMNS, finalize
from analytics.portfolio.synthetic import generate

K = 3
SECRET_A = b"correct horse battery staple 01"
SECRET_B = b"another publisher's secret key 2"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    d = tmp_path_factory.mktemp("export")
    manifest = generate(d, 10, seed=5, shapes=("long", "wide_gbk"))
    assert all(not o.failed for o in ingest(manifest, d / "ws.duckdb", workers=1))
    (d / "a.key").write_bytes(SECRET_A + b"\n")
    (d / "b.key").write_bytes(SECRET_B)
    return d, pd.read_csv(manifest, dtype=str, keep_default_na=False)


def _export(d: Path, out: str, *extra: str) -> Path:
    assert (
        main(
            [
                "portfolio",
                "export",
                "--workspace",
                str(d / "ws.duckdb"),
                "--out",
                str(d / out),
                "--workers",
                "1",
                *extra,
            ]
        )
        == 0
    )
    return d / out


def test_anonymised_export_leaks_no_name_or_id_and_keeps_groups_of_k(workspace) -> None:
    d, manifest = workspace
    out = _export(d, "anon", "--anonymise", "--secret-file", str(d / "a.key"), "--k", str(K))
    files = sorted(out.iterdir())
    assert {f.name for f in files} == {"portfolio.csv", "data_dictionary.csv", "provenance.json"}
    secrets = (
        set(manifest["enterprise_id"])
        | set(manifest["enterprise_name"])
        | {e.lower() for e in manifest["enterprise_id"]}
        | set(manifest["path"])
    )
    for f in files:
        text = f.read_bytes().decode("utf-8-sig")
        leaked = {s for s in secrets if s and s in text}
        assert not leaked, (f.name, leaked)
    table = pd.read_csv(out / "portfolio.csv", encoding="utf-8-sig", dtype={"province": str})
    assert "enterprise_id" not in table and "pseudonym" in table
    assert table.groupby(["province", "industry"]).size().min() >= K
    assert len(table) >= K  # something is published
    doc = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    counts = doc["anonymisation"]
    assert counts["rows_in"] == 10
    assert (
        counts["rows_published"] + counts["rows_suppressed"]
        == 10
        == len(table) + counts["rows_suppressed"]
    )
    assert counts["smallest_group"] >= K
    assert doc["k"] == K and doc["software"]["version"]
    assert len(doc["inputs"]["sha256"]) == doc["inputs"]["files"] == len(manifest)
    # figures at the stated precision: kWh to the nearest 1,000
    assert (table["energy_kwh"] % 1000 == 0).all()


def test_pseudonyms_are_stable_for_one_secret_and_differ_for_another(workspace) -> None:
    d, manifest = workspace
    a1 = pd.read_csv(
        _export(d, "a1", "--anonymise", "--secret-file", str(d / "a.key"), "--k", "1")
        / "portfolio.csv",
        encoding="utf-8-sig",
    )
    a2 = pd.read_csv(
        _export(d, "a2", "--anonymise", "--secret-file", str(d / "a.key"), "--k", "1")
        / "portfolio.csv",
        encoding="utf-8-sig",
    )
    b = pd.read_csv(
        _export(d, "b", "--anonymise", "--secret-file", str(d / "b.key"), "--k", "1")
        / "portfolio.csv",
        encoding="utf-8-sig",
    )
    assert set(a1["pseudonym"]) == set(a2["pseudonym"]) and len(set(a1["pseudonym"])) == 10
    assert not set(a1["pseudonym"]) & set(b["pseudonym"])
    # the pseudonym is the keyed HMAC, not a bare hash of the id
    eid = manifest["enterprise_id"].iloc[0]
    want = "P" + hmac.new(SECRET_A, eid.encode(), hashlib.sha256).hexdigest()[:16]
    assert want in set(a1["pseudonym"])
    assert "P" + hashlib.sha256(eid.encode()).hexdigest()[:16] not in set(a1["pseudonym"])


def test_full_export_has_the_table_and_the_same_dictionary(workspace) -> None:
    d, manifest = workspace
    out = _export(d, "full")
    table = pd.read_csv(out / "portfolio.csv", encoding="utf-8-sig")
    assert list(table.columns) == list(COLUMNS)
    assert sorted(table["enterprise_id"]) == sorted(set(manifest["enterprise_id"]))
    dictionary = pd.read_csv(out / "data_dictionary.csv", encoding="utf-8-sig")
    assert list(dictionary.columns) == [
        "column",
        "unit",
        "definition",
        "source",
        "anonymised_precision",
    ]
    assert set(COLUMNS) <= set(dictionary["column"])
    doc = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert {i["file_name"] for i in doc["inputs"]["list"]} == set(manifest["path"])


def test_export_without_a_secret_is_refused(workspace, capsys) -> None:
    d, _ = workspace
    assert (
        main(
            [
                "portfolio",
                "export",
                "--workspace",
                str(d / "ws.duckdb"),
                "--out",
                str(d / "x"),
                "--anonymise",
            ]
        )
        == 2
    )
    (d / "short.key").write_bytes(b"abc")
    assert (
        main(
            [
                "portfolio",
                "export",
                "--workspace",
                str(d / "ws.duckdb"),
                "--out",
                str(d / "x"),
                "--anonymise",
                "--secret-file",
                str(d / "short.key"),
            ]
        )
        == 2
    )
    assert "too short" in capsys.readouterr().err


def _table(groups: dict[tuple[str, str], int]) -> pd.DataFrame:
    rows = []
    for (prov, ind), n in groups.items():
        rows += [
            {
                "enterprise_id": f"{prov}-{ind}-{i}",
                "province": prov,
                "industry": ind,
                "energy_kwh": 1_234_567.8,
            }
            for i in range(n)
        ]
    return finalize(rows)


def test_k_anonymise_generalises_then_suppresses_by_hand() -> None:
    # k = 3. (JS, textiles) 4 → kept. (JS, food) 1 + (JS, chem) 1 + (JS, metal) 1 → (JS, *) 3 kept.
    # (ZJ, food) 2 → (ZJ, *) 2 < 3 → (*, *); (SH, food) 1 → (SH, *) 1 → (*, *): 3 rows kept.
    # (GD, food) 3 → kept.
    t = _table(
        {
            ("JS", "textiles"): 4,
            ("JS", "food"): 1,
            ("JS", "chem"): 1,
            ("JS", "metal"): 1,
            ("ZJ", "food"): 2,
            ("SH", "food"): 1,
            ("GD", "food"): 3,
        }
    )
    res = k_anonymise(t, 3)
    sizes = res.table.groupby(["province", "industry"]).size().to_dict()
    assert sizes == {("JS", "textiles"): 4, ("JS", "*"): 3, ("*", "*"): 3, ("GD", "food"): 3}
    assert res.counts["rows_generalised_industry"] == 6  # 3 JS + 2 ZJ + 1 SH
    assert res.counts["rows_generalised_province"] == 3  # 2 ZJ + 1 SH
    assert res.counts["rows_suppressed"] == 0


def test_k_anonymise_suppresses_what_cannot_be_merged() -> None:
    # k = 5: (JS, textiles) 5 kept; (ZJ, food) 2 → (*, *) 2 < 5 → suppressed (2 rows)
    res = k_anonymise(_table({("JS", "textiles"): 5, ("ZJ", "food"): 2}), 5)
    assert res.counts["rows_suppressed"] == 2 and len(res.table) == 5


def test_rounding_to_the_stated_precision() -> None:
    t = pd.DataFrame({"energy_kwh": [1_234_567.8], "load_factor": [0.123456], "peak_kw": [987.6]})
    r = round_figures(t)
    # 1,234,567.8 kWh → nearest 1,000 = 1,235,000; 0.123456 → 3 decimals; 987.6 kW → nearest 10
    assert r.iloc[0].tolist() == [1_235_000.0, 0.123, 990.0]


def test_pseudonym_by_hand() -> None:
    want = "P" + hmac.new(b"k" * 16, b"ACME", hashlib.sha256).hexdigest()[:16]
    assert pseudonym("ACME", b"k" * 16) == want and len(want) == 17


def test_both_export_files_quote_every_text_cell(workspace) -> None:
    # issue 12: the table and the dictionary go through analytics.sheets.write_csv, so every
    # text cell and column name is quoted and the files read back with one row per record
    import csv
    import io

    from analytics.portfolio.rows import dictionary_frame

    d, manifest = workspace
    out = _export(d, "quoted")
    text = (out / "portfolio.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == ",".join(f'"{c}"' for c in COLUMNS)
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == len(text.splitlines()) == 10 + 1  # 10 enterprises + the header
    eid = sorted(manifest["enterprise_id"])[0]
    assert text.splitlines()[1].startswith(f'"{eid}",')  # the id, a text cell, quoted
    dictionary = (out / "data_dictionary.csv").read_text(encoding="utf-8-sig")
    back = pd.read_csv(io.StringIO(dictionary), keep_default_na=False, dtype=str)
    want = dictionary_frame().astype(str).replace({"<NA>": "", "nan": "", "None": ""})
    assert len(back) == len(want) == len(COLUMNS)
    assert back["column"].tolist() == want["column"].tolist()
    assert back["definition"].tolist() == want["definition"].tolist()
