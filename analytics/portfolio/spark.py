"""The ``spark`` screening engine: the same per-enterprise function on Apache Spark.

The workspace is exported as partitioned Parquet
(:func:`analytics.portfolio.export.export_parquet`: ``intervals/year=YYYY/`` with
``enterprise_id, kind, us, kwh``; ``us`` = epoch microseconds of the interval start, so no
time-zone conversion happens inside Spark, plus the small tables), read by Spark and grouped
by enterprise — the engine reads the export, never the workspace file; ``applyInPandas`` runs
:func:`analytics.portfolio.analyse_inputs` — the function of the ``local`` engine — on each
group. The small per-enterprise metadata (master data, import reports, production runs)
travels with the function. ``master`` is any Spark master URL: ``local[*]`` (default),
``local[2]``, ``spark://host:7077``…; on a cluster every worker needs GreenTemp and its
dependencies installed (``pip install greentemp[spark]``) and the Parquet export on a
path every node and the driver see (``parquet_dir``, or :func:`screen_spark_export` on an
export made beforehand).

Optional dependency: ``pyspark[sql]`` (the ``spark`` extra) and a Java 17 runtime.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from analytics.findings import InputError
from analytics.portfolio.export import ExportedWorkspace, export_parquet
from analytics.portfolio.rows import COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, finalize
from analytics.portfolio.store import Workspace


def spark_available() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return True


def _meta(ws: Workspace) -> dict[str, Any]:
    """Everything but the intervals, per enterprise (broadcast with the function)."""
    ids = [r[0] for r in ws.con.execute("SELECT enterprise_id FROM enterprises").fetchall()]
    return {
        "enterprises": {i: ws.enterprise(i) for i in ids},
        "load": ws.series_meta(None, "load"),
        "pv": ws.series_meta(None, "pv"),
        "production": ws.production(None),
    }


def _schema() -> Any:
    from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

    def typ(c: str) -> Any:
        return (
            DoubleType()
            if c in FLOAT_COLUMNS
            else (LongType() if c in INT_COLUMNS else StringType())
        )

    return StructType([StructField(c, typ(c), True) for c in COLUMNS])


def make_group_fn(meta: dict[str, Any], target_share: float):
    """The ``applyInPandas`` function: one enterprise's intervals → its one-row screen frame."""

    def fn(pdf: pd.DataFrame) -> pd.DataFrame:
        from analytics.portfolio.rows import EnterpriseInputs, analyse_inputs, error_row
        from analytics.portfolio.store import build_series

        eid = str(pdf["enterprise_id"].iloc[0])
        ent = meta["enterprises"][eid]
        series = {}
        for kind in ("load", "pv"):
            sub = pdf[pdf["kind"] == kind]
            if len(sub) and eid in meta[kind]:
                series[kind] = build_series(
                    sub["us"].to_numpy("int64"), sub["kwh"].to_numpy("float64"), meta[kind][eid]
                )
        if "load" not in series:
            row = error_row(ent, "workspace.no_load")
        else:
            row = analyse_inputs(
                EnterpriseInputs(
                    ent, series["load"], series.get("pv"), meta["production"].get(eid)
                ),
                target_share=target_share,
            )
        out = pd.DataFrame([row], columns=list(COLUMNS))
        for c in INT_COLUMNS:
            out[c] = pd.array(out[c], dtype="Int64")
        for c in FLOAT_COLUMNS:
            out[c] = out[c].astype("float64")
        return out

    return fn


def spark_session(
    master: str = "local[*]",
    app: str = "greentemp-screen",
    conf: dict[str, str] | None = None,
):
    """A Spark session for screening (UTC session zone, Arrow on, UI off).

    ``conf`` adds Spark settings (e.g. ``spark.executor.memory``). For a ``local`` master the
    driver binds to loopback (``SPARK_LOCAL_IP`` 127.0.0.1 unless set); for a cluster the
    address comes from the environment, so workers can reach the driver.
    """
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
    )
    for k, v in (conf or {}).items():
        builder = builder.config(k, v)
    return builder.getOrCreate()


