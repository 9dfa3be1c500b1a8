"""The tariff the visitor chose (sidebar), their price edits and uploaded tariff file.

Choice ``"auto"`` = the Jiangsu large-industrial versions in force on the data's dates
(the DESIGN default, two versions for 2025). Edits set one price per period for every
version in use (an edited tariff is marked illustrative by ``analytics.tou.tariff.edit_tariff``).
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from analytics.tou import (
    Tariff,
    default_tariffs_for,
    edit_tariff,
    get_tariff,
    list_presets,
    load_tariff,
)
from ui.render.i18n import translate
from ui.state import FileInput

AUTO = "auto"
UPLOADED = "uploaded"


def preset_ids() -> list[str]:
    return [m.id for m in list_presets(include_template=True)]


def choices() -> list[str]:
    """Sidebar options: auto, every preset, and the uploaded file when there is one."""
    opts = [AUTO, *preset_ids()]
    if st.session_state.get("tariff.upload") is not None:
        opts.append(UPLOADED)
    return opts


def choice() -> str:
    c = st.session_state.get("tariff", AUTO)
    return c if c in choices() else AUTO


@st.cache_data(show_spinner=False, max_entries=16)
def _parse_uploaded(sha256: str, name: str, _text: str) -> Tariff:
    return load_tariff(_text, file=name)


def uploaded_tariff() -> Tariff | None:
    item: FileInput | None = st.session_state.get("tariff.upload")
    if item is None:
        return None
    return _parse_uploaded(item.sha256, item.name, item.data.decode("utf-8-sig"))


def edits() -> dict[str, float]:
    """The visitor's price edits: period → CNY/kWh, and ``demand`` → CNY/kW·month."""
    return st.session_state.setdefault("tariff.edits", {})


def base_versions(frame: pd.DataFrame) -> list[Tariff]:
    c = choice()
    if c == AUTO:
        return default_tariffs_for(frame)
    if c == UPLOADED:
        up = uploaded_tariff()
        return [up] if up is not None else default_tariffs_for(frame)
    return [get_tariff(c)]


def active_tariffs(frame: pd.DataFrame) -> tuple[list[Tariff], str]:
    """The versions that price the data, with the visitor's edits, and a cache key."""
    versions = base_versions(frame)
    e = edits()
    if e:
        prices = {k: v for k, v in e.items() if k != "demand"}
        kwargs = {"demand_cny_per_kw_month": e["demand"]} if "demand" in e else {}
        versions = [edit_tariff(v, prices=prices, **kwargs) for v in versions]
    up = st.session_state.get("tariff.upload")
    key = json.dumps(
        {
            "choice": choice(),
            "ids": [v.id for v in versions],
            "edits": e,
            "upload": up.sha256 if (up is not None and choice() == UPLOADED) else None,
        },
        sort_keys=True,
    )
    return versions, key


def label(choice_id: str, lang: str) -> str:
    """Human name of a sidebar choice in ``lang`` (illustrative ones tagged)."""

    if choice_id == AUTO:
        return translate(lang, "tariff.auto")
    if choice_id == UPLOADED:
        return translate(lang, "tariff.uploaded")
    meta = get_tariff(choice_id).meta
    name = meta.name_zh if lang == "zh-CN" and meta.name_zh else meta.name
    return f"{name} · {translate(lang, 'tariff.illustrative_tag')}" if meta.illustrative else name


def version_on(versions: list[Tariff], day: pd.Timestamp) -> Tariff:
    """The version in force on ``day`` (latest ``valid_from`` ≤ day), else the nearest."""
    d = pd.Timestamp(day).date()
    ordered = sorted(versions, key=lambda v: v.valid_from)
    live = [v for v in ordered if v.valid_from <= d and (v.valid_to is None or d <= v.valid_to)]
    if live:
        return live[-1]
    return min(
        ordered,
        key=lambda v: min(
            abs((v.valid_from - d).days), abs(((v.valid_to or v.valid_from) - d).days)
        ),
    )


