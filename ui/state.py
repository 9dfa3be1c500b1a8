"""Session state: language, data source, site zone and the current dataset.

Everything a visitor loads lives in ``st.session_state`` (per session) and in
``st.cache_data`` keyed by content hash; nothing user-specific is module-level.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from ui.render.i18n import DEFAULT_LANG, LANGS, translate

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_data"
SAMPLE_FILES: dict[str, str] = {
    "load": "sunan_load_2025_15min.csv",
    "pv": "sunan_pv_2025_15min.csv",
    "production": "sunan_production_runs_2025.csv",
}
SOURCES: tuple[str, ...] = ("sample", "upload", "workspace")
TIMEZONES: tuple[str, ...] = (
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Europe/Berlin",
    "Europe/London",
    "America/Denver",
    "America/New_York",
    "UTC",
)
KINDS: tuple[str, ...] = ("load", "pv", "production")


def lang() -> str:
    """The visitor's language: the sidebar choice, else ``?lang=``, else zh-CN."""
    chosen = st.session_state.get("lang")
    if chosen in LANGS:
        return chosen
    q = st.query_params.get("lang")
    return q if q in LANGS else DEFAULT_LANG


def t(key: str, /, **params: Any) -> str:
    """Translate ``key`` into the visitor's language."""
    return translate(lang(), key, **params)


def t_now() -> Callable[..., str]:
    """``t`` bound to the language of this run (for ``format_func`` callbacks, which
    Streamlit may call outside the script run, where session state is not readable)."""
    code = lang()
    return lambda key, /, **params: translate(code, key, **params)


def site_tz() -> str:
    return st.session_state.get("tz", TIMEZONES[0])


def source() -> str:
    return st.session_state.get("source", SOURCES[0])


@dataclass(frozen=True)
class FileInput:
    """One file as bytes, its name and content hash (the cache key)."""

    name: str
    data: bytes = field(repr=False)
    sha256: str = ""

    @classmethod
    def of(cls, name: str, data: bytes) -> FileInput:
        return cls(name=name, data=data, sha256=hashlib.sha256(data).hexdigest())


def sample_file(kind: str) -> FileInput:
    path = SAMPLE_DIR / SAMPLE_FILES[kind]
    return FileInput.of(path.name, path.read_bytes())


def uploaded(kind: str) -> FileInput | None:
    return st.session_state.get(f"upload.{kind}")


def set_uploaded(kind: str, item: FileInput | None) -> None:
    st.session_state[f"upload.{kind}"] = item


def options_state(kind: str) -> dict[str, Any]:
    """The user's import overrides for one kind of file (mutable dict in the session)."""
    return st.session_state.setdefault(f"opts.{kind}", {})


def ensure_router() -> None:
    """Make a page run through ``app.py`` even on a deep link to a fresh server.

    Streamlit keeps a v1 fallback for apps with a ``pages/`` folder: until ``app.py``
    has called ``st.navigation`` once, a request for ``/tou`` runs ``pages/tou.py`` alone
    (no sidebar, no router); AppTest does the same on every run. Every page calls this
    first; in that case it switches the fallback off, runs ``app.py`` in this same script
    run (which routes to this page again and draws it with the sidebar) and stops the outer
    run. No rerun, so a button click of this run is not lost.
    """
    import runpy

    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
        st.stop()


def state_map() -> tuple[tuple[str, str], ...]:
    """The visitor's meaning of a machine-state log's codes (Production page), as a cache key."""
    return tuple(sorted(st.session_state.get("prod.state_map", {}).items()))


# ------------------------------------------------ company name, reset, override banner

COMPANY_KEY = "company"


def company_name() -> str:
    """The enterprise's name for titles and the report: the sidebar field, else the sample's
    name in the visitor's language."""
    name = str(st.session_state.get(COMPANY_KEY) or "").strip()
    return name or t("polish.company.default")


def reset_session() -> None:
    """Forget everything this session set (uploads, choices, edits, caches stay shared):
    every key except the language, so the visitor keeps reading their language."""
    keep = {"lang"}
    for key in [k for k in st.session_state if k not in keep]:
        del st.session_state[key]


def override_banner(items: list[str]) -> None:
    """A banner naming the adjustments that change this page's figures (nothing when none).

    ``items`` are already-translated short descriptions (``目标 100 %``, ``电价已修改``)."""
    if items:
        st.info(
            t(
                "polish.override.banner",
                items="；".join(items) if lang() == "zh-CN" else "; ".join(items),
            ),
            icon=":material/tune:",
        )
