"""The pages' error boundary and the upload notices: whatever one input does, the page says
so, the sidebar and uploaders stay, and the visitor can always remove the file.

``app.py`` runs every page inside :func:`page_boundary`: an :class:`InputError` shows its
message; any other exception from one input shows a short message naming its type (the
traceback goes to the server log, never to the page). Tests set
``GREENTEMP_RAISE_PAGE_ERRORS=1`` so a bug still fails them instead of becoming a message.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

import streamlit as st

from analytics.findings import InputError
from ui.render.format import md_escape
from ui.state import KINDS, options_state, set_uploaded, source, t, uploaded
from ui.widgets import show_error

LOG = logging.getLogger("greentemp.pages")


def _remove_uploads() -> None:
    for kind in KINDS:
        set_uploaded(kind, None)
        options_state(kind).clear()
    st.session_state["source"] = "sample"
    st.session_state["guard.removed"] = True


def _use_uploads() -> None:
    st.session_state["source"] = "upload"


def recovery_controls() -> None:
    """The "remove my uploaded files" button (always there when something failed)."""
    st.button(
        t("guard.remove"),
        key="guard.remove",
        help=t("guard.remove.help"),
        on_click=_remove_uploads,
        icon=":material/delete:",
    )


def page_boundary(run: Callable[[], None]) -> None:
    """Run one page; an error becomes a message and the recovery controls."""
    if st.session_state.pop("guard.removed", False):
        st.toast(t("guard.removed"))
    try:
        run()
    except InputError as err:
        show_error(err)
        recovery_controls()
    except Exception as exc:  # one input must never take the page (or the sidebar) down
        if os.environ.get("GREENTEMP_RAISE_PAGE_ERRORS"):
            raise
        LOG.exception("page failed")
        st.error(t("guard.page_failed", kind=type(exc).__name__), icon=":material/error:")
        recovery_controls()


def upload_notice(kind: str) -> None:
    """Say why an uploaded file is not analysed (never ignore an upload silently)."""
    item = uploaded(kind)
    if item is None:
        return
    if source() != "upload":
        st.info(
            t(
                "guard.upload_not_used",
                name=md_escape(item.name),
                source=t(f"sidebar.source.{source()}"),
            )
        )
        st.button(t("guard.use_uploads"), key=f"guard.use.{kind}", on_click=_use_uploads)
    elif kind != "load" and uploaded("load") is None:
        st.info(t("guard.load_missing", name=md_escape(item.name)))
