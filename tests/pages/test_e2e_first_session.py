"""The first visitor of a freshly started server keeps their language (a real browser).

The language selectbox once took its value from Session State set just before it; on a
server's first session the first widget interaction (a tab click) then came back as the
selectbox's first option, and an English visitor (``?lang=en``) was switched to Chinese.
Later sessions were not affected, so this test starts its own server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import serve_app

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_a_tab_click_in_the_first_session_keeps_english(browser, tmp_path: Path) -> None:
    with serve_app() as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 2200}, locale="en-US")
        page = ctx.new_page()
        page.set_default_timeout(90_000)
        page.goto(f"{url}/tou?lang=en")
        page.get_by_text("Total cost").first.wait_for()
        page.get_by_role("tab", name="Typical days").click()
        page.get_by_text("Typical day by day type").first.wait_for()
        tabs = page.get_by_role("tab").all_inner_texts()
        assert tabs[:3] == ["By period", "Heat-map", "Typical days"], tabs
        sidebar = page.locator('[data-testid="stSidebar"]')
        language = sidebar.get_by_role("combobox", name="Language")  # its label: English
        assert language.input_value() == "English"  # and the chosen language it shows
        assert page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=str(tmp_path / "first_session_tou.png"))
        ctx.close()
