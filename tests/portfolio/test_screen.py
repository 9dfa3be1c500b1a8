"""Portfolio: batch ingest of every export shape, screen rows equal the CLI ``analyze`` JSON."""

from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analytics.cli.main import main
from analytics.findings import InputError
from analytics.portfolio.ingestion import ingest, read_manifest
from analytics.portfolio.rows import COLUMNS, screen_row
from analytics.portfolio.screening import screen, write_table
from analytics.portfolio.store import Enterprise, Workspace
from analytics.portfolio.synthetic import SHAPES, generate

N = 6  # enterprises: shapes long, wide_gbk, xlsx round-robin → each shape twice


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, pd.DataFrame]:
    """A generated portfolio ingested into a workspace and screened (local, in-process)."""
    d = tmp_path_factory.mktemp("portfolio")
    manifest = generate(d, N, seed=13, shapes=SHAPES)  # PV on 2, runs on 1, 4 provinces
    outcomes = ingest(manifest, d / "ws.duckdb", workers=1)
    assert all(not o.failed for o in outcomes), [o for o in outcomes if o.failed]
    table = screen(d / "ws.duckdb", workers=1)
    return manifest, d / "ws.duckdb", table


def test_generator_writes_every_shape_and_the_ingest_reads_them(portfolio) -> None:
    manifest, ws_path, table = portfolio
    m = pd.read_csv(manifest, dtype=str, keep_default_na=False)
    loads = m[m["kind"] == "load"]["path"]
    assert loads.str.endswith("_long.csv").sum() == 2
    assert loads.str.endswith("_96point_gbk.csv").sum() == 2
    assert loads.str.endswith(".xlsx").sum() == 2
    first = (manifest.parent / loads[loads.str.endswith("gbk.csv")].iloc[0]).read_bytes()
    assert "96点负荷曲线".encode("gbk") in first.splitlines()[0]
    assert ",00:15," in first.splitlines()[1].decode("gbk") and first.splitlines()[1].endswith(
        b"24:00"
    )
    with Workspace(ws_path, read_only=True) as ws:
        # 6 one-year loads at 15 min: 6 × 365 × 96 = 210,240 load intervals
        n_load = ws.con.execute("SELECT count(*) FROM intervals WHERE kind = 'load'").fetchall()
        assert n_load[0][0] == 6 * 365 * 96
        assert ws.with_production() == {"GT-00000"} and len(ws.runs("GT-00000")) > 200
        assert len(ws.series_meta(None, "pv")) == 2
    assert list(table.columns) == list(COLUMNS) and len(table) == N
    assert table["error"].isna().all()


def test_generator_is_seeded(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", 2, seed=11, shapes=("long",))
    b = generate(tmp_path / "b", 2, seed=11, shapes=("long",))
    assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "a/gt-00001_load_long.csv").read_bytes() == (
        tmp_path / "b/gt-00001_load_long.csv"
    ).read_bytes()


def _manifest_row(manifest: Path, eid: str, kind: str) -> dict[str, str] | None:
    m = pd.read_csv(manifest, dtype=str, keep_default_na=False)
    rows = m[(m["enterprise_id"] == eid) & (m["kind"] == kind)]
    return None if rows.empty else rows.iloc[0].to_dict()


PRODUCTION_COLUMNS = ("sec_kwh_per_unit", "idle_share", "saving_cny")


