"""One file uploader's own format line (issue 15): ``ui.polish`` replaces Streamlit's English
"Limit 200MB per file • …" of every uploader with the data pages' "CSV, TXT or XLSX"; an
uploader that takes another format (the canvas page's JSON) sets its own line here, by the
``st-key-<key>`` class Streamlit 1.67 gives a keyed widget's container (dots become dashes)."""

from __future__ import annotations

import json

import streamlit as st

INSTRUCTIONS = '[data-testid="stFileUploaderDropzoneInstructions"] > div::after'


def uploader_hint_css(key: str, text: str) -> str:
    """The ``<style>`` giving the uploader of widget ``key`` the format line ``text``."""
    cls = "st-key-" + key.replace(".", "-")
    return (
        f"<style>.{cls} {INSTRUCTIONS} {{content:{json.dumps(text, ensure_ascii=False)}}}</style>"
    )


def uploader_hint(key: str, text: str) -> None:
    st.html(uploader_hint_css(key, text))
