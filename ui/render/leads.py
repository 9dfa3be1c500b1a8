"""Leads as text: the ``why`` of :func:`analytics.portfolio.rank_leads` rendered in a language,
and the ranked table as a download (the why as text, the Reason objects dropped)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analytics.portfolio import Reason
from ui.render.i18n import translate


def why_text(reasons: Iterable[Reason], lang: str) -> str:
    """The reasons of one lead joined with ``; `` (``；`` in Chinese)."""
    sep = "；" if lang.startswith("zh") else "; "
    return sep.join(translate(lang, r.code, **dict(r.params)) for r in reasons)


def leads_table(leads: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ranked table for a file: every column, ``why`` as text in ``lang``."""
    out = leads.copy()
    out["why"] = [why_text(r, lang) for r in out["why"]]
    return out
