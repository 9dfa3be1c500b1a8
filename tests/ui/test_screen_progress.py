"""The Portfolio page's screen with progress: the same table, kept per workspace and target."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analytics.portfolio import generate, ingest, screen
from ui.render.i18n import translate
from ui.screen_progress import screen_with_progress
from ui.workspace import workspace_key


def test_the_progress_text_in_both_languages() -> None:
    en = translate("en", "screen.progress", done="1,200", total="10,000", eta="2:05")
    zh = translate("zh-CN", "screen.progress", done="1,200", total="10,000", eta="2:05")
    assert en == "Screened 1,200 of 10,000 enterprises — about 2:05 left"
    assert zh == "已筛查 1,200 / 10,000 家企业，预计还需 2:05"


def test_screen_with_progress_equals_the_screen_and_is_kept(tmp_path: Path, monkeypatch) -> None:
    manifest = generate(tmp_path / "x", 2, seed=5, shapes=("long",))
    ws = tmp_path / "ws.duckdb"
    ingest(manifest, ws, workers=1)
    monkeypatch.chdir(tmp_path)  # workspaces are allowed under the working directory
    key = workspace_key(str(ws))
    assert key is not None
    table = screen_with_progress(key, 0.3)  # outside a page: the bar is a no-op
    pd.testing.assert_frame_equal(table, screen(ws, target_share=0.3, workers=1))
    assert screen_with_progress(key, 0.3) is table  # kept: not screened again
