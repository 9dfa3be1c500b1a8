"""Leads as text: the ``why`` of :func:`analytics.portfolio.rank_leads` rendered in a language,
and the ranked table as a download (the why as text, the Reason objects dropped)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analytics.portfolio import Reason
from ui.render.format import fmt_param
from ui.render.i18n import translate


def _params(params: dict, lang: str) -> dict:
    """Money and energy parameters (``*_cny``, ``*_kwh``) as text by the number policy
    (万元 / 万kWh in Chinese); every other parameter as it is for the catalogue's format."""
    return {
        k: fmt_param(k, v, lang) if k.endswith(("_cny", "_kwh")) else v for k, v in params.items()
    }


def why_text(reasons: Iterable[Reason], lang: str) -> str:
    """The reasons of one lead joined with ``; `` (``；`` in Chinese)."""
    sep = "；" if lang.startswith("zh") else "; "
    return sep.join(translate(lang, r.code, **_params(dict(r.params), lang)) for r in reasons)


def leads_table(leads: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ranked table for a file: every column, ``why`` as text in ``lang``."""
    out = leads.copy()
    out["why"] = [why_text(r, lang) for r in out["why"]]
    return out
