"""The demo portfolio's progress (issue 15): generation reports each enterprise written."""

from __future__ import annotations

from pathlib import Path

from analytics.portfolio import generate
from ui.portfolio_display import known


def test_generate_reports_each_enterprise(tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    manifest = generate(tmp_path, 2, progress=lambda done, total: calls.append((done, total)))
    assert manifest.exists()
    assert calls == [(1, 2), (2, 2)]  # one call per enterprise, done counting up to n


def test_known_names_in_the_language_else_as_given() -> None:
    assert known("zh-CN", "province", "Jiangsu") == "江苏"
    assert known("zh-CN", "industry", "textiles") == "纺织"
    assert known("zh-CN", "province", "Atlantis") == "Atlantis"
