"""The Spark engine (local[2]) gives the same table as the local engine.

Runs in CI (the ``spark`` extra and Java are installed there). Elsewhere it is skipped,
loudly, only when PySpark is not importable.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analytics.cli.main import main
from analytics.portfolio.ingestion import ingest
from analytics.portfolio.local import screen_local
from analytics.portfolio.screening import write_table
from analytics.portfolio.synthetic import SHAPES, generate

pytestmark = pytest.mark.slow  # the module's fixture runs for more than 5 s


def _need_spark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        msg = "pyspark is not installed: pip install -e '.[spark]' (and Java 17) to run the Spark engine test"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip("!!! SPARK ENGINE TEST SKIPPED !!! " + msg)
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        msg = "no Java runtime: apt-get install -y default-jre-headless"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip("!!! SPARK ENGINE TEST SKIPPED !!! " + msg)


def test_spark_and_local_engines_give_identical_tables(tmp_path: Path) -> None:
    _need_spark()
    manifest = generate(tmp_path, 6, seed=13, shapes=SHAPES)  # PV on 2, runs on 1
    ws = tmp_path / "ws.duckdb"
    assert all(not o.failed for o in ingest(manifest, ws, workers=1))
    local = screen_local(ws, workers=1)
    out = tmp_path / "spark.parquet"
    assert (
        main(
            [
                "portfolio",
                "screen",
                "--workspace",
                str(ws),
                "--out",
                str(out),
                "--engine",
                "spark",
                "--master",
                "local[2]",
            ]
        )
        == 0
    )
    spark = pd.read_parquet(out)
    local_back = pd.read_parquet(write_table(local, tmp_path / "local.parquet"))
    pd.testing.assert_frame_equal(
        spark.sort_values("enterprise_id").reset_index(drop=True),
        local_back.sort_values("enterprise_id").reset_index(drop=True),
    )
    assert len(spark) == 6 and spark["error"].isna().all()
