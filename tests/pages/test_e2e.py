"""End to end: the real app in headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SAMPLE

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _page(browser, url: str, lang: str = "en"):
    ctx = browser.new_context(viewport={"width": 1400, "height": 2200}, locale="en-US")
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{url}/?lang={lang}")
    return ctx, page


def test_home_shows_the_sample_enterprise(browser, app_url: str, tmp_path: Path) -> None:
    ctx, page = _page(browser, app_url)
    page.get_by_text("Green temperature overview").wait_for()
    page.locator('[data-testid="stMetric"]').first.wait_for()
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert any("MWh" in m for m in metrics), metrics
    page.screenshot(path=str(tmp_path / "home.png"))
    ctx.close()


def test_upload_on_the_data_page(browser, app_url: str, tmp_path: Path) -> None:
    ctx, page = _page(browser, app_url)
    page.get_by_text("Green temperature overview").wait_for()
    page.goto(f"{app_url}/data?lang=en")
    page.get_by_text("Meter data").first.wait_for()
    gbk = SAMPLE / "sunan_load_2025_96point_gbk.csv"
    page.locator('input[type="file"]').first.set_input_files(str(gbk))
    page.locator('[data-testid="stTable"]', has_text=gbk.name).wait_for()
    page.get_by_text("What was detected").first.wait_for()
    page.get_by_text("wide (one row per day)").first.wait_for()
    page.get_by_text("interval end").first.wait_for()
    page.get_by_text("Validation report").first.wait_for()
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    shot = tmp_path / "data_page.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    ctx.close()


def test_tou_page_deep_link_prices_the_sample(browser, app_url: str, tmp_path: Path) -> None:
    ctx, page = _page(browser, app_url)
    page.goto(f"{app_url}/tou?lang=en")
    page.get_by_text("Load and time-of-use cost").wait_for()
    page.get_by_text("Total cost").first.wait_for()
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
    # routed through app.py: the sidebar holds the tariff picker
    page.locator('[data-testid="stSidebar"]').get_by_text("Tariff").wait_for()
    page.get_by_role("tab", name="Typical days").click()
    page.get_by_text("Typical day by day type").first.wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(tmp_path / "tou.png"))
    ctx.close()


def test_green_page_shows_the_green_temperature(browser, app_url: str, tmp_path: Path) -> None:
    ctx, page = _page(browser, app_url)
    page.goto(f"{app_url}/green?lang=en")
    page.get_by_text("Green potential and Green Temperature").wait_for()
    page.get_by_text("GECs to buy").first.wait_for()
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(tmp_path / "green.png"))
    ctx.close()


def test_production_page_shows_sec_and_regression(browser, app_url: str, tmp_path: Path) -> None:
    ctx, page = _page(browser, app_url)
    page.goto(f"{app_url}/production?lang=en")
    page.get_by_text("Production and load").first.wait_for()
    page.get_by_text("Energy per unit (SEC)").first.wait_for()
    page.get_by_text("Energy vs output").first.wait_for()
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(tmp_path / "production.png"))
    ctx.close()
