"""The Spark engine on a real standalone cluster: a master and a worker started here.

The test starts ``org.apache.spark.deploy.master.Master`` and one ``Worker`` (2 cores, 1 GB)
from PySpark's bundled ``bin/spark-class`` on loopback ports, waits until the worker has
registered (the master's ``/json`` status), screens a Parquet export of a workspace on
``spark://127.0.0.1:<port>`` and compares the table with the local engine's. Both JVMs are
stopped in the fixture's teardown, whatever happens (their process groups, by id).
Skipped, with the reason, only when PySpark or Java is missing (CI installs both: it fails
there instead).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from analytics.portfolio.export import export_parquet
from analytics.portfolio.ingestion import ingest
from analytics.portfolio.local import screen_local
from analytics.portfolio.screening import write_table
from analytics.portfolio.spark import screen_spark_export
from analytics.portfolio.synthetic import SHAPES, generate
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


REGISTER_TIMEOUT_S = 120.0


def _skip_or_fail(msg: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip("!!! SPARK CLUSTER TEST SKIPPED !!! " + msg)


def _spark_home() -> Path:
    try:
        from pyspark.find_spark_home import _find_spark_home
    except ImportError:
        _skip_or_fail("pyspark is not installed: pip install -e '.[spark]'")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        _skip_or_fail("no Java runtime: apt-get install -y default-jre-headless")
    return Path(_find_spark_home())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive_workers(webui_port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{webui_port}/json/", timeout=2) as r:
            return int(json.loads(r.read()).get("aliveworkers", 0))
    except (OSError, ValueError):
        return 0


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group this test created (spark-class execs the JVM), then
    SIGKILL after 20 s."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``spark://127.0.0.1:<port>`` of a running master with one registered worker."""
    home = _spark_home()
    logs = tmp_path_factory.mktemp("spark-cluster")
    env = {
        **os.environ,
        "SPARK_HOME": str(home),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_LOG_DIR": str(logs),
        "SPARK_WORKER_DIR": str(logs / "work"),
        "PYSPARK_PYTHON": sys.executable,
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
        "SPARK_DAEMON_MEMORY": "512m",
    }
    spark_class = str(home / "bin" / "spark-class")
    port, webui = _free_port(), _free_port()
    url = f"spark://127.0.0.1:{port}"
    procs: list[subprocess.Popen] = []
    try:
        procs.append(
            subprocess.Popen(
                [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                 "--port", str(port), "--webui-port", str(webui)],
                env=env, cwd=logs, start_new_session=True,
                stdout=(logs / "master.log").open("wb"), stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
        procs.append(
            subprocess.Popen(
                [spark_class, "org.apache.spark.deploy.worker.Worker", url, "--host",
                 "127.0.0.1", "--port", str(_free_port()), "--webui-port", str(_free_port()),
                 "--cores", "2", "--memory", "1g", "--work-dir", str(logs / "work")],
                env=env, cwd=logs, start_new_session=True,
                stdout=(logs / "worker.log").open("wb"), stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
        deadline = time.monotonic() + REGISTER_TIMEOUT_S
        while _alive_workers(webui) < 1:
            dead = [p for p in procs if p.poll() is not None]
            if dead or time.monotonic() > deadline:
                tail = (logs / "worker.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"the Spark worker did not register with {url}:\n{tail}")
            time.sleep(0.5)
        yield url
    finally:
        for p in reversed(procs):
            _stop(p)


CONF = {
    "spark.executor.memory": "768m",
    "spark.executor.cores": "2",
    "spark.cores.max": "2",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}


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
    spark = screen_spark_export(tmp_path / "shared", master=cluster, conf=CONF)
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
