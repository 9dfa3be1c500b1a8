"""Every page in Chinese: no untranslated catalogue key on screen; a browser screenshot.

The AppTest run walks every element the page drew (main area and sidebar): labels, values,
options, help texts, captions, Markdown, chart specs (titles, axes, legends, tick texts) and
table cells, and fails on any text that is a raw catalogue key (``home.title``) or looks like
one (``^[a-z_]+(\\.[a-z_0-9]+)+$`` with a catalogue prefix, e.g. ``warning.import.gaps``).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from ui.render.i18n import catalogue, translate

KEY_LIKE = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)+$")
PAGES = re.findall(r'st\.Page\(\s*"([^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))
KEYS = set(catalogue("en"))
PREFIXES = {k.split(".", 1)[0] for k in KEYS}
#: Columns that show stable codes on purpose (the warnings table's "Code" column).
#: Proto fields that are identifiers or payloads, not text shown to the visitor.
NOT_TEXT = {"id", "formId", "data", "arrowData", "url", "key"}
CODE_COLUMNS = {translate(lang, "report.col.code") for lang in ("en", "zh-CN")}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
        if value[:1] in "{[":
            with contextlib.suppress(ValueError):
                yield from _strings(json.loads(value))  # plotly specs are JSON strings
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in NOT_TEXT:
                yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def _frame_strings(df: pd.DataFrame) -> Iterator[str]:
    yield from (str(c) for c in df.columns)
    yield from (str(i) for i in df.index if isinstance(i, str))
    for col in df.columns:
        if str(col) in CODE_COLUMNS or pd.api.types.is_numeric_dtype(df[col]):
            continue
        yield from (v for v in df[col] if isinstance(v, str))


def _texts(node: Any) -> Iterator[str]:
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _texts(child)
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "DESCRIPTOR"):
        yield from _strings(MessageToDict(proto))
    if getattr(node, "type", "") in ("dataframe", "table"):
        yield from _frame_strings(node.value)


def untranslated(at: AppTest) -> set[str]:
    found: set[str] = set()
    for root in (at.main, at.sidebar):
        for text in _texts(root):
            s = text.strip()
            if s in KEYS or (KEY_LIKE.match(s) and s.split(".", 1)[0] in PREFIXES):
                found.add(s)
    return found


def test_every_registered_page_is_found() -> None:
    assert "pages/home.py" in PAGES and "pages/canvas.py" in PAGES
    assert all((ROOT / p).is_file() for p in PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_page_in_chinese_shows_no_catalogue_key(page: str) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "zh-CN"
    at.run()
    if page != PAGES[0]:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    assert untranslated(at) == set()
    # the scan sees the page: its Chinese navigation label is among the texts
    texts = set(_texts(at.main)) | set(_texts(at.sidebar))
    assert any(re.search(r"[\u4e00-\u9fff]", s) for s in texts)


def test_the_scan_catches_a_raw_key() -> None:
    script = (
        "import pandas as pd\nimport streamlit as st\nst.caption('home.title')\n"
        "st.metric('kpi.energy', '1')\n"
        "st.dataframe(pd.DataFrame({'a': ['warning.import.gaps'], 'Code': ['x.y']}))\n"
        "st.table(pd.DataFrame({'b': ['chart.duration']}))\n"
    )
    at = AppTest.from_string(script).run()
    assert untranslated(at) == {"home.title", "kpi.energy", "warning.import.gaps", "chart.duration"}


@pytest.mark.e2e
def test_home_page_screenshot_in_chinese(app_url: str, browser, tmp_path) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page.goto(f"{app_url}/?lang=zh-CN", wait_until="domcontentloaded")
    heading = translate("zh-CN", "home.title")
    page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
    page.get_by_text(translate("zh-CN", "kpi.energy"), exact=True).first.wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    shot = tmp_path / "home_zh-CN.png"
    page.screenshot(path=str(shot), full_page=True)
    page.close()
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 50_000  # a rendered page, not a blank one