EDITOR_PREFIX = "tariff.edit."


def reset_edits() -> None:
    """Forget the visitor's price edits (on a tariff change or the reset button)."""
    st.session_state["tariff.edits"] = {}
    for key in [k for k in st.session_state if str(k).startswith(EDITOR_PREFIX)]:
        del st.session_state[key]


def sync_edit(field: str, preset_value: float) -> None:
    """Callback of an editor input: keep the edit only where it differs from the preset."""
    value = st.session_state.get(EDITOR_PREFIX + field)
    e = edits()
    if value is None or abs(float(value) - preset_value) < 1e-12:
        e.pop(field, None)
    else:
        e[field] = float(value)


# ------------------------------------------------------------ the tariff tab in words

#: The tariff tab's metadata rows, in order (``tou.meta.<field>`` labels).
META_FIELDS: tuple[str, ...] = (
    "name",
    "province",
    "class",
    "voltage",
    "validity",
    "source",
    "url",
    "confidence",
    "illustrative",
)


def _word(lang: str, key: str, fallback: str) -> str:
    """``key`` translated, else the raw value (a tariff file may carry a class we do not know)."""
    from ui.render.i18n import has_key

    return translate(lang, key) if has_key(key, lang) else fallback


def version_label(tariff: Tariff, lang: str) -> str:
    """A tariff version by its translated name and validity, never its id."""
    meta = tariff.meta
    name = meta.name_zh if lang == "zh-CN" and meta.name_zh else meta.name
    end = meta.valid_to or translate(lang, "tou.meta.open_ended")
    return f"{name} ({meta.valid_from} → {end})"


def meta_values(tariff: Tariff, lang: str) -> dict[str, str]:
    """The tariff's metadata as words: class ``large_industrial_two_part`` → 两部制大工业,
    province ``Jiangsu`` → 江苏, confidence ``U`` → 未确认 (with the code in brackets)."""
    meta = tariff.meta
    conf = str(meta.confidence)
    return {
        "name": meta.name_zh if lang == "zh-CN" and meta.name_zh else meta.name,
        "province": _word(lang, f"polish.province.{meta.province}", str(meta.province)),
        "class": _word(lang, f"polish.user_class.{meta.user_class}", str(meta.user_class)),
        "voltage": str(meta.voltage),
        "validity": f"{meta.valid_from} → {meta.valid_to or translate(lang, 'tou.meta.open_ended')}",
        "source": str(meta.source),
        "url": str(meta.source_url),
        "confidence": f"{_word(lang, f'polish.confidence.{conf}', conf)} ({conf})",
        "illustrative": translate(
            lang, "tou.meta.illustrative.yes" if meta.illustrative else "tou.meta.illustrative.no"
        ),
    }


def meta_table(tariff: Tariff, lang: str) -> pd.DataFrame:
    """The tariff tab's metadata table: translated labels as index, words as values."""
    values = meta_values(tariff, lang)
    return pd.DataFrame(
        {translate(lang, "tou.meta.value"): [values[f] for f in META_FIELDS]},
        index=[translate(lang, f"tou.meta.{f}") for f in META_FIELDS],
    )


def price_frame(tariff: Tariff, lang: str, names: dict[str, str]) -> pd.DataFrame:
    """Prices by month for display: a 月份/Month column (``1月`` / ``Jan``), one column per
    period the tariff prices (``尖峰 [元/kWh]``), four decimals."""
    from analytics.tou import price_table
    from ui.render.format import Col, fmt_month, format_frame

    prices = price_table(tariff).dropna(axis=1, how="all")
    table = prices.reset_index()
    table["month"] = [fmt_month(f"2001-{m:02d}", lang, year=False) for m in table["month"]]
    spec: dict[str, Col | str] = {"month": translate(lang, "polish.col.month")}
    spec.update({p: Col(names.get(p, p), "price") for p in prices.columns})
    return format_frame(table, spec, lang)
