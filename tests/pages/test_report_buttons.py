"""Issue 15: every page of the app has the Report button, HTML and PDF side by side."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui.pdf import find_chromium
from ui.render.i18n import translate

PAGES = re.findall(r'st\.Page\(\s*"(pages/[^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))


def test_every_page_of_the_router_is_covered() -> None:
    assert "pages/portfolio.py" in PAGES and len(PAGES) >= 7


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_the_html_and_pdf_report_buttons(page: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.session_state["lang"] = "zh-CN"
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert translate("zh-CN", "report.button") in labels
    if find_chromium() is not None:
        assert translate("zh-CN", "pf15.pdf.button") in labels
    else:
        assert translate("zh-CN", "pf15.pdf.missing") in [c.value for c in at.caption]
