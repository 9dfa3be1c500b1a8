"""The Spark engine on a real standalone cluster: a master and a worker started here.

The fixture starts ``org.apache.spark.deploy.master.Master`` and one ``Worker`` (2 cores, 1 GB)
from PySpark's bundled ``bin/spark-class`` on loopback ports
(:func:`analytics.portfolio.spark.standalone_cluster`), waits until the worker has
registered (the master's ``/json`` status), screens a Parquet export of a workspace on
``spark://127.0.0.1:<port>`` and compares the table with the local engine's. Both JVMs are
stopped in the fixture's teardown, whatever happens (their process groups, by id).
Skipped, with the reason, only when PySpark or Java is missing (CI installs both: it fails
there instead).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from analytics.cli.main import main
from analytics.portfolio.export import export_parquet
from analytics.portfolio.ingestion import ingest
from analytics.portfolio.local import screen_local
from analytics.portfolio.screening import write_table
from analytics.portfolio.spark import CLUSTER_CONF, screen_spark_export, standalone_cluster
from analytics.portfolio.synthetic import SHAPES, generate
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def _need_cluster_tools() -> None:
    msg = ""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        msg = "pyspark is not installed: pip install -e '.[spark]'"
    if not msg and shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        msg = "no Java runtime: apt-get install -y default-jre-headless"
    if msg and os.environ.get("CI"):
        pytest.fail(msg)
    if msg:
        pytest.skip("!!! SPARK CLUSTER TEST SKIPPED !!! " + msg)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``spark://127.0.0.1:<port>`` of a running master with one registered worker; both
    JVMs are stopped when the module's tests are done (also after a failure)."""
    _need_cluster_tools()
    with standalone_cluster(
        tmp_path_factory.mktemp("spark-cluster"), cores=2, memory="1g", python_path=str(ROOT)
    ) as url:
        yield url


def test_cluster_screen_of_the_parquet_export_equals_the_local_engine(
    cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")  # the driver on loopback too
    manifest = generate(tmp_path / "exports", 6, seed=13, shapes=SHAPES)  # PV on 2, runs on 1
    ws = tmp_path / "ws.duckdb"
    assert all(not o.failed for o in ingest(manifest, ws, workers=1))
    doc = export_parquet(ws, tmp_path / "shared")  # the folder a real cluster would mount
    assert doc["years"] == [2025] and (tmp_path / "shared/intervals/year=2025").is_dir()
    ws.rename(tmp_path / "moved.duckdb")  # the cluster engine reads the export only
    t0 = time.monotonic()
    spark = screen_spark_export(tmp_path / "shared", master=cluster, conf=CLUSTER_CONF)
    elapsed = time.monotonic() - t0
    local = screen_local(tmp_path / "moved.duckdb", workers=1)
    # compare as both leave the CLI (write_table's one text rule), and also in memory
    pd.testing.assert_frame_equal(spark, local)
    back = {
        n: pd.read_parquet(write_table(t, tmp_path / f"{n}.parquet"))
        for n, t in (("spark", spark), ("local", local))
    }
    pd.testing.assert_frame_equal(back["spark"], back["local"])
    assert len(spark) == 6 and spark["error"].isna().all()
    print(f"\nspark cluster {cluster}: {len(spark)} enterprises in {elapsed:.1f} s")


def test_cli_screens_an_export_on_the_cluster(
    cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
    manifest = generate(tmp_path / "exports", 3, seed=7, shapes=("long",))
    ws = tmp_path / "ws.duckdb"
    assert all(not o.failed for o in ingest(manifest, ws, workers=1))
    shared = tmp_path / "shared"
    assert main(["portfolio", "export-parquet", "--workspace", str(ws), "--out", str(shared)]) == 0
    out = tmp_path / "cluster.parquet"
    conf = [a for k, v in CLUSTER_CONF.items() for a in ("--spark-conf", f"{k}={v}")]
    argv = ["portfolio", "screen", "--engine", "spark", "--master", cluster, "--from-parquet"]
    assert main([*argv, str(shared), "--out", str(out), *conf]) == 0
    local = pd.read_parquet(write_table(screen_local(ws, workers=1), tmp_path / "local.parquet"))
    pd.testing.assert_frame_equal(pd.read_parquet(out), local)
