"""The tariff the visitor chose (sidebar), their price edits and uploaded tariff file.

Choice ``"auto"`` = the Jiangsu large-industrial versions in force on the data's dates
(the DESIGN default, two versions for 2025). Edits set one price per period for every
version in use (an edited tariff is marked illustrative by ``analytics.tou.tariff.edit_tariff``).
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from analytics.findings import DataWarning, InputError
from analytics.tou import (
    DEFAULT_FAMILY,
    Tariff,
    default_tariffs_for,
    edit_tariff,
    get_tariff,
    list_presets,
    load_tariff,
)
from analytics.tou.agency import (
    AgencyPricing,
    agency_provinces,
    agency_tables,
    agency_versions,
    rule_versions,
)
from analytics.tou.tariff import PERIOD_CODE
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


AGENCY_KEY = "tariff.agency"


def agency_choice() -> str:
    """The province whose agency tables price the data by month ("" = off)."""
    c = st.session_state.get(AGENCY_KEY, "")
    return c if c in agency_provinces() else ""


def agency_pricing(frame: pd.DataFrame) -> AgencyPricing | None:
    """The month versions of the chosen province over the TOU rules of the chosen tariff
    (the province's own versions under "auto"), or None (off, no matching table, or a tariff
    of another province)."""
    province = agency_choice()
    if not province:
        return None
    chosen = None if choice() == AUTO else base_versions(frame)
    try:
        tables = agency_tables(
            province,
            user_class=chosen[0].meta.user_class if chosen else DEFAULT_FAMILY[1],
            voltage=chosen[0].meta.voltage if chosen else DEFAULT_FAMILY[2],
        )
        return agency_versions(frame.index, rule_versions(tables, chosen), tables)
    except InputError:
        return None


def price_warnings(frame: pd.DataFrame) -> tuple[DataWarning, ...]:
    """Findings of the price source (agency tables: nearest month, rule validity)."""
    pricing = agency_pricing(frame)
    return pricing.warnings if pricing is not None else ()


def active_tariffs(frame: pd.DataFrame) -> tuple[list[Tariff], str]:
    """The versions that price the data, with the visitor's edits, and a cache key."""
    pricing = agency_pricing(frame)
    versions = list(pricing.versions) if pricing is not None else base_versions(frame)
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
            "agency": agency_choice(),
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


def charge_rows(tariff: Tariff, lang: str) -> pd.DataFrame:
    """The demand and capacity figures of ``tariff`` with, per figure, whether it is sourced
    (and how sure) or illustrative, and its source — the tariff tab's charges table."""
    rows = []
    for figure, value in (
        ("demand", tariff.demand_cny_per_kw_month),
        ("capacity", tariff.capacity_cny_per_kva_month),
    ):
        info = tariff.charge_info.get(figure)
        if value is None:
            status, source = translate(lang, "agency.charges.none"), ""
        elif info is None or info.illustrative:
            status = translate(lang, "agency.charges.illustrative")
            source = info.source if info is not None else ""
        else:
            status = translate(lang, "agency.charges.sourced", confidence=info.confidence)
            source = info.source
        rows.append(
            {
                translate(lang, "agency.charges.figure"): translate(
                    lang, f"agency.charges.{figure}"
                ),
                translate(lang, "agency.charges.value"): value,
                translate(lang, "agency.charges.status"): status,
                translate(lang, "agency.charges.source"): source,
            }
        )
    return pd.DataFrame(rows)


def not_modelled_text(tariff: Tariff, lang: str) -> str | None:
    """The sentence naming the rules of the tariff's document that are not modelled."""
    if not tariff.not_modelled:
        return None
    names = "、" if lang == "zh-CN" else ", "
    rules = names.join(translate(lang, f"agency.rule.{r}") for r in tariff.not_modelled)
    return translate(lang, "agency.not_modelled", rules=rules)


def render_charges(tariff: Tariff, lang: str) -> None:
    """The tariff tab's section: each demand/capacity figure, sourced or illustrative."""
    st.subheader(translate(lang, "agency.charges.title"))
    st.dataframe(charge_rows(tariff, lang), hide_index=True, width="stretch")
    text = not_modelled_text(tariff, lang)
    if text:
        st.caption(text)


def render_agency(frame: pd.DataFrame, lang: str) -> None:
    """The tariff tab's picker "agency-purchase prices by month" and, when on, the months."""
    st.subheader(translate(lang, "agency.picker.title"))
    st.selectbox(
        translate(lang, "agency.picker"),
        ["", *agency_provinces()],
        key=AGENCY_KEY,
        format_func=lambda p: translate(lang, "agency.picker.off") if not p else p.capitalize(),
        help=translate(lang, "agency.picker.help"),
    )
    pricing = agency_pricing(frame)
    if agency_choice() and pricing is None:
        st.info(translate(lang, "agency.picker.no_table", tariff=base_versions(frame)[0].id))
    if pricing is None:
        return
    col = {k: translate(lang, f"agency.months.col.{k}") for k in
           ("month", "table", "nearest", "floating", "fixed", "peak", "flat", "valley")}  # fmt: skip
    rows = []
    for a in pricing.months:
        row = a.tariff.month_price[int(a.month[5:]) - 1]
        rows.append(
            {
                col["month"]: a.month,
                col["table"]: a.table.key,
                col["nearest"]: a.nearest,
                col["floating"]: round(a.table.floating_cny_per_kwh, 6),
                col["fixed"]: round(a.table.fixed_cny_per_kwh, 6),
                **{
                    col[p]: round(float(row[PERIOD_CODE[p]]), 4) for p in ("peak", "flat", "valley")
                },
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


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