def test_screen_rows_equal_the_cli_analyze_json_of_each_source_file(
    portfolio, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest, _, table = portfolio
    for eid in table["enterprise_id"]:  # every enterprise: all three shapes, with and without PV
        load = _manifest_row(manifest, eid, "load")
        argv = [
            "analyze",
            "--load",
            str(manifest.parent / load["path"]),
            "--json",
            str(tmp_path / f"{eid}.json"),
        ]
        if load["tariff"]:
            argv += ["--tariff", load["tariff"]]
        pv = _manifest_row(manifest, eid, "pv")
        if pv:
            argv += ["--pv", str(manifest.parent / pv["path"])]
        runs = _manifest_row(manifest, eid, "production")
        if runs:  # screens do not run the load-shift optimiser: --no-shift
            argv += ["--production", str(manifest.parent / runs["path"]), "--no-shift"]
        assert main(argv) == 0, capsys.readouterr().err
        doc = json.loads((tmp_path / f"{eid}.json").read_text(encoding="utf-8"))
        row = table[table["enterprise_id"] == eid].iloc[0]
        expected = screen_row(
            Enterprise(eid, province=load["province"], industry=load["industry"]), doc
        )
        for col in COLUMNS:
            got, want = row[col], expected[col]
            if want is None:
                assert got is None or (isinstance(got, float) and math.isnan(got)), (eid, col)
            else:
                assert got == want, (eid, col, got, want)
        # the named JSON keys, spelled out
        assert row["energy_kwh"] == doc["load"]["energy_kwh"]
        assert row["total_cost_cny"] == doc["tou"]["total_cost_cny"]
        assert row["gec_count"] == doc["green"]["gec_count"]
        assert row["green_temperature_score"] == doc["green_temperature"]["score"]
        assert row["warning_count"] == len(doc["data"]["warnings"])
        assert row["stage"] == doc["stage"]["stage"] == "resource"
        if runs:
            assert row["sec_kwh_per_unit"] == doc["production"]["sec_kwh_per_unit"] > 0
        else:
            assert all(math.isnan(row[c]) for c in PRODUCTION_COLUMNS)


def test_derived_columns_by_hand() -> None:
    doc = {
        "data": {
            "start": "2025-01-01T00:00:00+08:00",
            "end": "2025-01-01T23:45:00+08:00",
            "interval_minutes": 15,
            "intervals": 90,
            "missing_intervals": 6,
            "warnings": [{"code": "import.gaps"}, {"code": "x"}],
        },
        "load": {"energy_kwh": 1000.0, "peak_kw": 80.0, "load_factor": 0.5},
        "tou": {
            "tariff": "t",
            "total_cost_cny": 700.0,
            "average_price_cny_per_kwh": 0.7,
            "energy_kwh": {
                "sharp": 50.0,
                "peak": 250.0,
                "flat": 300.0,
                "valley": 350.0,
                "deep_valley": 50.0,
            },
            "energy_cost_cny": {
                "sharp": 60.0,
                "peak": 250.0,
                "flat": 210.0,
                "valley": 105.0,
                "deep_valley": 10.0,
            },
        },
        "green": {
            "pv_generation_kwh": 2999.9,
            "pv_self_consumed_kwh": 0.0,
            "pv_exported_kwh": 0.0,
            "green_purchase_kwh": 300.0,
            "gec_count": 1,
            "gec_cost_cny": 5.0,
            "co2_location_t": 0.5,
            "co2_market_t": 0.4,
            "hourly_matched_share": 0.0,
        },
        "green_temperature": {"score": 40.0},
    }
    row = screen_row(Enterprise("X"), doc)
    assert row["peak_sharp_energy_share"] == pytest.approx(0.3)  # (50 + 250) / 1000
    assert row["valley_energy_share"] == pytest.approx(0.4)  # (350 + 50) / 1000
    # sharp + peak: 300 kWh, 310 CNY; valley + deep: 400 kWh, 115 CNY → 0.2875 CNY/kWh;
    # 310 − 300 × 0.2875 = 223.75 CNY
    assert row["valley_shift_value_cny"] == pytest.approx(223.75)
    assert row["pv_certificates"] == 2  # floor(2999.9 / 1000)
    assert row["data_coverage"] == pytest.approx(90 / 96)  # 0.9375
    assert row["warning_count"] == 2
    # one day of 1,000 kWh → 365,000 kWh/yr < 5 GWh → size class S
    assert row["size_class"] == "S"
    assert row["sec_kwh_per_unit"] is None and row["stage"] is None


def test_a_bad_file_is_reported_and_the_rest_ingested(
    portfolio, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest, _, _ = portfolio
    d = tmp_path / "batch"
    shutil.copytree(manifest.parent, d, ignore=shutil.ignore_patterns("*.duckdb*"))
    (d / "broken.csv").write_text("this,is\nnot,a meter export\n")
    m = pd.read_csv(d / "manifest.csv", dtype=str, keep_default_na=False)
    bad = m.iloc[[0]].assign(enterprise_id="BAD-1", kind="load", path="broken.csv")
    missing = m.iloc[[0]].assign(enterprise_id="BAD-2", kind="load", path="nowhere.csv")
    pd.concat([bad, m, missing]).to_csv(d / "manifest.csv", index=False)
    rc = main(
        [
            "portfolio",
            "ingest",
            str(d / "manifest.csv"),
            "--workspace",
            str(d / "ws.duckdb"),
            "--workers",
            "1",
        ]
    )
    out = capsys.readouterr().out
    assert rc == 1
    assert "BAD-1" in out and "BAD-2" in out and "error" in out
    assert "nowhere.csv" in out  # the importer's message names the file
    with Workspace(d / "ws.duckdb", read_only=True) as ws:
        assert set(ws.enterprise_ids()) == set(m["enterprise_id"])  # every good file stored
    # all good now: re-ingesting the clean manifest changes nothing and exits 0
    m.to_csv(d / "clean.csv", index=False)
    with Workspace(d / "ws.duckdb", read_only=True) as ws:
        before = ws.digest()
    assert (
        main(
            [
                "portfolio",
                "ingest",
                str(d / "clean.csv"),
                "--workspace",
                str(d / "ws.duckdb"),
                "--workers",
                "1",
            ]
        )
        == 0
    )
    assert "unchanged" in capsys.readouterr().out
    with Workspace(d / "ws.duckdb", read_only=True) as ws:
        assert ws.digest() == before


def test_a_conflicting_file_in_a_batch_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ts = pd.date_range("2025-03-01", periods=96, freq="15min").strftime("%Y-%m-%d %H:%M")
    pd.DataFrame({"timestamp": ts, "energy_kwh": 10.0}).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame({"timestamp": ts, "energy_kwh": 11.0}).to_csv(tmp_path / "b.csv", index=False)
    (tmp_path / "m.csv").write_text(
        "enterprise_id,enterprise_name,province,industry,kind,path\n"
        "C1,c,Jiangsu,food,load,a.csv\nC1,c,Jiangsu,food,load,b.csv\n"
    )
    rc = main(
        ["portfolio", "ingest", str(tmp_path / "m.csv"), "--workspace", str(tmp_path / "ws.duckdb")]
    )
    out = capsys.readouterr().out
    assert rc == 1 and "conflict" in out and "96" in out
    with Workspace(tmp_path / "ws.duckdb", read_only=True) as ws:
        assert ws.load("C1").frame["kwh"].eq(10.0).all()


@pytest.mark.parametrize(
    "text, code",
    [
        ("enterprise_id,kind,path\nA,load,a.csv\n", "portfolio.manifest_columns"),
        ("enterprise_id,enterprise_name,province,industry,kind,path\n", "portfolio.manifest_empty"),
    ],
)
def test_an_unusable_manifest_exits_2(
    tmp_path: Path, text: str, code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "m.csv").write_text(text)
    with pytest.raises(InputError) as info:
        read_manifest(tmp_path / "m.csv")
    assert info.value.code == code
    assert (
        main(
            [
                "portfolio",
                "ingest",
                str(tmp_path / "m.csv"),
                "--workspace",
                str(tmp_path / "ws.duckdb"),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1


def test_bad_manifest_lines_fail_alone(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text(
        "enterprise_id,enterprise_name,province,industry,kind,path,tariff,pv_kwp\n"
        "A,a,Jiangsu,food,heat,a.csv,,\n"
        "B,b,Jiangsu,food,load,b.csv,no_such_tariff,\n"
        "C,c,Jiangsu,food,pv,c.csv,,-3\n"
        "D,d,Jiangsu,food,load,d.csv,,\n"
    )
    rows = read_manifest(tmp_path / "m.csv")
    assert [getattr(r, "column", None) for r in rows[:3]] == ["kind", "tariff", "pv_kwp"]
    assert [getattr(r, "row", None) for r in rows] == [2, 3, 4, 5]
    assert rows[3].enterprise.enterprise_id == "D"


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_cli_screen_writes_each_format(portfolio, tmp_path: Path, suffix: str) -> None:
    _, ws_path, table = portfolio
    out = tmp_path / f"screen{suffix}"
    assert (
        main(
            [
                "portfolio",
                "screen",
                "--workspace",
                str(ws_path),
                "--out",
                str(out),
                "--workers",
                "1",
            ]
        )
        == 0
    )
    back = {
        ".csv": lambda p: pd.read_csv(p, encoding="utf-8-sig"),
        ".parquet": pd.read_parquet,
        ".xlsx": pd.read_excel,
    }[suffix](out)
    assert list(back.columns) == list(COLUMNS)
    assert back["enterprise_id"].tolist() == table["enterprise_id"].tolist()
    assert back["energy_kwh"].tolist() == pytest.approx(table["energy_kwh"].tolist(), rel=1e-12)


def test_screen_with_a_process_pool_equals_in_process(portfolio) -> None:
    _, ws_path, table = portfolio
    from analytics.portfolio.local import screen_local

    pooled = screen_local(ws_path, workers=2, batch_size=2)
    pd.testing.assert_frame_equal(pooled, table)


def test_screen_of_a_missing_workspace_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "portfolio",
                "screen",
                "--workspace",
                str(tmp_path / "none.duckdb"),
                "--out",
                str(tmp_path / "o.csv"),
            ]
        )
        == 2
    )
    assert "none.duckdb" in capsys.readouterr().err


# ------------------------------------------- manifest paths and ids (issue 12; corpus: hostile)

MANIFEST_HEAD = "enterprise_id,enterprise_name,province,industry,kind,path\n"


def test_manifest_rows_carry_the_resolved_path_and_keep_the_listed_name(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "2025.csv").write_text("x")
    (tmp_path / "today.csv").symlink_to(tmp_path / "data" / "2025.csv")
    (tmp_path / "m.csv").write_text(MANIFEST_HEAD + "A,a,Jiangsu,food,load,today.csv\n")
    (row,) = read_manifest(tmp_path / "m.csv")
    assert row.path.name == "today.csv"  # the provenance keeps the manifest's name
    assert row.resolved == (tmp_path / "data" / "2025.csv").resolve()


def test_a_refused_path_names_manifest_row_and_column(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text(
        MANIFEST_HEAD + "A,a,Jiangsu,food,load,a.csv\nB,b,Jiangsu,food,load,../b.csv\n"
    )
    rows = read_manifest(tmp_path / "m.csv")
    assert rows[0].enterprise.enterprise_id == "A"
    assert (rows[1].code, rows[1].file, rows[1].row, rows[1].column) == (
        "portfolio.manifest_path", "m.csv", 3, "path",
    )  # fmt: skip
    assert rows[1].params["value"] == "../b.csv"


@pytest.mark.parametrize("make", ["fifo", "dir"])
def test_a_listed_fifo_or_folder_is_not_a_file(tmp_path: Path, make: str) -> None:
    # a FIFO inside the folder would block a plain read: opened non-blocking, refused as
    # not a regular file (import.file_not_found), like a folder
    target = tmp_path / "x.csv"
    os.mkfifo(target) if make == "fifo" else target.mkdir()
    (tmp_path / "m.csv").write_text(MANIFEST_HEAD + "A,a,Jiangsu,food,load,x.csv\n")
    (out,) = ingest(tmp_path / "m.csv", tmp_path / "ws.duckdb", workers=1)
    assert (out.status, out.error.code, out.error.file) == (
        "error",
        "import.file_not_found",
        "x.csv",
    )


def test_one_id_with_two_tariffs_is_refused(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text(
        MANIFEST_HEAD.replace("\n", ",tariff\n")
        + "A,a,Jiangsu,food,load,a.csv,\n"
        + "A,a,Jiangsu,food,pv,p.csv,shanghai_large_industrial_10kv_2024_28\n"
    )
    rows = read_manifest(tmp_path / "m.csv")
    assert [(r.code, r.row, r.params["other_row"], r.column) for r in rows] == [
        ("portfolio.manifest_duplicate_id", 2, 3, "tariff"),
        ("portfolio.manifest_duplicate_id", 3, 2, "tariff"),
    ]


def test_write_table_neutralises_parquet_too(tmp_path: Path) -> None:
    table = pd.DataFrame({"enterprise_id": ["=E1", "a\nb"], "energy_kwh": [-1.0, 2.0]})
    back = pd.read_parquet(write_table(table, tmp_path / "s.parquet"))
    assert back["enterprise_id"].tolist() == ["'=E1", "a b"]
    assert back["energy_kwh"].tolist() == [-1.0, 2.0]