def screen_spark(
    workspace: str | Path,
    *,
    target_share: float = 0.3,
    master: str = "local[*]",
    parquet_dir: str | Path | None = None,
    session: Any = None,
    conf: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Export the workspace (:func:`analytics.portfolio.export.export_parquet`) to
    ``parquet_dir`` (a temporary folder when None; on a cluster, a path every node sees) and
    screen that export with :func:`screen_spark_export`.

    Returns the same table as :func:`analytics.portfolio.screen_local` (:func:`finalize`).
    """
    _need_spark()
    tmp = None
    if parquet_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="greentemp-spark-")
        parquet_dir = Path(tmp.name) / "export"
    try:
        export_parquet(workspace, parquet_dir)
        return screen_spark_export(
            parquet_dir, target_share=target_share, master=master, session=session, conf=conf
        )
    finally:
        if tmp is not None:
            tmp.cleanup()


def _need_spark() -> None:
    if not spark_available():
        raise InputError(
            "portfolio.spark_missing", expected="pip install 'greentemp[spark]' and Java 17"
        )


def screen_spark_export(
    export_dir: str | Path,
    *,
    target_share: float = 0.3,
    master: str = "local[*]",
    session: Any = None,
    conf: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Screen a Parquet export with ``groupBy("enterprise_id").applyInPandas``.

    The driver reads the export's small tables (master data, import reports, production runs)
    through :class:`~analytics.portfolio.export.ExportedWorkspace`; Spark reads
    ``intervals/`` (every ``year=`` partition) on the executors. Nothing reads a workspace
    file. Raises ``InputError`` ``portfolio.spark_missing`` without PySpark,
    ``portfolio.not_a_parquet_export`` for another folder, ``portfolio.spark_failed`` when
    the job fails.
    """
    _need_spark()
    with ExportedWorkspace(export_dir) as ws:
        meta = _meta(ws)
        has_intervals = bool(ws.index["rows"].get("intervals"))
    result = pd.DataFrame(columns=list(COLUMNS))
    if has_intervals:
        result = _run_job(
            Path(export_dir) / "intervals", meta, float(target_share), master, session, conf
        )
    # enterprises without any interval never reach a group: give them their error row
    missing = sorted(set(meta["enterprises"]) - set(result["enterprise_id"]))
    if missing:
        from analytics.portfolio.rows import error_row

        extra = pd.DataFrame(
            [error_row(meta["enterprises"][i], "workspace.no_load") for i in missing]
        )
        result = extra if result.empty else pd.concat([result, extra], ignore_index=True)
    return finalize(result)


def _run_job(
    intervals: Path,
    meta: dict[str, Any],
    target_share: float,
    master: str,
    session: Any,
    conf: dict[str, str] | None,
) -> pd.DataFrame:
    spark = session or spark_session(master, conf=conf)
    try:
        df = spark.read.parquet(str(intervals)).select("enterprise_id", "kind", "us", "kwh")
        return (
            df.groupBy("enterprise_id")
            .applyInPandas(make_group_fn(meta, target_share), schema=_schema())
            .toPandas()
        )
    except Exception as err:
        if isinstance(err, InputError):
            raise
        detail = " ".join(str(err).split())[:300]
        raise InputError("portfolio.spark_failed", detail=detail) from None
    finally:
        if session is None:
            spark.stop()


# --------------------------------------------------------------------------- a cluster here

CLUSTER_REGISTER_TIMEOUT_S = 120.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive_workers(webui_port: int) -> int:
    """Workers registered with the master (its ``/json/`` status page, on loopback)."""
    try:
        url = f"http://127.0.0.1:{webui_port}/json/"
        with urllib.request.urlopen(url, timeout=2) as r:  # loopback only
            return int(json.loads(r.read()).get("aliveworkers", 0))
    except (OSError, ValueError):
        return 0


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group started for ``proc`` (spark-class execs the JVM), then
    SIGKILL after 20 s."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@contextmanager
def standalone_cluster(
    work_dir: str | Path,
    *,
    cores: int = 2,
    memory: str = "1g",
    python_path: str | None = None,
) -> Iterator[str]:
    """A Spark standalone master and one worker on this machine (loopback, free ports),
    started from PySpark's bundled ``bin/spark-class``; yields ``spark://127.0.0.1:<port>``
    once the worker has registered, and stops both JVMs on exit (always).

    For trying the cluster path on one machine (tests, benchmarks); a real cluster is started
    by its operators. ``python_path`` is put on the worker's ``PYTHONPATH`` (GreenTemp must be
    importable by the executors); logs go to ``work_dir``. Raises ``portfolio.spark_failed``
    when the worker does not register within :data:`CLUSTER_REGISTER_TIMEOUT_S`.
    """
    _need_spark()
    from pyspark.find_spark_home import _find_spark_home

    home = Path(_find_spark_home())
    logs = Path(work_dir)
    logs.mkdir(parents=True, exist_ok=True)
    paths = [p for p in (python_path, os.environ.get("PYTHONPATH")) if p]
    env = {
        **os.environ,
        "SPARK_HOME": str(home),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_LOG_DIR": str(logs),
        "SPARK_WORKER_DIR": str(logs / "work"),
        "SPARK_DAEMON_MEMORY": "512m",
        "PYSPARK_PYTHON": sys.executable,
        "PYTHONPATH": os.pathsep.join(paths),
    }
    spark_class = str(home / "bin" / "spark-class")
    port, webui = _free_port(), _free_port()
    url = f"spark://127.0.0.1:{port}"
    commands = {
        "master": [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                   "--port", str(port), "--webui-port", str(webui)],
        "worker": [spark_class, "org.apache.spark.deploy.worker.Worker", url, "--host",
                   "127.0.0.1", "--port", str(_free_port()), "--webui-port", str(_free_port()),
                   "--cores", str(cores), "--memory", memory, "--work-dir", str(logs / "work")],
    }  # fmt: skip
    procs: list[subprocess.Popen] = []
    try:
        for name, cmd in commands.items():
            with (logs / f"{name}.log").open("wb") as log:
                procs.append(
                    subprocess.Popen(
                        cmd, env=env, cwd=logs, start_new_session=True, stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )  # fmt: skip
        deadline = time.monotonic() + CLUSTER_REGISTER_TIMEOUT_S
        while _alive_workers(webui) < 1:
            if any(p.poll() is not None for p in procs) or time.monotonic() > deadline:
                tail = (logs / "worker.log").read_text(errors="replace")[-300:]
                raise InputError("portfolio.spark_failed", detail=" ".join(tail.split()))
            time.sleep(0.5)
        yield url
    finally:
        for p in reversed(procs):
            _stop(p)


#: Spark settings for a job on :func:`standalone_cluster` (a small worker on loopback)
CLUSTER_CONF: dict[str, str] = {
    "spark.executor.memory": "768m",
    "spark.executor.cores": "2",
    "spark.cores.max": "2",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}
