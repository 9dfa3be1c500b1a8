"""The report as a PDF (issue 15): printed to A4 by the local headless Chromium, a bounded
timeout, and the fallback caption when no Chromium is on the machine."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import ui.pdf as pdf
from analytics.analysis import analyze
from analytics.iotools.load import ImportOptions, read_load
from tests.conftest import ROOT
from ui.render.i18n import translate
from ui.render.report import assess_analysis, build_report


def _small_report(tmp_path: Path, lang: str) -> str:
    """The report of a two-week 15-min load (a flat 100 kWh per interval, a daytime step)."""
    ts = pd.date_range("2025-03-03", periods=14 * 96, freq="15min")
    kwh = np.where((ts.hour >= 8) & (ts.hour < 18), 150.0, 100.0)
    csv = tmp_path / "small_load.csv"
    pd.DataFrame({"timestamp": ts.strftime("%Y-%m-%d %H:%M:%S"), "energy_kwh": kwh}).to_csv(
        csv, index=False
    )
    frame, report = read_load(csv, file_name=csv.name, options=ImportOptions())
    a = analyze(frame, report)
    return build_report(a, lang=lang, file_name=csv.name, stage=assess_analysis(a))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_small_report_prints_to_an_a4_pdf(tmp_path: Path, lang: str) -> None:
    if pdf.find_chromium() is None:
        pytest.skip("no Chromium on this machine (the fallback is tested below)")
    out = pdf.html_to_pdf(_small_report(tmp_path, lang))
    assert out is not None and out.startswith(b"%PDF")
    pages = pdf.pdf_page_count(out)
    assert 1 <= pages <= 6
    # the page tree's own /Count agrees with the /Type /Page objects
    assert str(pages).encode() in re.findall(rb"/Count\s+(\d+)", out)
    # A4 from the report's print CSS: 210 mm × 297 mm = 210/25.4·72 × 297/25.4·72 ≈ 595.3 × 841.9 pt
    w, h = (float(v) for v in re.search(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", out).groups())
    assert abs(w - 595.3) < 1.5 and abs(h - 841.9) < 1.5


def test_page_count_counts_pages_not_the_page_tree() -> None:
    fake = (
        b"%PDF-1.4 1 0 obj <</Type /Pages /Count 2>> 2 0 obj <</Type /Page>>"
        b" 3 0 obj <</Type/Page /Parent 1 0 R>>"
    )
    assert pdf.pdf_page_count(fake) == 2  # two /Page objects; the /Pages node is not one


def test_a_hanging_browser_is_stopped_at_the_timeout(tmp_path: Path) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    t0 = time.monotonic()
    assert pdf.html_to_pdf("<p>x</p>", executable=str(fake), timeout_s=1.0) is None
    assert time.monotonic() - t0 < 10  # stopped after ≈ 1 s, not after the 30 s sleep


def test_a_browser_that_writes_no_pdf_gives_none(tmp_path: Path) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(0o755)
    assert pdf.html_to_pdf("<p>x</p>", executable=str(fake)) is None


@pytest.mark.slow
def test_without_chromium_the_pdf_button_is_a_print_hint(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pdf, "which", lambda name: None)  # nothing on PATH, for ui.pdf only
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))  # and no bundled Chromium
    assert pdf.find_chromium() is None
    assert pdf.html_to_pdf("<p>x</p>") is None
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.session_state["lang"] = "zh-CN"
    at.run()
    assert not at.exception, at.exception
    hint = translate("zh-CN", "pf15.pdf.missing")
    assert hint in [c.value for c in at.caption]
    assert "另存为 PDF" in hint


@pytest.mark.e2e
@pytest.mark.slow
def test_pdf_button_downloads_the_report_as_pdf(app_url: str, browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.goto(f"{app_url}/portfolio?lang=zh-CN", wait_until="domcontentloaded")
    button = page.get_by_role("button", name=translate("zh-CN", "pf15.pdf.button"))
    button.wait_for(timeout=90_000)
    with page.expect_download(timeout=120_000) as info:
        button.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name.endswith("_zh-CN.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and pdf.pdf_page_count(data) >= 3  # the full sample report
    page.close()
