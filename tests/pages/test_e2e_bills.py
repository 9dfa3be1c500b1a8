"""End to end: the UCI steel year uploaded, its bills section on the Load & TOU page (Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TEST_DATA
from tests.importer_fixtures import write_text

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

UCI = TEST_DATA / "uci_steel_industry_2018_15min.csv"
TEXT = {
    "en": ("Load & TOU cost", "Bills, power factor and basic charge", "Monthly power factor and 力调 adjustment", "Bill check", "Contracted capacity [kVA] (0 = none)"),
    "zh-CN": ("负荷与分时电费", "电费账单、功率因数与基本电费", "月平均功率因数与力调电费", "账单核对", "合同容量 [kVA]（0 表示不比较）"),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_bills_section_of_the_uci_steel_year(
    browser, app_url: str, tmp_path: Path, lang: str
) -> None:
    nav, section, pf_title, check_title, kva_label = TEXT[lang]
    bills = write_text(
        tmp_path / "bills.csv",
        [
            "月份,电量,总电费",
            "2018-01,126500,118000",
            "2018-02,91000,95500",
            "2019-01,100000,90000",
        ],
    )
    # tall enough for the whole section in one screenshot (the main area scrolls inside)
    ctx = browser.new_context(viewport={"width": 1400, "height": 5200}, locale="en-US")
    page = ctx.new_page()
    page.set_default_timeout(90_000)
    page.goto(f"{app_url}/?lang={lang}")  # the language is set on the first page of a session
    page.locator('[data-testid="stSidebarNav"] a', has_text=nav).wait_for()
    page.goto(f"{app_url}/data?lang={lang}")
    page.locator('input[type="file"]').first.set_input_files(str(UCI))
    page.locator('[data-testid="stTable"]', has_text=UCI.name).wait_for(timeout=120_000)
    page.locator('[data-testid="stSidebarNav"] a', has_text=nav).click()
    page.get_by_text(section).first.wait_for(timeout=120_000)
    page.get_by_text(pf_title).first.wait_for()
    uploader = page.locator('[data-testid="stFileUploader"]').last
    uploader.locator('input[type="file"]').set_input_files(str(bills))
    page.get_by_text(check_title).first.wait_for(timeout=60_000)
    page.wait_for_timeout(4_000)  # the rerun after the upload settles
    kva = page.get_by_label(kva_label).last
    kva.fill("200")
    kva.press("Enter")
    page.locator('[data-testid="stMetric"]').last.wait_for()
    page.wait_for_timeout(3_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    page.get_by_text(section).first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(1_500)
    shot = tmp_path / f"bills_{lang}.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    ctx.close()
