"""End to end: the Green page's holdings and target section in headless Chromium (en, zh-CN)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TEXT = {
    "en": ("What is already held", "Renewable share now", "Still missing for the target"),
    "zh-CN": ("已持有的绿色电力", "当前可再生能源占比", "距目标尚缺"),
}


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_green_page_holdings_section(browser, app_url: str, tmp_path: Path, lang: str) -> None:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1200}, locale="en-US")
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    page.goto(f"{app_url}/green?lang={lang}")
    heading, share_now, missing = TEXT[lang]
    page.get_by_text(heading).first.wait_for()
    page.get_by_text(share_now).first.wait_for()
    page.get_by_text(missing).first.wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    # the holdings results: from the target note down to the PV compliance ratio
    metric = page.locator('[data-testid="stMetric"]', has_text=share_now).first
    metric.scroll_into_view_if_needed()
    page.mouse.wheel(0, -250)
    page.wait_for_timeout(500)
    shot = tmp_path / f"green_holdings_{lang}.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    ctx.close()
