"""``portfolio leads`` and ``portfolio export-parquet``: the files equal the library's tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analytics.cli.main import main
from analytics.portfolio import deltas, monthly_figures, rank_leads, screen
from analytics.portfolio.ingestion import ingest
from analytics.portfolio.synthetic import SHAPES, generate
from ui.render.leads import why_text

pytestmark = pytest.mark.slow  # one ingest + two screens


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("leads")
    manifest = generate(d / "exports", 4, seed=13, shapes=SHAPES)
    assert all(not o.failed for o in ingest(manifest, d / "ws.duckdb", workers=1))
    return d / "ws.duckdb"


def test_leads_file_equals_the_library(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "leads.parquet"
    argv = ["portfolio", "leads", "--workspace", str(ws), "--rule", "valley_shift"]
    assert main([*argv, "--out", str(out), "--lang", "zh-CN", "--workers", "1"]) == 0
    got = pd.read_parquet(out)
    table = screen(ws, workers=1)
    want = rank_leads(table, "valley_shift", trends=deltas(monthly_figures(ws)))
    assert got["enterprise_id"].tolist() == want["enterprise_id"].tolist()
    assert got["rank"].tolist() == want["rank"].tolist() == [1, 2, 3, 4]
    assert got["why"].tolist() == [why_text(w, "zh-CN") for w in want["why"]]
    assert "环比" in got["why"].iloc[0]  # one year of data: 环比 but no 同比
    assert got["energy_kwh_yoy"].isna().all() and got["energy_kwh_mom"].notna().all()


def test_an_unavailable_rule_is_one_line_and_status_2(
    ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["portfolio", "leads", "--workspace", str(ws), "--rule", "cbam_exposure"]
    assert main([*argv, "--out", str(tmp_path / "x.csv"), "--no-trends"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "cbam_indirect_emissions_t" in err
    assert not (tmp_path / "x.csv").exists()


def test_export_parquet_command_and_refusal(
    ws: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "export"
    assert main(["portfolio", "export-parquet", "--workspace", str(ws), "--out", str(out)]) == 0
    assert (out / "export.json").is_file() and (out / "intervals" / "year=2025").is_dir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "a.txt").write_text("x")
    argv = ["portfolio", "export-parquet", "--workspace", str(ws), "--out", str(tmp_path / "other")]
    assert main(argv) == 2
    assert "already holds other files" in capsys.readouterr().err
