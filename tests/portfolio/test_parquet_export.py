"""The Parquet export a Spark cluster reads: layout, refusals, and reads equal the workspace's."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analytics.findings import InputError
from analytics.portfolio.export import ExportedWorkspace, export_parquet
from analytics.portfolio.ingestion import ingest
from analytics.portfolio.store import Workspace
from analytics.portfolio.synthetic import SHAPES, generate


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("pq")
    manifest = generate(d / "exports", 3, seed=13, shapes=SHAPES)  # runs on GT-00000
    assert all(not o.failed for o in ingest(manifest, d / "ws.duckdb", workers=1))
    return d / "ws.duckdb"


def test_layout_partitions_and_counts(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    doc = export_parquet(workspace, out)
    assert json.loads((out / "export.json").read_text()) == doc
    assert doc["format"] == "greentemp.parquet/1" and doc["years"] == [2025]
    assert sorted(p.name for p in (out / "intervals").iterdir()) == ["year=2025"]
    data = pq.read_table(out / "intervals").to_pandas()
    assert {"enterprise_id", "kind", "us", "kwh"} <= set(data.columns)
    with Workspace(workspace, read_only=True) as ws:
        n_main = ws.con.execute("SELECT count(*) FROM intervals WHERE meter_id = 'main'")
        assert len(data) == n_main.fetchall()[0][0]
        assert doc["rows"] == ws.counts()
    # 3 one-year 15-min loads: 3 × 365 × 96 = 105,120 load intervals
    assert (data["kind"] == "load").sum() == 3 * 365 * 96


def test_exported_workspace_reads_equal_the_workspace(workspace: Path, tmp_path: Path) -> None:
    export_parquet(workspace, tmp_path / "export")
    with Workspace(workspace, read_only=True) as a, ExportedWorkspace(tmp_path / "export") as b:
        ids = a.enterprise_ids()
        assert b.enterprise_ids() == ids
        pd.testing.assert_frame_equal(a.enterprises(), b.enterprises())
        for kind in ("load", "pv"):
            sa, sb = a.series(ids, kind), b.series(ids, kind)
            assert sa.keys() == sb.keys()
            for i in sa:
                pd.testing.assert_frame_equal(sa[i].frame, sb[i].frame)
                assert sa[i].report == sb[i].report
                assert sa[i].extra_warnings == sb[i].extra_warnings
        pa_, pb = a.production(None), b.production(None)
        assert pa_.keys() == pb.keys() == {"GT-00000"}
        pd.testing.assert_frame_equal(pa_["GT-00000"].segments, pb["GT-00000"].segments)


def test_a_folder_with_other_files_is_refused_a_previous_export_replaced(
    workspace: Path, tmp_path: Path
) -> None:
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(InputError) as err:
        export_parquet(workspace, other)
    assert err.value.code == "portfolio.parquet_dir_not_empty"
    assert (other / "notes.txt").read_text() == "keep me"
    out = tmp_path / "export"
    first = export_parquet(workspace, out)
    again = export_parquet(workspace, out)  # replaced, same content
    assert again["rows"] == first["rows"]
    assert len(pq.read_table(out / "intervals")) == first["rows"]["intervals"]


def test_a_folder_that_is_not_an_export_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        ExportedWorkspace(tmp_path)
    assert err.value.code == "portfolio.not_a_parquet_export"
